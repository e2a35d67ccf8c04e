import { defineConfig } from "vitest/config";

/**
 * The browser checks of what the build produces: the docs site (`npm run docs`) and the
 * bundle (`npm run build`) in headless Chromium. `npm run test:browser` runs them after both
 * are built (a CI step of .ci/run); `npm test` does not, as it builds no site.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.check.ts"],
    pool: "forks",
    testTimeout: 60_000,
  },
});
