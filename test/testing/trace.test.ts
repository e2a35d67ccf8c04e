/** `sim.trace()`: the trace-event JSON and the HTML page of a run (issue 14). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import type { TraceEvent } from "../../src/testing/trace.js";
import { tracedProgram } from "./timeline.js";

const dir = mkdtempSync(join(tmpdir(), "wakeful-trace-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tracedRun(): Promise<SimExecutor> {
  const sim = new SimExecutor({ strategy: "fifo", trace: true });
  await sim.run(tracedProgram(sim));
  return sim;
}

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe("sim.trace()", () => {
  it("needs trace: true", () => {
    expect(() => new SimExecutor().trace()).toThrow(
      "SimExecutor.trace(): this executor records no timeline; create it with { trace: true }",
    );
    expect(() => new SimExecutor({ trace: "yes" as never })).toThrow(TypeError);
  });

  it("is Chrome trace-event JSON: a thread per task, a slice per poll, flows for wakes", async () => {
    const sim = await tracedRun();
    const json = JSON.parse(sim.trace().json()) as {
      traceEvents: TraceEvent[];
      displayTimeUnit: string;
      otherData: { schedule: string; faults: string[] };
    };
    const events = json.traceEvents;
    for (const e of events) {
      expect(typeof e.name).toBe("string");
      expect(e.pid).toBe(1);
      expect(Number.isInteger(e.tid)).toBe(true);
      if (e.ph !== "M") expect(Number.isFinite(e.ts)).toBe(true);
    }
    const threads = events.filter((e) => e.name === "thread_name").map((e) => e.args?.name);
    expect(threads).toEqual(["simulation", "#1 (root)", "#2 (deposit <10>)", "#3 (deposit 20)"]);
    const polls = events.filter((e) => e.ph === "X" && e.cat === "poll");
    expect(polls).toHaveLength(sim.polls);
    expect(polls.every((p) => (p.dur as number) > 0)).toBe(true);
    const starts = events.filter((e) => e.ph === "s");
    const ends = events.filter((e) => e.ph === "f");
    expect(starts.length).toBeGreaterThan(0);
    expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id));
    for (const end of ends) {
      // Each arrow ends inside a poll of the woken task.
      const into = polls.find(
        (p) =>
          p.tid === end.tid &&
          (p.ts as number) <= (end.ts as number) &&
          (end.ts as number) < (p.ts as number) + (p.dur as number),
      );
      expect(into).toBeDefined();
    }
    const outside = events.filter((e) => e.ph === "X" && e.tid === 0).map((e) => e.name);
    expect(outside).toContain("timers at 5 ms");
    expect(outside).toContain('reply: audit.log("deposit 10")');
    const time = events.filter((e) => e.ph === "C").map((e) => e.args?.ms);
    expect(time).toEqual([0, 5]);
    expect(events.filter((e) => e.ph === "i").map((e) => e.name)).toEqual(["fault: audit.flush"]);
    expect(json.otherData.schedule).toBe(sim.schedule);
    expect(json.otherData.faults).toEqual(["audit.flush"]);
  });

  it("is a self-contained HTML page with rows, bars, arrows and waits, all escaped", async () => {
    const sim = await tracedRun();
    const trace = sim.trace();
    const html = trace.html({ title: "lost <update>" });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain("<title>lost &#60;update&#62;</title>");
    expect(count(html, /<g class="row"/g)).toBe(4);
    expect(count(html, /<rect class="poll/g)).toBe(sim.polls);
    const flows = trace.traceEvents.filter((e) => e.ph === "s").length;
    expect(count(html, /<path class="wake"/g)).toBe(flows);
    expect(html).toContain("deposit &#60;10&#62;");
    expect(html).not.toContain("deposit <10>");
    expect(html).toContain("waits on ");
    expect(count(html, /<path class="fault"/g)).toBe(1);
    expect(html).toContain(`SimExecutor.replay(&#34;${sim.schedule}&#34;)`);
  });

  it("shows the last steps of a long run", async () => {
    const sim = await tracedRun();
    const html = sim.trace().html({ maxSteps: 5 });
    expect(html).toMatch(/Showing the last 5 of \d+ steps/);
    expect(count(html, /<rect class="poll/g)).toBeLessThanOrEqual(5);
  });

  it("is a snapshot", async () => {
    const sim = new SimExecutor({ trace: true });
    const before = sim.trace();
    await sim.run(future(function* () {}));
    expect(before.traceEvents.filter((e) => e.ph === "X")).toEqual([]);
    expect(sim.trace().traceEvents.filter((e) => e.ph === "X")).toHaveLength(1);
  });

  it("save() writes the page (or the JSON) and returns its path", async () => {
    const sim = await tracedRun();
    const page = sim.trace().save(join(dir, "run.html"));
    expect(page).toBe(join(dir, "run.html"));
    expect(readFileSync(page, "utf8")).toBe(sim.trace().html());
    const json = sim.trace().save(join(dir, "nested", "run.json"));
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual(JSON.parse(sim.trace().json()));
    const previous = process.env.WAKEFUL_ARTIFACTS;
    process.env.WAKEFUL_ARTIFACTS = dir;
    try {
      const named = sim.trace().save();
      expect(named.startsWith(dir)).toBe(true);
      expect(named).toMatch(/wakeful-timeline-[0-9a-z]+\.html$/);
      expect(sim.trace().save()).toBe(named); // the same run, the same file
    } finally {
      if (previous === undefined) delete process.env.WAKEFUL_ARTIFACTS;
      else process.env.WAKEFUL_ARTIFACTS = previous;
    }
    expect(() => sim.trace().save("")).toThrow(TypeError);
  });
});
