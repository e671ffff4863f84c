/**
 * Type-checks every ```ts block of a package README, each as its own module beside the
 * package's sources, with the package's compiler options and the `@fcn/source` condition (so
 * `import … from "@fcn/tensor"` resolves to the workspace's sources). A block that uses a
 * name it does not import or declare fails (TS2304), so every snippet a reader copies is
 * complete. Used by each package's README test.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** One ```ts block: its 1-based line in the README and its text. */
export interface Snippet {
  readonly line: number;
  readonly code: string;
}

/** Every ```ts (or ```typescript) block of a Markdown text, in order. */
export function tsSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    snippets.push({ line: start + 1, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return snippets;
}

/** A snippet that does not type-check: where it starts in the README and the compiler's messages. */
export interface SnippetError {
  readonly line: number;
  readonly messages: readonly string[];
}

/**
 * Type-checks `snippets` as modules in `packageDir` (compiler options from its tsconfig.json,
 * unused locals allowed). Returns one entry per snippet that fails; empty when all compile.
 */
export function typecheckSnippets(packageDir: string, snippets: readonly Snippet[]): SnippetError[] {
  const configFile = join(packageDir, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, declaration: false };
  // Each snippet is a module of its own (`export {}` makes an import-free block one too), so blocks never see each other's names.
  const files = new Map(snippets.map((s, i) => [join(packageDir, `README.snippet-${i + 1}.ts`), { snippet: s, text: `${s.code}\nexport {};\n` }]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, shouldCreate) => {
    const virtual = files.get(name);
    return virtual ? ts.createSourceFile(name, virtual.text, language, true) : getSourceFile(name, language, onError, shouldCreate);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name)?.text ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: SnippetError[] = [];
  for (const [name, { snippet }] of files) {
    const diagnostics = [...program.getSyntacticDiagnostics(program.getSourceFile(name)), ...program.getSemanticDiagnostics(program.getSourceFile(name))];
    if (diagnostics.length === 0) continue;
    errors.push({
      line: snippet.line,
      messages: diagnostics.map((d) => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        return `README line ${snippet.line + at}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      }),
    });
  }
  return errors;
}

/** The ```ts blocks of `<packageDir>/README.md` that do not type-check (see `typecheckSnippets`). */
export function checkReadme(packageDir: string): { snippets: number; errors: SnippetError[] } {
  const readme = join(packageDir, "README.md");
  if (!existsSync(readme)) throw new Error(`no README.md in ${dirname(readme)}`);
  const snippets = tsSnippets(readFileSync(readme, "utf8"));
  return { snippets: snippets.length, errors: typecheckSnippets(packageDir, snippets) };
}
