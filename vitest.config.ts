import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** `wakeful` as the examples and guides import it, resolved to the sources like tsconfig's `paths`. */
const source = (entry: string) => fileURLToPath(new URL(`./src/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^wakeful$/, replacement: source("index") },
      { find: /^wakeful\/testing$/, replacement: source("testing") },
      { find: /^wakeful\/executor$/, replacement: source("executor") },
      { find: /^wakeful\/node$/, replacement: source("node") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // vm pools break `using` down-levelling on Node 20; forks isolate worker_threads tests.
    pool: "forks",
    testTimeout: 20_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text", "html", "lcov"],
      reportsDirectory: "coverage",
    },
  },
});
