import { existsSync } from "node:fs";
import { defineConfig } from "tsup";

/** Public entry points: `wakeful` and `wakeful/testing`; these get type declarations. */
const publicEntries = {
  index: "src/index.ts",
  testing: "src/testing.ts",
  executor: "src/executor.ts",
  node: "src/node.ts",
};

/**
 * The `"node"` export condition's entry points: each is its public entry plus the Node host
 * (src/node/host.ts). They share the declarations of their public entry.
 */
const nodeEntries = {
  "index.node": "src/index.node.ts",
  "testing.node": "src/testing.node.ts",
  "executor.node": "src/executor.node.ts",
};

/**
 * The blocking pool's worker script is built beside the entry points as `dist/worker.js`
 * (and `dist/worker.cjs`), so `new URL("./worker.js", import.meta.url)` finds it from both
 * `dist/index.js` and `dist/index.cjs`. It is added only once the file exists.
 */
const workerEntry = "src/blocking/worker-entry.ts";
const entry: Record<string, string> = existsSync(workerEntry)
  ? { ...publicEntries, ...nodeEntries, worker: workerEntry }
  : { ...publicEntries, ...nodeEntries };

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  target: "node20",
  platform: "node",
  dts: {
    entry: publicEntries,
    // tsup injects `baseUrl`, deprecated in TypeScript 6 (TS5101).
    compilerOptions: { ignoreDeprecations: "6.0", stripInternal: true },
  },
  shims: true,
  removeNodeProtocol: false,
  // Maps point stack traces and debuggers at the original files (lines and names), without
  // embedding the sources themselves: those were most of the tarball, and users who need the
  // sources have the repository.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  // Shared chunks keep one copy of the core (one Future class, one current-executor slot)
  // behind both entry points `wakeful` and `wakeful/testing`.
  splitting: true,
  treeshake: true,
  // Constants folded and inlined here (task-state's flags, the async block's states): a
  // consumer's bundler cannot inline the `var`s a plain build leaves between chunks, so each
  // stayed a variable in every browser bundle. Identifiers stay as written, and the source
  // maps still point at the original files and lines.
  minifySyntax: true,
});
