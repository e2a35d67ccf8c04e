/**
 * fast-check is an optional peer dependency that only `schedules(fc)` uses, and the caller hands
 * it the module: `wakeful/testing` never loads fast-check itself, so Node does not load it
 * eagerly and a bundle of a program that uses `wakeful/testing` does not contain it.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const testingEntry = fileURLToPath(new URL("../../src/testing.ts", import.meta.url));

/**
 * Runs `code` (an ES module) in a fresh Node with tsx, after a resolve hook that turns
 * "fast-check" into a module recording that it was loaded; prints what `code` writes.
 */
function runWithProbe(code: string): string {
  const probe = "globalThis.__fastCheckLoaded = true; export default {};";
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === "fast-check" || specifier.startsWith("fast-check/")) {
      return { url: ${JSON.stringify(`data:text/javascript,${encodeURIComponent(probe)}`)}, shortCircuit: true };
    }
    return next(specifier, context);
  }`;
  const script = `import { register } from "node:module";
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
    ${code}`;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

const report = `await new Promise((resolve) => setTimeout(resolve, 50));
  process.stdout.write(String(globalThis.__fastCheckLoaded === true));`;

describe("wakeful/testing and fast-check", () => {
  it("the probe sees fast-check being loaded (self-test)", () => {
    expect(runWithProbe(`await import("fast-check"); ${report}`)).toBe("true");
  });

  it("importing wakeful/testing does not load fast-check", () => {
    const load = `const t = await import(${JSON.stringify(testingEntry)});
      if (typeof t.SimExecutor !== "function") throw new Error("wakeful/testing did not load");`;
    expect(runWithProbe(`${load} ${report}`)).toBe("false");
  });

  it("a bundle of wakeful/testing contains no fast-check code", async () => {
    for (const contents of [
      `import { SimExecutor } from ${JSON.stringify(testingEntry)}; console.log(SimExecutor);`,
      `export * from ${JSON.stringify(testingEntry)};`,
    ]) {
      const result = await build({
        stdin: { contents, resolveDir: root, loader: "ts" },
        bundle: true,
        format: "esm",
        platform: "browser",
        minify: true,
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((file) => file.includes("src/testing/sim-executor.ts"))).toBe(true);
      expect(inputs.filter((file) => file.includes("node_modules/fast-check"))).toEqual([]);
      // fast-check alone is about 173 KB minified; all of wakeful/testing is about 67 KB
      // (47 KB for SimExecutor alone) since explore, linearizability and timelines.
      expect(result.outputFiles[0]?.contents.byteLength).toBeLessThan(100_000);
    }
  });
});
