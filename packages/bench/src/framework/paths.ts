/**
 * Where the relative paths of a command line resolve.
 *
 * The workspace's `pnpm fcn-bench …` script runs the CLI inside `packages/bench` (pnpm runs a
 * script in its package's folder), so a path the user typed (`--out`, `--results`, a `path`
 * option such as `--option configs=…` (framework/options.ts), `merge` inputs) must resolve
 * against the folder pnpm was run in, which pnpm passes as `INIT_CWD`. That holds only when the CLI was started by a script named `fcn-bench`
 * (`npm_lifecycle_event`): the package's own scripts (`bench`, `standard`) write their paths
 * relative to the package, as scripts do, and run with `INIT_CWD` set to wherever the user
 * typed `pnpm --filter @fcn/bench standard`.
 */
import { resolve } from "node:path";

/** The name of the workspace script that forwards its arguments to the CLI. */
export const FORWARDING_SCRIPT = "fcn-bench";

/** The folder the user ran the command in: `INIT_CWD` under the `fcn-bench` script, else the current directory. */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const initCwd = env.INIT_CWD;
  return initCwd && env.npm_lifecycle_event === FORWARDING_SCRIPT ? resolve(cwd, initCwd) : resolve(cwd);
}

/** `path` resolved against the caller's folder (absolute paths are kept). */
export function callerPath(path: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return resolve(callerDirectory(env, cwd), path);
}

/** The options of every command that name a folder or file: resolved against the caller's folder before the action runs. */
export const PATH_OPTIONS = ["out", "results"] as const;
