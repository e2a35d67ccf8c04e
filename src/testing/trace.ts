/**
 * `sim.trace()`: a simulated run as a timeline, in Chrome's trace-event format (chrome://tracing,
 * Perfetto) and as a self-contained HTML page (trace-html.ts).
 *
 * Invariants:
 * - A `SimTrace` is a snapshot: taking it copies what the recorder holds, so a later step of
 *   the run does not change it.
 * - The x axis is the order of steps (trace-recorder.ts): in the trace-event JSON one step is
 *   10 µs (`ts` = step × 10), and each event carries the virtual time it happened at
 *   (`args.virtualMs`), with a "virtual time" counter track; Perfetto's clock is therefore
 *   not virtual time.
 * - Writing a file (`save`) is the only Node-specific part; it loads `node:fs`, `node:os` and
 *   `node:path` through `process.getBuiltinModule` when called, never at import.
 * @module
 */
import { STEP_US, type TraceData, type TraceSummary, wakeArrows } from "./trace-data.js";
import { renderTimeline } from "./trace-html.js";
import type { TracedTask, TraceRecorder } from "./trace-recorder.js";

/** One event of Chrome's trace-event format (the subset `sim.trace()` writes). */
export interface TraceEvent {
  /** Event name. */
  readonly name: string;
  /** Phase: `X` complete, `i` instant, `s`/`f` flow (wake arrows), `C` counter, `M` metadata. */
  readonly ph: "X" | "i" | "s" | "f" | "C" | "M";
  /** Process id: always 1. */
  readonly pid: number;
  /** Thread id: the task's id; 0 for the simulation's own steps. */
  readonly tid: number;
  /** Timestamp in µs: step × 10. */
  readonly ts?: number;
  /** Duration in µs (complete events). */
  readonly dur?: number;
  /** Category. */
  readonly cat?: string;
  /** Flow id (wake arrows). */
  readonly id?: number;
  /** Flow binding point: `e`, the enclosing slice. */
  readonly bp?: "e";
  /** Instant scope: `t`, the thread. */
  readonly s?: "t";
  /** Details: virtual time, what the task waited on, … */
  readonly args?: Readonly<Record<string, unknown>>;
}

/** The trace-event JSON object of a run: what `JSON.stringify(sim.trace())` writes. */
export interface ChromeTrace {
  /** The events (see {@link TraceEvent}). */
  readonly traceEvents: TraceEvent[];
  /** How viewers show times: in ms. */
  readonly displayTimeUnit: "ms";
  /** The run: its schedule, its final virtual time, the faults that fired, what x means. */
  readonly otherData: Readonly<Record<string, unknown>>;
}

function taskLabel(t: TracedTask): string {
  return t.name === undefined ? `#${t.id}` : `#${t.id} (${t.name})`;
}

/**
 * The timeline of a simulated run, from {@link SimExecutor.trace}: the trace-event JSON
 * (`JSON.stringify(trace)`, or `trace.json()`) for chrome://tracing or Perfetto, and `html()`,
 * a self-contained page with one row per task, each poll a bar, each wake an arrow from the
 * step that woke the task to its next poll, and what each task waited on between polls.
 *
 * @example
 * ```ts
 * const sim = new SimExecutor({ schedule, trace: true });
 * const balance = await sim.run(deposits());
 * if (balance !== 30) throw new Error(`lost update; timeline: ${sim.trace().save()}`);
 * ```
 */
export class SimTrace {
  readonly #data: TraceData;

  /** @internal Made by `sim.trace()`. */
  constructor(recorder: TraceRecorder, summary: TraceSummary) {
    this.#data = {
      ...summary,
      tasks: [...recorder.tasks.values()].sort((a, b) => a.id - b.id),
      polls_: recorder.polls.map((p) => ({ ...p })),
      outside: [...recorder.outsideSteps],
      wakes: [...recorder.wakes],
      faultsDrawn: [...recorder.faults],
      steps: recorder.polls.length + recorder.outsideSteps.length,
    };
  }

  /**
   * The run in Chrome's trace-event format: one thread per task (and one for the simulation's
   * own steps), a complete event per poll, flow arrows for wakes, instants for fault points
   * that fired, and a counter of virtual time.
   *
   * @example
   * ```ts
   * writeFileSync("run.json", JSON.stringify({ traceEvents: sim.trace().traceEvents }));
   * ```
   */
  get traceEvents(): TraceEvent[] {
    const d = this.#data;
    const events: TraceEvent[] = [
      { name: "process_name", ph: "M", pid: 1, tid: 0, args: { name: "SimExecutor" } },
      { name: "thread_name", ph: "M", pid: 1, tid: 0, args: { name: "simulation" } },
    ];
    for (const t of d.tasks) {
      events.push({
        name: "thread_name",
        ph: "M",
        pid: 1,
        tid: t.id,
        args: { name: taskLabel(t) },
      });
      events.push({
        name: "thread_sort_index",
        ph: "M",
        pid: 1,
        tid: t.id,
        args: { sort_index: t.id },
      });
    }
    const times = new Map<number, number>();
    let lastTime = Number.NaN;
    for (const p of d.polls_) {
      times.set(p.slot, p.time);
      events.push({
        name: "poll",
        ph: "X",
        pid: 1,
        tid: p.task,
        ts: p.slot * STEP_US,
        dur: STEP_US - 2,
        cat: "poll",
        args: { virtualMs: p.time, step: p.slot, waitsOn: p.waitingOn },
      });
    }
    for (const o of d.outside) {
      times.set(o.slot, o.time);
      events.push({
        name: o.label,
        ph: "X",
        pid: 1,
        tid: 0,
        ts: o.slot * STEP_US,
        dur: STEP_US - 2,
        cat: o.kind,
        args: { virtualMs: o.time, step: o.slot },
      });
    }
    for (const [slot, time] of [...times].sort((a, b) => a[0] - b[0])) {
      if (time === lastTime) continue;
      lastTime = time;
      events.push({
        name: "virtual time",
        ph: "C",
        pid: 1,
        tid: 0,
        ts: slot * STEP_US,
        args: { ms: time },
      });
    }
    wakeArrows(d).forEach((a, id) => {
      const common = { name: "wake", cat: "wake", pid: 1, id: id + 1 } as const;
      events.push({ ...common, ph: "s", tid: a.fromTask, ts: a.from * STEP_US + 1 });
      events.push({ ...common, ph: "f", bp: "e", tid: a.toTask, ts: a.to * STEP_US + 1 });
    });
    const owner = new Map(d.polls_.map((p) => [p.slot, p.task]));
    for (const f of d.faultsDrawn) {
      if (!f.fired || f.slot < 0) continue;
      events.push({
        name: `fault: ${f.name}`,
        ph: "i",
        s: "t",
        pid: 1,
        tid: owner.get(f.slot) ?? 0,
        ts: f.slot * STEP_US + 4,
        cat: "fault",
      });
    }
    return events;
  }

  /**
   * The JSON object chrome://tracing and Perfetto open (what `JSON.stringify(trace)` writes).
   *
   * @example
   * ```ts
   * const json = JSON.stringify(sim.trace());
   * ```
   */
  toJSON(): ChromeTrace {
    const d = this.#data;
    return {
      traceEvents: this.traceEvents,
      displayTimeUnit: "ms",
      otherData: {
        schedule: d.schedule,
        virtualMs: d.now,
        faults: d.faults,
        xAxis: `scheduling steps, ${STEP_US} µs each; virtual time is in each event's args`,
      },
    };
  }

  /**
   * The trace-event JSON as a string.
   *
   * @example
   * ```ts
   * writeFileSync("run.json", sim.trace().json());
   * ```
   */
  json(): string {
    return JSON.stringify(this);
  }

  /**
   * A self-contained HTML page of the timeline (no script, no outside resource): one row per
   * task, a bar per poll, an arrow per wake, what each task waited on, the virtual time, the
   * faults that fired and the schedule that replays the run. Long runs show their last
   * `maxSteps` steps.
   *
   * @example
   * ```ts
   * writeFileSync("run.html", sim.trace().html({ title: "lost update" }));
   * ```
   */
  html(options: { title?: string; maxSteps?: number } = {}): string {
    return renderTimeline(
      this.#data,
      options.title ?? "SimExecutor timeline",
      options.maxSteps ?? 3000,
    );
  }

  /**
   * Writes the page (or, for a path ending in `.json`, the trace-event JSON) and returns its
   * path. Without a path it goes to `$WAKEFUL_ARTIFACTS`, else the OS temp directory, named
   * after the schedule (the same run overwrites its own file). Node only.
   *
   * @example
   * ```ts
   * throw new Error(`balance ${balance}; timeline: ${sim.trace().save()}`);
   * ```
   */
  save(path?: string): string {
    const load = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process?.getBuiltinModule;
    if (typeof load !== "function") {
      throw new Error(
        "SimTrace.save(path): needs Node.js (>= 20.16); use html() or json() elsewhere",
      );
    }
    if (path !== undefined && (typeof path !== "string" || path === "")) {
      throw new TypeError("SimTrace.save(path): path must be a non-empty string");
    }
    const fs = load("node:fs") as typeof import("node:fs");
    const os = load("node:os") as typeof import("node:os");
    const nodePath = load("node:path") as typeof import("node:path");
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    const target =
      path ??
      nodePath.join(
        env?.WAKEFUL_ARTIFACTS ?? os.tmpdir(),
        `wakeful-timeline-${fingerprint(this.#data.schedule)}.html`,
      );
    fs.mkdirSync(nodePath.dirname(target), { recursive: true });
    fs.writeFileSync(target, target.endsWith(".json") ? this.json() : this.html());
    return nodePath.resolve(target);
  }
}

/** A short, stable name for a schedule (FNV-1a, base36). */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
