#!/usr/bin/env node
/** Executable entry of fcn-bench (built to dist/cli.js). */
import { main } from "./cli.js";

// `fcn-bench list | head`: a closed pipe ends the output quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

void main();
