/**
 * Experiment options: declarations, `--option` parsing, validation with typed errors naming the
 * option and the value, `--help`, and the contract that an option which changes results is
 * recorded in every config it makes (so in the record's hash), for every registered experiment.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EXPERIMENTS, type ExperimentOption, OptionError, buildProgram, checkOptionIds, configHash, defineOptions, optionsHelp, parseOptionAssignments, parseOptionValue,
  planJobs, resolveOptions,
} from "../src/index.js";

const OPTIONS = defineOptions([
  { id: "flag", type: "boolean", default: false, changesResults: true, description: "a flag" },
  { id: "count", type: "integer", min: 1, max: 9, changesResults: true, description: "a count" },
  { id: "kind", type: "choice", values: ["a", "b"], default: "a", changesResults: false, description: "a kind" },
  { id: "some", type: "choices", values: ["x", "y", "z"], changesResults: false, description: "some of them" },
  { id: "where", type: "path", changesResults: false, description: "a folder" },
]);
const holder = { id: "demo", runOptions: OPTIONS, reportOptions: [OPTIONS[0]] };

/** Runs the CLI embedded and returns what it printed (help) or throws its error. */
async function cli(...argv: string[]): Promise<string> {
  let printed = "";
  const program = buildProgram({ embedded: true });
  for (const command of program.commands) command.configureOutput({ writeOut: (text) => { printed += text; }, writeErr: () => {} });
  await program.parseAsync(["node", "fcn-bench", ...argv]).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "commander.helpDisplayed") throw error;
  });
  return printed;
}

describe("experiment options", () => {
  it("parses id=value, experiment.id=value and a bare boolean; rejects anything else naming the text", () => {
    expect(parseOptionAssignments(["count=3", "demo.kind=b", "flag", "some=x,y"])).toEqual([
      { id: "count", value: "3" }, { experiment: "demo", id: "kind", value: "b" }, { id: "flag", value: "true" }, { id: "some", value: "x,y" },
    ]);
    expect(() => parseOptionAssignments(["=3"])).toThrow('--option must look like id=value or experiment.id=value (e.g. limit=20 or fractalnet.amp=true), got "=3"');
    expect(() => defineOptions([OPTIONS[0], OPTIONS[0]])).toThrow('option "flag" is declared twice');
  });

  it("resolves defaults and typed values; a bad value is an OptionError naming the option, the experiment and the value", () => {
    expect(resolveOptions(holder, "run")).toEqual({ flag: false, count: undefined, kind: "a", some: undefined, where: undefined });
    const values = resolveOptions(holder, "run", parseOptionAssignments(["flag=true", "count=4", "count=5", "kind=b", "some=z,x,z", "where=/tmp/x"]));
    expect(values).toEqual({ flag: true, count: 5, kind: "b", some: ["z", "x"], where: "/tmp/x" });
    // A qualified option applies only to its experiment.
    expect(resolveOptions(holder, "run", parseOptionAssignments(["other.count=2"])).count).toBeUndefined();
    const cases: [string, string][] = [
      ["flag=yes", '--option flag (demo): expected true or false, got "yes"'],
      ["count=0", '--option count (demo): expected an integer ≥ 1 ≤ 9, got "0"'],
      ["count=2.5", '--option count (demo): expected an integer ≥ 1 ≤ 9, got "2.5"'],
      ["kind=c", '--option kind (demo): expected one of a, b, got "c"'],
      ["some=x,w", '--option some (demo): expected a comma-separated list of x, y, z ("w" is not one), got "x,w"'],
    ];
    for (const [text, message] of cases) {
      const attempt = () => resolveOptions(holder, "run", parseOptionAssignments([text]));
      expect(attempt).toThrow(OptionError);
      expect(attempt).toThrow(message);
    }
  });

  it("an integer option accepts exactly the integers in its range (property)", () => {
    const option: ExperimentOption = { id: "n", type: "integer", min: -3, max: 40, changesResults: false, description: "" };
    fc.assert(fc.property(fc.integer({ min: -100, max: 100 }), (n) => {
      const inRange = n >= -3 && n <= 40;
      if (inRange) expect(parseOptionValue(option, String(n))).toBe(n);
      else expect(() => parseOptionValue(option, String(n))).toThrow(OptionError);
    }));
  });

  it("an option no selected experiment declares (for that command) fails with the ones there are", () => {
    expect(() => checkOptionIds([holder], parseOptionAssignments(["nope=1"]), "run")).toThrow(/--option nope: no selected experiment has this run option; run options: demo\.flag, demo\.count/);
    expect(() => checkOptionIds([holder], parseOptionAssignments(["count=1"]), "report")).toThrow("--option count: no selected experiment has this report option; report options: demo.flag");
    expect(() => checkOptionIds([holder], parseOptionAssignments(["exp1.count=1"]), "run")).toThrow('"exp1" is not among the selected experiments (demo)');
    expect(() => checkOptionIds([holder], parseOptionAssignments(["demo.count=1", "flag"]), "run")).not.toThrow();
  });

  it("every option that changes results is recorded in each config: two values never share a config hash (every experiment)", () => {
    const distinct = (o: ExperimentOption): [string, string] => {
      if (o.type === "boolean") return ["false", "true"];
      if (o.type === "integer") return [String(o.min ?? 1), String((o.min ?? 1) + 1)];
      if (o.type === "choice" || o.type === "choices") return [o.values[0], o.values[1]];
      return ["/tmp/a", "/tmp/b"];
    };
    let checked = 0;
    for (const experiment of EXPERIMENTS) {
      for (const option of (experiment.runOptions ?? []).filter((o) => o.changesResults)) {
        const [a, b] = distinct(option).map((value) => new Set(planJobs([experiment], "quick", [1], undefined, "cpu", {}, [{ id: option.id, value }]).map((j) => j.hash)));
        expect(a.size, `${experiment.id}.${option.id}`).toBeGreaterThan(0);
        expect([...a].filter((h) => b.has(h)), `${experiment.id}.${option.id}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4); // fractalnet's dataset, epochs, amp, checkpoint
  });

  it("options left at their defaults keep every config and hash (frontier and fractalnet, all modes)", () => {
    for (const experiment of EXPERIMENTS.filter((e) => e.runOptions?.length)) {
      for (const mode of ["quick", "standard"] as const) {
        const plain = experiment.grid(mode, [101]);
        expect(plain.map((c) => configHash(experiment.id, c))).toEqual(experiment.grid(mode, [101], resolveOptions(experiment, "run")).map((c) => configHash(experiment.id, c)));
      }
    }
  });

  it("run and report parse --option through the generic commands; --help lists each experiment's options", async () => {
    await expect(cli("run", "fractalnet", "--dry-run", "--option", "limit=0")).rejects.toThrow('--option limit (fractalnet): expected an integer ≥ 1, got "0"');
    await expect(cli("run", "frontier", "--dry-run", "--option", "families=dense,nope")).rejects.toThrow(/--option families \(frontier\): .*\("nope" is not one\), got "dense,nope"/);
    await expect(cli("run", "exp1", "--dry-run", "--option", "limit=3")).rejects.toThrow(/--option limit: no selected experiment has this run option; run options: none/);
    await expect(cli("report", "fractalnet", "--results", ".", "--out", "/tmp/never", "--option", "slice=maybe")).rejects.toThrow('--option slice (fractalnet): expected true or false, got "maybe"');
    const runHelp = await cli("run", "--help");
    for (const id of ["frontier:", "datasets=<a,b,…>", "fractalnet:", "limit=<integer ≥ 1>", "amp=<true|false>", "variantsOut=<path>"]) expect(runHelp).toContain(id);
    expect(await cli("report", "--help")).toContain("performanceDoc=<path>");
    expect(optionsHelp([{ id: "bare" }], "run")).toBe("");
  });
});
