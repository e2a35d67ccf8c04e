/**
 * The built package in a real headless Chromium (issue 15): the page imports dist/index.js
 * and dist/testing.js as ES modules, the way a browser app or a bundler's output loads them,
 * and runs `run`, `spawn`, `join`, `select`, `timeout`, a bounded `channel`, a
 * `CancellationToken` and `SimExecutor`, asserting in the page (bundle-page.ts). The test
 * reads the page's verdicts, checks that SimExecutor finds the same schedule there as here on
 * Node (a seeded run is deterministic across engines), and keeps a screenshot under the
 * artifacts directory that .ci/run prints.
 *
 * Runs after `npm run build`, in `npm run test:browser` (a CI step of .ci/run).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { incrementTwice } from "../testing/increment-twice.js";
import { bundlePage } from "./bundle-page.js";
import { artifactDir, hasChromium, launchChromium } from "./chromium.js";
import { type StaticServer, serveDirectory } from "./static-server.js";

describe.skipIf(!hasChromium)("the built bundle in Chromium", () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync("dist/index.js")) throw new Error("no dist/: run `npm run build` first");
    let schedule: string | undefined;
    for (let seed = 0; seed < 100 && schedule === undefined; seed++) {
      const sim = new SimExecutor({ seed });
      if ((await sim.run(incrementTwice())) !== 2) schedule = sim.schedule;
    }
    expect(schedule).toBeDefined();
    server = await serveDirectory("dist", { "/check.html": bundlePage(schedule as string) });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("runs the core and SimExecutor with every in-page assertion passing", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 480 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.url()}: HTTP ${r.status()}`);
    });
    await page.goto(`${server.url}check.html`, { waitUntil: "load" });
    await page.waitForFunction("window.wakefulDone === true", undefined, { timeout: 30_000 });
    const checks = (await page.evaluate("window.wakefulChecks")) as {
      name: string;
      ok: boolean;
      detail: string;
    }[];

    expect(problems).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      "run + spawn: a task's value comes back through its handle",
      "join waits for both; select drops the loser, running its finally",
      "timeout drops a sleep on the host timers and rejects with TimeoutError",
      "channel: a bounded producer and a consumer pass every message in order",
      "CancellationToken: cancel ends runUntilCancelled, aborts the signal and children",
      "SimExecutor finds the lost update, the same schedule as on Node, and replays it",
    ]);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(await page.locator("tr.ok").count()).toBe(checks.length);

    mkdirSync(artifactDir, { recursive: true });
    const png = await page.screenshot({ path: join(artifactDir, "bundle-in-chromium.png") });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await page.close();
  });
});
