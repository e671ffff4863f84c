#!/usr/bin/env node
/** Executable entry of fcn-bench (built to dist/cli.js). */
import { main } from "./cli.js";

void main();
