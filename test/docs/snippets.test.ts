/**
 * Every TypeScript block of README.md and docs/*.md is type-checked as a program of its own,
 * importing `wakeful` the way a user's project does (tsconfig `paths` map it to the sources,
 * as for the examples), and the blocks marked runnable (a fence that reads `ts runnable`) are
 * run to completion in a fresh Node process with tsx (issue 15, after fast-check's tested
 * tutorial snippets).
 *
 * Guides also show fragments: a few lines from inside an async block, using a connection or a
 * channel set up elsewhere. For those:
 * - a block gets the import lines the guide leaves out: every value export of `wakeful` and
 *   `wakeful/testing`, and for test code `fc` and vitest's `describe`/`it`/`expect`, except
 *   the names the block imports itself;
 * - a fence that reads `ts body` is the body of an async block (`future(function* () { … })`);
 * - an HTML comment right before the fence, `<!-- snippet context: … -->`, holds what the
 *   fragment assumes (declarations, imports); GitHub and the docs site do not show it, and the
 *   fragment is checked against it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);

interface Snippet {
  /** Where the block starts, as `file:line` of its first code line. */
  readonly where: string;
  readonly code: string;
  /** What the block assumes: the `<!-- snippet context: … -->` before its fence. */
  readonly context: string;
  readonly runnable: boolean;
  readonly body: boolean;
  /** File name of the snippet's program in the scratch directory. */
  readonly name: string;
}

/** The fenced `ts` blocks of one markdown file, with the line each starts on. */
function extractSnippets(file: string, markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const fence =
    /(?:<!--\s*snippet context:([\s\S]*?)-->\s*\n)?^```(ts|typescript)((?:[ \t]+[\w-]+)*)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of markdown.matchAll(fence)) {
    const code = m[4] ?? "";
    const line = markdown.slice(0, m.index + m[0].length - code.length - 3).split("\n").length;
    const words = (m[3] ?? "").trim().split(/\s+/);
    snippets.push({
      where: `${file}:${line}`,
      code,
      context: m[1] ?? "",
      runnable: words.includes("runnable"),
      body: words.includes("body"),
      name: `${file.replace(/\W+/g, "_")}_${line}.ts`,
    });
  }
  return snippets;
}

const sources = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const snippets = sources.flatMap((file) => extractSnippets(file, readFileSync(file, "utf8")));

/**
 * The import lines a fragment leaves out: every value export of `wakeful` and of
 * `wakeful/testing`, and in testing.md's test code, fast-check and vitest.
 */
const wakefulExports = Object.keys(await import("wakeful"));
const testingExports = Object.keys(await import("wakeful/testing")).filter(
  (name) => !wakefulExports.includes(name),
);
const prelude: [names: string[], from: string, isDefault?: boolean][] = [
  [wakefulExports, "wakeful"],
  [testingExports, "wakeful/testing"],
  [["fc"], "fast-check", true],
  [["describe", "expect", "it"], "vitest"],
];

/** The names a snippet's own import lines bring in. */
function importedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?/gm)) {
    if (m[1]) names.add(m[1]);
    for (const part of (m[2] ?? "").split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * The program checked for a snippet, and how many lines come before its code (to point
 * diagnostics back at the markdown).
 */
function program(s: Snippet): { text: string; offset: number } {
  const own = importedNames(`${s.context}\n${s.code}`);
  const head: string[] = [];
  for (const [names, from, isDefault] of prelude) {
    const missing = names.filter((n) => !own.has(n));
    if (missing.length === 0) continue;
    head.push(
      isDefault
        ? `import ${missing[0]} from "${from}";`
        : `import { ${missing.join(", ")} } from "${from}";`,
    );
  }
  head.push(
    ...s.context
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== ""),
  );
  if (s.body) head.push("export const snippet = future(function* () {");
  const text = [...head, s.code, s.body ? "});" : ""].join("\n");
  return { text, offset: head.length };
}

const scratch = mkdtempSync(".snippets-");
const offsets = new Map<string, number>();
for (const s of snippets) {
  const { text, offset } = program(s);
  writeFileSync(join(scratch, s.name), text);
  offsets.set(s.name, offset);
}
writeFileSync(
  join(scratch, "tsconfig.json"),
  JSON.stringify({ extends: "../tsconfig.json", include: ["*.ts"] }),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** tsc's diagnostics, pointed back at the markdown line they belong to. */
function inMarkdown(output: string): string[] {
  const byName = new Map(snippets.map((s) => [s.name, s]));
  return output
    .split("\n")
    .filter((l) => /error TS\d+/.test(l))
    .map((l) => {
      const m = /([\w.-]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(l);
      const snippet = m ? byName.get(m[1] as string) : undefined;
      if (!m || !snippet) return l;
      const [file, start] = snippet.where.split(":") as [string, string];
      const line = Number(start) + Number(m[2]) - 1 - (offsets.get(snippet.name) ?? 0);
      return `${file}:${line}: ${m[4]}`;
    });
}

describe("the TypeScript blocks of README.md and docs/*.md", () => {
  it("are found, in every guide", () => {
    expect(snippets.length).toBeGreaterThan(30);
    for (const file of sources.filter((f) => f.startsWith("docs/"))) {
      expect(
        snippets.some((s) => s.where.startsWith(`${file}:`)),
        file,
      ).toBe(true);
    }
    expect(snippets.some((s) => s.runnable)).toBe(true);
  });

  it("type-check, each as a program of its own importing wakeful", async () => {
    const result = await exec(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "--noEmit", "-p", join(scratch, "tsconfig.json")],
      { maxBuffer: 16 << 20 },
    ).then(
      () => "",
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(inMarkdown(result)).toEqual([]);
  }, 180_000);

  for (const snippet of snippets.filter((s) => s.runnable)) {
    it(`run: ${snippet.where}`, async () => {
      const { stderr } = await exec(
        process.execPath,
        ["--import", "tsx", join(scratch, snippet.name)],
        {
          timeout: 60_000,
        },
      );
      expect(stderr).toBe("");
    }, 90_000);
  }
});
