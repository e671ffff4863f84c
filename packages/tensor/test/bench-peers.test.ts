// Honest peers (bench/peers.ts, issue 14): the Python peers' scrubbed environment, the peak
// from /proc/cpuinfo, and suspect figures. No Python and no timing here.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type BenchReport,
  type CaseResult,
  type CaseSpec,
  type EngineResult,
  type ThreadsCase,
  computeRatios,
  evaluateTargets,
  evaluateThreadTargets,
  flagSuspects,
  renderMarkdown,
  speedRatio,
  summarize,
  toEngineResult,
} from "../bench/harness";
import { estimatePeak, parseCpuinfo, peakGflops, peerEnv, SCRUBBED_ENV_VARS, spawnPeer, suspectFlag } from "../bench/peers";

/** Two logical CPUs of a 2-core AMD EPYC (Zen 5) VM, trimmed to the fields that matter. */
const EPYC = [0, 1]
  .map(
    (i) => `processor\t: ${i}
vendor_id\t: AuthenticAMD
cpu family\t: 26
model name\t: AMD EPYC
cpu MHz\t\t: 2596.122
physical id\t: 0
siblings\t: 2
core id\t\t: ${i}
cpu cores\t: 2
flags\t\t: fpu sse sse2 fma avx avx2 avx512f avx512dq avx512bw avx512vl
`,
  )
  .join("\n");

/** Four logical CPUs on two SMT cores, AVX2 only, one slower reading of the clock. */
const SMT_AVX2 = [0, 1, 2, 3]
  .map(
    (i) => `processor\t: ${i}
model name\t: Intel(R) Core(TM) i7
cpu MHz\t\t: ${i === 2 ? "1200.000" : "3000.000"}
physical id\t: 0
siblings\t: 4
cpu cores\t: 2
flags\t\t: fpu sse sse2 fma avx avx2
`,
  )
  .join("\n");

describe("the Python peers' environment", () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const k of SCRUBBED_ENV_VARS) saved[k] = process.env[k];
    process.env.OPENBLAS_CORETYPE = "Haswell";
    process.env.OPENBLAS_L2_SIZE = "512";
  });
  afterEach(() => {
    for (const k of SCRUBBED_ENV_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("peerEnv drops the two OpenBLAS variables, sets the thread variables, and leaves its argument alone", () => {
    const parent = { ...process.env };
    const env = peerEnv(parent, 2);
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.OMP_NUM_THREADS).toBe("2");
    expect(env.OPENBLAS_NUM_THREADS).toBe("2");
    expect(env.MKL_NUM_THREADS).toBe("2");
    expect(env.PATH).toBe(parent.PATH);
    expect(parent.OPENBLAS_CORETYPE).toBe("Haswell");
    expect(peerEnv(parent).OMP_NUM_THREADS).toBe(parent.OMP_NUM_THREADS);
  });

  it("a spawned peer does not see them while this process keeps them", () => {
    const script = "process.stdout.write(JSON.stringify({ core: process.env.OPENBLAS_CORETYPE ?? null, l2: process.env.OPENBLAS_L2_SIZE " +
      "?? null, omp: process.env.OMP_NUM_THREADS ?? null, stdin: require('fs').readFileSync(0, 'utf8') }))";
    const r = spawnPeer(process.execPath, ["-e", script], "request", { threads: 1, timeoutMs: 60_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ core: null, l2: null, omp: "1", stdin: "request" });
    expect(process.env.OPENBLAS_CORETYPE).toBe("Haswell");
    expect(process.env.OPENBLAS_L2_SIZE).toBe("512");
  });
});

describe("the machine's peak from /proc/cpuinfo", () => {
  it("cores × GHz × 2 FMA units × lanes × 2 on an AVX-512 EPYC", () => {
    const info = parseCpuinfo(EPYC);
    expect(info).not.toBeNull();
    expect(info?.model).toBe("AMD EPYC");
    expect(info?.logicalCpus).toBe(2);
    expect(info?.physicalCores).toBe(2);
    const peak = estimatePeak(info!)!;
    expect(peak.lanesF32).toBe(16);
    expect(peak.fmaUnitsPerCore).toBe(2);
    expect(peak.perCoreGflopsF32).toBeCloseTo(2.596122 * 2 * 16 * 2, 6); // 166.15
    expect(peak.formula).toContain("2.596 GHz × 2 FMA/cycle × 16 float32 lanes × 2 flops = 166.2 GFLOP/s per core");
    expect(peakGflops(peak, "float32", 1)).toBeCloseTo(166.15, 1);
    expect(peakGflops(peak, "float32", 2)).toBeCloseTo(332.3, 1);
    expect(peakGflops(peak, "float32", 8)).toBeCloseTo(332.3, 1); // no more than the cores
    expect(peakGflops(peak, "float64", 1)).toBeCloseTo(83.08, 1);
  });

  it("AVX2 has 8 lanes; SMT siblings share a core; the highest clock counts", () => {
    const info = parseCpuinfo(SMT_AVX2)!;
    expect(info.logicalCpus).toBe(4);
    expect(info.physicalCores).toBe(2);
    expect(info.mhz).toBe(3000);
    const peak = estimatePeak(info)!;
    expect(peak.lanesF32).toBe(8);
    expect(peak.perCoreGflopsF32).toBeCloseTo(96);
    expect(peakGflops(peak, "float32", 4)).toBeCloseTo(192);
  });

  it("no processors or no clock: no peak", () => {
    expect(parseCpuinfo("")).toBeNull();
    expect(estimatePeak(parseCpuinfo("processor\t: 0\nflags\t: avx2 fma\n")!)).toBeNull();
  });
});

describe("suspect peer figures", () => {
  const peak = estimatePeak(parseCpuinfo(EPYC)!)!;

  it("below 10% of the peak on the peer's thread count is suspect", () => {
    expect(suspectFlag(7.2, "float32", 1, peak)?.fractionOfPeak).toBeCloseTo(7.2 / 166.15, 3);
    expect(suspectFlag(7.2, "float32", 1, peak)?.reason).toMatch(/4\.3% of the machine's float32 peak on 1 thread \(166 GFLOP\/s\)/);
    expect(suspectFlag(17, "float32", 1, peak)).toBeNull(); // 10.2%
    expect(suspectFlag(17, "float32", 2, peak)).not.toBeNull(); // 5.1% of two cores
    expect(suspectFlag(9, "float64", 1, peak)).toBeNull(); // 10.8% of the float64 peak
    expect(suspectFlag(7, "float64", 1, peak)).not.toBeNull();
    expect(suspectFlag(0.1, "float32", 1, null)).toBeNull(); // no peak: nothing is flagged
  });

  const spec = (n: number): CaseSpec => ({
    id: `matmul-f32-AB-${n}`,
    group: "matmul",
    label: `matmul f32 AB ${n}`,
    flops: 2 * n ** 3,
    params: { kind: "matmul", dtype: "float32", n, transposeA: false, transposeB: false },
  });
  const at = (s: CaseSpec, gflops: number): EngineResult => {
    const sec = s.flops! / (gflops * 1e9);
    return toEngineResult(s, summarize([sec, sec], 1));
  };

  it("a suspect figure gets no ratio, its target says SUSPECT, and the table says suspect", () => {
    const s = spec(512);
    const results: CaseResult["results"] = { ours: at(s, 50), "tfjs-wasm": at(s, 25), torch: at(s, 7) };
    expect(flagSuspects(results, s, "torch", 1, peak)).toBe(1);
    expect(flagSuspects(results, s, "tfjs-wasm", 1, peak)).toBe(0);
    const c: CaseResult = { ...s, results, ratios: computeRatios(results) };
    expect(c.ratios.torch).toBeNull();
    expect(c.ratios["tfjs-wasm"]).toBeCloseTo(2);
    const targets = evaluateTargets([c]);
    const vsTorch = targets.find((t) => t.id === "matmul-f32-AB-512:torch");
    expect(vsTorch?.status).toBe("SUSPECT");
    expect(vsTorch?.measured).toBeNull();
    expect(vsTorch?.issue).toBe(14);

    const report: BenchReport = {
      schema: 1,
      generatedAt: "2026-01-02T03:04:05.000Z",
      command: "pnpm bench",
      quick: false,
      machine: { cpu: "AMD EPYC", cores: 2, availableParallelism: 2, memoryGiB: 8, platform: "linux", arch: "x64", node: "v20.0.0", v8: "11", loadAverageStart: [0, 0, 0] },
      method: { warmupSeconds: 0.2, minSeconds: 0.5, minReps: 7, maxSeconds: 4, statistic: "median", threads: 1 },
      engines: {
        ours: { available: true },
        "tfjs-cpu": { available: false },
        "tfjs-wasm": { available: true, version: "4.22.0", threads: 1 },
        torch: {
          available: true,
          version: "1.13.0",
          threads: 1,
          config: {
            blasInfo: "generic",
            blasLibraries: ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"],
            blasKind: "reference BLAS (netlib, unoptimized)",
            scrubbedEnv: { OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null },
          },
        },
      },
      checks: {},
      cases: [c],
      targets,
      peak: { estimate: peak, measuredLowerBoundGflops: 50, checkedPeers: ["torch", "numpy"], suspectFraction: 0.1 },
      notes: [],
    };
    const md = renderMarkdown(report);
    const row = md.split("\n").find((l) => l.startsWith("| matmul f32 AB 512 |"))!;
    expect(row).toContain("| 7.00 (suspect) |");
    expect(row).toContain("| suspect |");
    expect(row).not.toMatch(/7\.1\d×/); // no 50/7 ratio anywhere in the row
    expect(md).toContain("166.2 GFLOP/s per core");
    expect(md).toContain("OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its process");
    expect(md).toContain("reference BLAS (netlib, unoptimized)");
    expect(md).toContain("Targets: 1 of 1 met (1 not measurable in this run; 1 against a suspect peer figure)");
    expect(md).toContain("A figure of PyTorch or NumPy below 10%");
  });

  it("a plausible figure keeps its ratio, and a flag is cleared when the figure is re-checked", () => {
    const s = spec(512);
    const results: CaseResult["results"] = { ours: at(s, 50), torch: at(s, 100) };
    expect(flagSuspects(results, s, "torch", 1, peak)).toBe(0);
    expect(speedRatio(results.ours, results.torch)).toBeCloseTo(0.5);
    expect(flagSuspects(results, s, "torch", 2, { ...peak, perCoreGflopsF32: 600 })).toBe(1);
    expect(flagSuspects(results, s, "torch", 1, peak)).toBe(0);
    expect((results.torch as EngineResult).suspect).toBeUndefined();
  });

  it("the 2-thread target compares ours@2 with PyTorch@2, MISS with the measured ratio", () => {
    const s = spec(512);
    const results: ThreadsCase["results"] = { "ours@2": at(s, 60), "torch@2": at(s, 150) };
    const c: ThreadsCase = { ...s, results, ratios: { "torch@2": speedRatio(results["ours@2"], results["torch@2"]) } };
    const [t] = evaluateThreadTargets([c]);
    expect(t.status).toBe("MISS");
    expect(t.measured).toBeCloseTo(0.4);
    flagSuspects(results, s, "torch@2", 2, peak); // 150 of 332: plausible
    expect(evaluateThreadTargets([c])[0].status).toBe("MISS");
  });
});
