#!/usr/bin/env node
// The packages as a user gets them: build, `pnpm pack` every published package, install the
// tarballs into an empty folder outside the workspace, then type-check (no skipLibCheck) and run
// one consumer as ESM (module nodenext) and as CommonJS (nodenext, and node10 resolution).
// Usage: node tools/consumer-test.mjs [--keep] [--no-build]
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const keep = process.argv.includes("--keep");
const build = !process.argv.includes("--no-build");
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const started = Date.now();
const step = (what) => console.log(`[consumer] ${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });

/** The workspace's published packages (not private): folder, manifest. */
const packages = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir: join(root, "packages", dir), manifest: readJson(join(root, "packages", dir, "package.json")) }))
  .filter((p) => !p.manifest.private);

/** Every import specifier the packages export ("@fcn/tensor", "@fcn/tensor/gemm", …). */
const specifiers = packages.flatMap(({ manifest }) =>
  Object.keys(manifest.exports ?? { ".": null })
    .filter((key) => key !== "./package.json")
    .map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
);
const sources = ["consumer.ts", "testing-kits.ts"];
const consumerSource = sources.map((file) => readFileSync(join(root, "tools/consumer", file), "utf8")).join("\n");
const unimported = specifiers.filter((s) => !consumerSource.includes(`from "${s}"`));
if (unimported.length > 0) throw new Error(`tools/consumer/ does not import ${unimported.join(", ")}`);

/** The version the workspace installed of a third-party package (pins the consumer's). */
const installedVersion = (name, from = root) => readJson(join(from, "node_modules", name, "package.json")).version;

const folder = mkdtempSync(join(tmpdir(), "fcn-consumer-"));
try {
  if (build) {
    step("building");
    run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...packages.map((p) => `--filter=${p.manifest.name}`)], root);
  }
  step(`packing ${packages.map((p) => p.manifest.name).join(", ")}`);
  const tarballs = join(folder, "tarballs");
  mkdirSync(tarballs);
  const fileSpec = {};
  for (const { dir, manifest } of packages) {
    const before = new Set(readdirSync(tarballs));
    run("pnpm", ["pack", "--pack-destination", tarballs], dir);
    const packed = readdirSync(tarballs).filter((f) => !before.has(f));
    if (packed.length !== 1) throw new Error(`pnpm pack of ${manifest.name} wrote ${packed.length} files`);
    fileSpec[manifest.name] = `file:./tarballs/${packed[0]}`;
  }

  // Our packages come only from the tarballs (overrides also pin the dependencies between them);
  // their direct third-party dependencies and the optional peers the subpaths need are pinned to
  // the versions the workspace tests with.
  const thirdParty = {};
  for (const { dir, manifest } of packages) {
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith("@fcn/")) thirdParty[name] = installedVersion(name, dir);
    }
  }
  thirdParty["fast-check"] = installedVersion("fast-check");
  writeFileSync(
    join(folder, "package.json"),
    JSON.stringify(
      {
        name: "fcn-consumer",
        private: true,
        type: "module",
        dependencies: { ...fileSpec, "fast-check": thirdParty["fast-check"] },
        devDependencies: { "@types/node": installedVersion("@types/node") },
        pnpm: { overrides: { ...thirdParty, ...fileSpec } },
      },
      null,
      2,
    ),
  );
  step("installing the tarballs");
  run("pnpm", ["install", "--prefer-offline", "--config.strict-peer-dependencies=false"], folder);

  const tsc = join(root, "node_modules/typescript/bin/tsc");
  // The same sources, compiled in a "type": "module" folder and in a "type": "commonjs" one.
  const consumers = [
    { format: "esm", config: "tsconfig.esm.json", outDir: "out", programs: { "consumer.js": "consumer ok", "testing-kits.js": "testing kits ok" } },
    { format: "cjs", config: "tsconfig.cjs.json", outDir: "out", programs: { "consumer.js": "consumer ok", "testing-kits.js": "testing kits ok" } },
    { format: "cjs", config: "tsconfig.cjs-node10.json", outDir: "out-node10", programs: { "consumer.js": "consumer ok" } },
  ];
  for (const format of ["esm", "cjs"]) {
    const dir = join(folder, format);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: format === "esm" ? "module" : "commonjs" }));
    for (const file of sources) copyFileSync(join(root, "tools/consumer", file), join(dir, file));
  }
  for (const { format, config, outDir, programs } of consumers) {
    const dir = join(folder, format);
    copyFileSync(join(root, "tools/consumer", config), join(dir, config));
    step(`type-checking and compiling the ${format} consumer (${config})`);
    try {
      run(process.execPath, [tsc, "-p", config], dir);
    } catch (error) {
      throw new Error(`tsc -p ${config} failed:\n${error.stdout}${error.stderr}`, { cause: error });
    }
    for (const [program, expected] of Object.entries(programs)) {
      const printed = run(process.execPath, [join(outDir, program)], dir).trim();
      if (printed !== `${expected} (${format})`) throw new Error(`${format} ${program} (${config}) printed: ${printed}`);
      step(`ran ${format}/${outDir}/${program}: ${printed}`);
    }
  }
  step("done");
} finally {
  if (keep) console.log(`[consumer] kept ${folder}`);
  else rmSync(folder, { recursive: true, force: true });
}
