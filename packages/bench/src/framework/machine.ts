/** Machine and engine description stored in every record. */
import { arch, cpus, platform } from "node:os";
import { createRequire } from "node:module";
import benchManifest from "../../package.json";
import type { MachineInfo } from "./types.js";

/** The machine this process runs on. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return { platform: platform(), arch: arch(), cpus: list.length, cpuModel: list[0]?.model ?? "unknown", node: process.version };
}

/** Versions of the FCN packages, read from their manifests. */
export const ENGINE_VERSIONS: Record<string, string> = engineVersions();

// Manifests are read at run time (Node's ESM loader would need import attributes for JSON).
function engineVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { [benchManifest.name]: benchManifest.version };
  for (const name of ["@fcn/kron", "@fcn/data", "@fcn/tensor", "@fcn/nn"]) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = "unknown";
    }
  }
  return versions;
}

/** Default worker count: the number of cores. */
export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}
