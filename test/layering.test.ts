/**
 * The architecture of DESIGN.md, checked on the sources: core → executor → time → combinators →
 * sync → blocking → testing (then node, the Node-only services entry), imports only downward,
 * no import cycle between files, and nothing but blocking/ and node/ imports `node:*` modules.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const LAYERS = ["core", "executor", "time", "combinators", "sync", "blocking", "testing", "node"];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Relative imports and `node:` imports of a file, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"/g)) {
    out.push(m[1] as string);
  }
  // Dynamic imports count; `typeof import("…")` in a type position loads nothing.
  for (const m of text.matchAll(/(?<!typeof )\bimport\(\s*"([^"]+)"\s*\)/g))
    out.push(m[1] as string);
  return out;
}

/** The layer of a source file, or undefined for the entry points at the top of src/. */
function layerOf(file: string): number | undefined {
  const top = relative(src, file).split("/")[0] as string;
  const i = LAYERS.indexOf(top);
  return i === -1 ? undefined : i;
}

const all = files(src);
const graph = new Map<string, string[]>();
for (const file of all) {
  graph.set(
    file,
    importsOf(file)
      .filter((s) => s.startsWith("."))
      .map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts"))),
  );
}

describe("layering", () => {
  it("every src directory is a known layer", () => {
    const dirs = new Set(
      all
        .map((f) => relative(src, f).split("/"))
        .filter((p) => p.length > 1)
        .map((p) => p[0]),
    );
    expect([...dirs].filter((d) => !LAYERS.includes(d as string))).toEqual([]);
  });

  it("imports go only downward (or within a layer)", () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      const from = layerOf(file);
      if (from === undefined) continue;
      for (const dep of deps) {
        const to = layerOf(dep);
        if (to === undefined || to > from)
          upward.push(`${relative(src, file)} -> ${relative(src, dep)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("no import cycle between files", () => {
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 1);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === 1) {
          cycles.push(
            [...path.slice(path.indexOf(dep)), dep].map((f) => relative(src, f)).join(" -> "),
          );
        } else if (!state.has(dep)) visit(dep, [...path, dep]);
      }
      state.set(file, 2);
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it("only blocking/ and node/ import node: modules", () => {
    const offenders = all
      .filter((f) => !["blocking", "node"].includes(relative(src, f).split("/")[0] as string))
      .filter((f) => importsOf(f).some((s) => s.startsWith("node:")))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
