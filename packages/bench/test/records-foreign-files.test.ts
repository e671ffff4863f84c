import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanRecords } from "../src/framework/store.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a folder that is not a records folder", () => {
  it("keeps its JSON files where they are: only hash-named files are records (and only those are moved aside)", () => {
    // A repository root passed as a results folder by mistake: tools/tsconfig.json looks like experiment "tools".
    const root = mkdtempSync(join(tmpdir(), "fcn-foreign-"));
    made.push(root);
    mkdirSync(join(root, "tools"));
    writeFileSync(join(root, "tools", "tsconfig.json"), '{ "extends": "../tsconfig.base.json" }\n');
    const broken = `${"ab".repeat(32)}.json`;
    writeFileSync(join(root, "tools", broken), "{ not json");
    const scan = scanRecords(root);
    expect(scan.records).toEqual([]);
    expect(scan.bad.map((b) => b.path)).toEqual([join(root, "tools", broken)]);
    expect(readFileSync(join(root, "tools", "tsconfig.json"), "utf8")).toContain("extends");
    expect(existsSync(join(root, "tools", ".bad", "tsconfig.json"))).toBe(false);
    expect(existsSync(join(root, "tools", ".bad", broken))).toBe(true);
  });
});
