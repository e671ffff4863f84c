import { describe, expect, it } from "vitest";
import { filterDawnWarnings, withoutDawnWarnings } from "../quiet-dawn.js";

// Dawn's stderr from one WebGPU test file on a machine without Vulkan, as the `webgpu` package prints it.
const DAWN = [
  "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory",
  "    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)",
  "",
  "Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.",
  "Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 80 to 16 to fit dynamic offset allocation limit.",
  "",
].join("\n");
const EGL = "Warning: eglInitialize failed with EGL_NOT_INITIALIZED\n - While trying to discover a BackendType::OpenGLES adapter.\n " +
  "   at CheckEGL (/x/third_party/dawn/src/dawn/native/opengl/UtilsEGL.cpp:89)\n\n";

describe("Dawn's warnings in the test output", () => {
  it("are removed, blocks with their location lines, and nothing else is", () => {
    expect(withoutDawnWarnings(DAWN)).toBe("");
    expect(withoutDawnWarnings(EGL)).toBe("");
    const mixed = ` ✓ test/a.test.ts (3 tests)\n${DAWN}stderr | test/b.test.ts\n${EGL}Warning: a test's own warning\n    at itsCode (test/b.test.ts:3)\n`;
    expect(withoutDawnWarnings(mixed)).toBe(" ✓ test/a.test.ts (3 tests)\nstderr | test/b.test.ts\nWarning: a test's own warning\n    at itsCode (test/b.test.ts:3)\n");
  });

  it("are dropped from a stream's writes, strings and buffers, until the filter is removed", () => {
    const written: string[] = [];
    const stream = { write: (chunk: string | Uint8Array) => written.push(String(chunk)) > 0 } as unknown as NodeJS.WriteStream;
    const restore = filterDawnWarnings(stream);
    expect(filterDawnWarnings(stream)).not.toBe(restore); // a second install is a no-op
    stream.write(Buffer.from(DAWN));
    stream.write(`kept\n${EGL}`);
    stream.write("plain\n");
    restore();
    stream.write(DAWN);
    expect(written).toEqual(["kept\n", "plain\n", DAWN]);
  });
});
