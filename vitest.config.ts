import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `wakeful` as the examples and guides import it on Node, resolved to the sources like
 * tsconfig's `paths`: the `"node"` condition's entry points, which install the Node host.
 */
const source = (entry: string) => fileURLToPath(new URL(`./src/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^wakeful$/, replacement: source("index.node") },
      { find: /^wakeful\/testing$/, replacement: source("testing.node") },
      { find: /^wakeful\/executor$/, replacement: source("executor.node") },
      { find: /^wakeful\/node$/, replacement: source("node") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Tests import the sources directly too: each runs with the Node host installed, as on Node.
    setupFiles: ["test/setup/node-host.ts"],
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
