/**
 * The examples import wakeful exactly as a user's project does (issue 15): through the
 * package's public entry points, so a copied example runs unchanged. tsconfig's `paths`, the
 * vitest alias and tsx resolve `wakeful` to the sources here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const publicEntries = new Set(["wakeful", "wakeful/testing", "wakeful/executor", "wakeful/node"]);

function importsOf(source: string): string[] {
  // Static imports and re-exports, side-effect imports, and `import("…")`; not a string that
  // merely follows the word import (e.g. `["--import", "tsx"]` in a child process's argv).
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"|(?:^|\n)\s*import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g;
  return [...source.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

describe("examples/", () => {
  const files = readdirSync("examples").filter((f) => f.endsWith(".ts"));

  it("import wakeful only through its public entry points", () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(`examples/${file}`, "utf8"))) {
        const allowed =
          publicEntries.has(specifier) ||
          specifier.startsWith("node:") ||
          specifier === "fast-check" ||
          (specifier.startsWith("./") && !specifier.includes(".."));
        if (!allowed) offenders.push(`${file}: ${specifier}`);
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(offenders).toEqual([]);
  });

  it("import wakeful as users do, in every scenario", () => {
    const scenarios = files.filter((f) => /^\d\d-/.test(f));
    for (const file of scenarios) {
      const imports = importsOf(readFileSync(`examples/${file}`, "utf8"));
      expect(imports, file).toContain("wakeful");
    }
  });
});
