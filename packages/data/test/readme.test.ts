import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it, vi } from "vitest";
import { checkReadme } from "../../../tools/readme-snippets.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "fcn-data-readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("the README's first example runs as written", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  expect(block).toContain('from "@fcn/data"');
  const source = block.replace('from "@fcn/data"', `from ${JSON.stringify(join(here, "..", "src", "index.ts"))}`);
  const file = join(scratch, "example.ts");
  writeFileSync(file, source);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  await import(/* @vite-ignore */ file);
  expect(log).toHaveBeenCalledTimes(1);
  expect(log.mock.calls[0][0]).toEqual([256, 2]);
  expect(log.mock.calls[0][1]).toMatchObject({ name: "moons", task: "binary", classes: 2 });
  log.mockRestore();
});

it("every ```ts block of the README type-checks on its own, imports included", () => {
  const { snippets, errors } = checkReadme(fileURLToPath(new URL("..", import.meta.url)));
  expect(snippets).toBeGreaterThan(0);
  expect(errors).toEqual([]);
}, 60_000);
