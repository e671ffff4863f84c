# syntax=docker/dockerfile:1
# The fcn-bench image that docs/scale-out.md runs (Kubernetes recipe). Build at the repository root:
#   docker build -t fcn-bench .
#   mkdir -p results && docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/results:/results" fcn-bench run exp1 --out /results/exp1
# The build stage installs the workspace with the pnpm version package.json pins and builds
# @fcn/bench with the packages it depends on; the runtime stage keeps only `pnpm deploy`'s output
# (bench, its workspace dependencies as built, its production dependencies). CPU only: the WebGPU
# backend's optional `webgpu` package is not installed.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1 CI=true
WORKDIR /src
# pnpm at package.json's "packageManager" version, then every locked package into the store:
# these layers stay cached until the lockfile changes. pnpm comes from npm, as tools/setup.sh
# installs it, not from corepack: the corepack bundled with Node 20 fails to verify current pnpm
# releases' registry signatures ("No compatible signature found in package metadata").
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
RUN npm install -g "$(node -p 'require("./package.json").packageManager.split("+")[0]')"
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm exec turbo run build --filter="@fcn/bench..."
# A standalone folder: node_modules with copies (not links) of the workspace packages.
RUN pnpm --config.inject-workspace-packages=true --filter @fcn/bench deploy --prod --offline /fcn

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
COPY --from=build --chown=node:node /fcn /fcn
RUN ln -s /fcn/dist/cli.js /usr/local/bin/fcn-bench
USER node
WORKDIR /fcn
ENTRYPOINT ["fcn-bench"]
CMD ["--help"]
