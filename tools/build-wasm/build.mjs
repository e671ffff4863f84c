#!/usr/bin/env node
// Builds the GEMM kernel (AssemblyScript, tools/build-wasm/gemm) and the elementwise kernels
// (tools/build-wasm/elementwise) and writes them base64-embedded to
// packages/tensor/src/backend/cpu/gemm/wasm-bytes.ts, so no file is loaded at run time.
// Usage: node tools/build-wasm/build.mjs [--check]   (--check: exit 1 if the committed file is stale)
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const tensorDir = join(root, "packages/tensor");
const outFile = join(tensorDir, "src/backend/cpu/gemm/wasm-bytes.ts");

const require = createRequire(join(tensorDir, "package.json"));
const asc = join(dirname(require.resolve("assemblyscript/package.json")), "bin/asc.js");

/** Flags shared by every build; the memory is imported and shared so worker threads can use it. */
const ASC_FLAGS = [
  "--importMemory", "--sharedMemory", "--initialMemory", "1", "--maximumMemory", "65536",
  "--runtime", "stub", "-O3", "--noAssert",
];

/**
 * Flags of the unshared builds, which run over the CPU arena (the tensors' own memory) for
 * single-thread products in place: their static data from 32 KiB on, clear of the elementwise
 * module's (below 8 KiB), which shares that memory.
 */
const UNSHARED_FLAGS = ["--importMemory", "--initialMemory", "1", "--memoryBase", "32768", "--runtime", "stub", "-O3", "--noAssert"];

/** The builds: plain SIMD (mul + add) and relaxed SIMD (fused multiply-add), each for a shared and an unshared memory. */
const VARIANTS = [
  { name: "GEMM_WASM_SIMD", features: "simd,threads", doc: "SIMD build (f32x4/f64x2 mul + add)" },
  { name: "GEMM_WASM_RELAXED", features: "simd,threads,relaxed-simd", doc: "relaxed-SIMD build (fused multiply-add)" },
  { name: "GEMM_WASM_SIMD_UNSHARED", features: "simd", flags: UNSHARED_FLAGS, doc: "SIMD build, unshared memory (the CPU arena)" },
  { name: "GEMM_WASM_RELAXED_UNSHARED", features: "simd,relaxed-simd", flags: UNSHARED_FLAGS, doc: "relaxed-SIMD build, unshared memory (the CPU arena)" },
];

/**
 * The elementwise module: plain SIMD over its own unshared memory (copies into a shared memory run
 * at half the speed in V8, and these kernels are bound by those copies).
 */
const ELEMENTWISE = {
  name: "ELEMENTWISE_WASM", entry: "tools/build-wasm/elementwise/index.ts", features: "simd",
  flags: ["--importMemory", "--initialMemory", "1", "--runtime", "stub", "-O3", "--noAssert"],
  doc: "elementwise kernels, SIMD build, unshared imported memory",
};
/**
 * The same with relaxed SIMD: only fast math mode's polynomials (fastmath.ts's `madd`) change, to a
 * fused multiply-add; the exact kernels use no relaxed operation and compile to the same code.
 */
const ELEMENTWISE_RELAXED = { ...ELEMENTWISE, name: "ELEMENTWISE_WASM_RELAXED", features: "simd,relaxed-simd", doc: "elementwise kernels, relaxed-SIMD build" };

/** Compiles one variant; resolves to the wasm bytes. */
async function build(features, entry = "tools/build-wasm/gemm/index.ts", flags = ASC_FLAGS) {
  const dir = mkdtempSync(join(tmpdir(), "fcn-gemm-"));
  try {
    const wasm = join(dir, "gemm.wasm");
    // Relative entry path keeps absolute paths out of the binary's name section.
    await promisify(execFile)(process.execPath, [asc, entry, "--enable", features, ...flags, "-o", wasm], { cwd: root });
    return readFileSync(wasm);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Base64 lines as one string: an array joined at load time, not a chain of `+` (a chain of ~1,000
 * operands nests that deep in a parser's tree and overflowed ESLint's stack).
 */
function base64Literal(lines) {
  return `[\n${lines.map((l) => `  "${l}",`).join("\n")}\n].join("");`;
}

async function render() {
  // All builds compile concurrently.
  const [elementwise, elementwiseRelaxed, ...binaries] = await Promise.all([
    build(ELEMENTWISE.features, ELEMENTWISE.entry, ELEMENTWISE.flags),
    build(ELEMENTWISE_RELAXED.features, ELEMENTWISE_RELAXED.entry, ELEMENTWISE_RELAXED.flags),
    ...VARIANTS.map((v) => build(v.features, undefined, v.flags)),
  ]);
  const out = [
    "// GENERATED FILE, do not edit. Regenerate with `pnpm --filter @fcn/tensor build:wasm`",
    "// (node tools/build-wasm/build.mjs) from the AssemblyScript sources in tools/build-wasm/gemm:",
    `// asc tools/build-wasm/gemm/index.ts --enable <features> ${ASC_FLAGS.join(" ")}`,
  ];
  for (const [i, v] of VARIANTS.entries()) {
    const lines = binaries[i].toString("base64").match(/.{1,100}/g) ?? [];
    const flags = v.flags ? ` ${v.flags.join(" ")}` : "";
    out.push("", `/** GEMM module, ${v.doc}, base64 (--enable ${v.features}${flags}). */`, `export const ${v.name} =`);
    out.push(base64Literal(lines));
  }
  for (const [module, bytes] of [[ELEMENTWISE, elementwise], [ELEMENTWISE_RELAXED, elementwiseRelaxed]]) {
    const lines = bytes.toString("base64").match(/.{1,100}/g) ?? [];
    out.push("", `/** ${module.doc}, base64:`, ` * asc ${module.entry} --enable ${module.features} ${module.flags.join(" ")} */`);
    out.push(`export const ${module.name} =`, base64Literal(lines));
  }
  return out.join("\n") + "\n";
}

const text = await render();
if (process.argv.includes("--check")) {
  const current = readFileSync(outFile, "utf8");
  if (current !== text) {
    console.error(`${outFile} is stale: run node tools/build-wasm/build.mjs`);
    process.exit(1);
  }
  console.log("wasm-bytes.ts is up to date");
} else {
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}
