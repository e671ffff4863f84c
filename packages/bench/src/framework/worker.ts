/**
 * Worker-thread entry: receives {experiment, config, mode}, runs it, posts the record back.
 * Built to dist/worker.js; from sources it runs under tsx with the `@fcn/source` condition.
 */
import { parentPort } from "node:worker_threads";
import { findExperiment } from "../experiments/registry.js";
import { executeConfig } from "./execute.js";
import type { Config, Mode } from "./types.js";

interface Task {
  readonly id: number;
  readonly experiment: string;
  readonly config: Config;
  readonly mode: Mode;
}

async function run(task: Task): Promise<void> {
  const experiment = findExperiment(task.experiment);
  const record = await executeConfig(experiment, task.config, task.mode, (fraction) => {
    parentPort?.postMessage({ id: task.id, progress: fraction });
  });
  parentPort?.postMessage({ id: task.id, record });
}

// A rejection is left unhandled on purpose: it ends the worker, and the pool sees its "error" event.
parentPort?.on("message", (task: Task) => void run(task));
