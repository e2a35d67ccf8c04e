/**
 * The HTML timeline of `sim.trace()` in a real headless Chromium (issue 14): the page renders
 * a row per task, a visible bar per poll, an arrow per wake and what tasks waited on, and a
 * screenshot is kept under the artifacts directory (CI keeps it). Skipped only when the
 * machine has no Chromium; CI always installs one (.ci/run).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { tracedProgram } from "../testing/timeline.js";
import { artifactDir, hasChromium, launchChromium } from "./chromium.js";

describe.skipIf(!hasChromium)("the sim.trace() timeline in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("renders rows, bars, arrows and waits, and keeps a screenshot", async () => {
    const sim = new SimExecutor({ strategy: "fifo", trace: true });
    await sim.run(tracedProgram(sim));
    const trace = sim.trace();
    const expectedWakes = trace.traceEvents.filter((e) => e.ph === "s").length;

    const page = await browser.newPage({ viewport: { width: 1100, height: 420 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith("data:") && r.url() !== "about:blank") problems.push(r.url());
    });
    await page.setContent(trace.html({ title: "two deposits" }), { waitUntil: "load" });

    expect(await page.title()).toBe("two deposits");
    const rows = await page.$$eval("g.row", (gs) =>
      gs.map((g) => {
        const text = g.querySelector("text.label");
        return [
          g.getAttribute("data-task"),
          text?.lastChild?.textContent,
          text?.querySelector("title")?.textContent,
        ];
      }),
    );
    expect(rows).toEqual([
      ["0", "simulation", undefined],
      ["1", "#1 root", "#1 root"],
      ["2", "#2 deposit <10>", "#2 deposit <10>, spawned by #1"],
      ["3", "#3 deposit 20", "#3 deposit 20, spawned by #1"],
    ]);
    // Every poll is a bar Chromium lays out with a real size, in its task's row.
    const bars = await page.$$eval("rect.poll", (rects) =>
      rects.map((r) => {
        const box = r.getBoundingClientRect();
        const row = r.ownerDocument
          .querySelector(`g.row[data-task="${r.getAttribute("data-task")}"] rect.band`)
          ?.getBoundingClientRect();
        return {
          width: box.width,
          height: box.height,
          inRow: row !== undefined && box.top >= row.top && box.bottom <= row.bottom,
        };
      }),
    );
    expect(bars).toHaveLength(sim.polls);
    for (const bar of bars) {
      expect(bar.width).toBeGreaterThan(5);
      expect(bar.height).toBeGreaterThan(5);
      expect(bar.inRow).toBe(true);
    }
    // Bars of later steps are further right.
    const xs = await page.$$eval("rect.poll", (rects) =>
      rects
        .map((r) => [Number(r.getAttribute("data-step")), r.getBoundingClientRect().left])
        .sort((a, b) => (a[0] as number) - (b[0] as number))
        .map(([, left]) => left),
    );
    expect([...xs].sort((a, b) => (a as number) - (b as number))).toEqual(xs);
    // Wakes are drawn arrows with a length.
    const wakes = await page.$$eval("path.wake", (paths) =>
      paths.map((p) => ({
        length: (p as unknown as { getTotalLength(): number }).getTotalLength(),
        marker: p.getAttribute("marker-end"),
      })),
    );
    expect(wakes).toHaveLength(expectedWakes);
    for (const w of wakes) {
      expect(w.length).toBeGreaterThan(1);
      expect(w.marker).toBe("url(#arrow)");
    }
    const waits = await page.$$eval("g.wait title", (ts) => ts.map((t) => t.textContent));
    expect(waits.some((w) => w?.startsWith("waits on "))).toBe(true);
    expect(await page.locator("path.fault").count()).toBe(1);
    expect(await page.locator("path.outside").count()).toBeGreaterThan(0);
    expect(await page.locator("dd").first().textContent()).toBe(
      `SimExecutor.replay(${JSON.stringify(sim.schedule)})`,
    );
    expect(problems).toEqual([]);

    mkdirSync(artifactDir, { recursive: true });
    const shot = join(artifactDir, "sim-timeline.png");
    const png = await page.screenshot({ path: shot, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await page.close();
  }, 60_000);
});
