/**
 * Model-based property test of the blocking pool's Dispatcher over in-process fake threads
 * (each runs the real WorkerRuntime). Random sequences of submit (function jobs of three
 * sources, module exports that answer at once or run until ended, with or without a transfer
 * list, with or without terminateOnDrop) / drop (any job, or one running) / boot and take a
 * message / end the running job / deliver a reply / crash a thread / fire an idle timer /
 * close, on 1–4 threads, then everything is drained. Stealing and retrying after a crash
 * happen on their own. Properties:
 * - every job settles exactly once (one wake, one outcome), runs at most once, and a job that
 *   succeeds ran once with its own function and its own arguments (transferred bytes
 *   included);
 * - a job fails only for a reason of its own: it was running when its thread crashed, its
 *   thread never started, its moved objects died with a thread before it started, or the pool
 *   was closed before it started;
 * - `waiting` never undercounts (jobs alive ≤ waiting + threads) nor exceeds `maxQueue`, and a
 *   job is refused only when `maxQueue` jobs wait;
 * - at the end nothing is left queued, in the pool or on a thread, and no idle thread keeps
 *   the process alive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/blocking/dispatcher.js";
import { QueueFullError } from "../../src/blocking/errors.js";
import { functionInfo } from "../../src/blocking/function-source.js";
import { BlockingJob, VIA_RUN, VIA_RUN_FUNCTION } from "../../src/blocking/job.js";
import { poolSettings } from "../../src/blocking/pool-options.js";
import { type CountingWaker, countingWaker } from "../../src/testing/wakers.js";
import { type Echo, echo, FakePlatform } from "../blocking/fake-threads.js";

// Three self-contained functions (compiled by the runtime from their source): distinct
// sources, so a job that ran another job's function is caught by its tag.
const FUNCTIONS = [
  (id: number, runs: Int32Array, bytes: ArrayBuffer | null) => {
    Atomics.add(runs, id, 1);
    const n = bytes === null ? -1 : bytes.byteLength;
    return ["f0", id, n, n > 0 ? new Uint8Array(bytes as ArrayBuffer)[0] : -1];
  },
  (id: number, runs: Int32Array, bytes: ArrayBuffer | null) => {
    Atomics.add(runs, id, 1);
    const n = bytes === null ? -1 : bytes.byteLength;
    return ["f1", id, n, n > 0 ? new Uint8Array(bytes as ArrayBuffer)[0] : -1];
  },
  (id: number, runs: Int32Array, bytes: ArrayBuffer | null) => {
    Atomics.add(runs, id, 1);
    const n = bytes === null ? -1 : bytes.byteLength;
    return ["f2", id, n, n > 0 ? new Uint8Array(bytes as ArrayBuffer)[0] : -1];
  },
].map((fn) => functionInfo(fn, "model"));

const MAX_JOBS = 64;
const KINDS = ["f0", "f1", "f2", "echo", "hold"] as const;

interface ModelJob {
  id: number;
  future: BlockingJob<unknown>;
  expected: Echo;
  transfer: boolean;
  status: "pending" | "refused" | "dropped" | "done";
  outcome: { ok: true; value: unknown } | { ok: false; error: Error } | undefined;
  waker: CountingWaker;
}

type Action =
  | { t: "submit"; kind: number; transfer: boolean; tod: boolean }
  | { t: "drop" | "dropRunning" | "step" | "finish" | "deliver" | "crash"; pick: number }
  | { t: "timer" | "close" };

// Weights: mostly submitting and letting threads work; drops, crashes and timers now and
// then; a close in about one run out of four.
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc.record({
      t: fc.constant("submit" as const),
      kind: fc.nat({ max: KINDS.length - 1 }),
      transfer: fc.boolean(),
      tod: fc.boolean(),
    }),
  },
  { weight: 12, arbitrary: fc.record({ t: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant("dropRunning" as const), pick: fc.nat() }) },
  { weight: 60, arbitrary: fc.record({ t: fc.constant("step" as const), pick: fc.nat() }) },
  { weight: 36, arbitrary: fc.record({ t: fc.constant("finish" as const), pick: fc.nat() }) },
  { weight: 60, arbitrary: fc.record({ t: fc.constant("deliver" as const), pick: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant("crash" as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant("timer" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("close" as const) }) },
);

const config = fc
  .record({
    maxThreads: fc.integer({ min: 1, max: 4 }),
    minThreads: fc.integer({ min: 0, max: 1 }),
    pipelineDepth: fc.integer({ min: 1, max: 4 }),
    maxQueue: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 0, max: 5 })),
    idleTimeoutMs: fc.constantFrom(0, 50, 3e9),
  })
  .map((c) => ({ ...c, minThreads: Math.min(c.minThreads, c.maxThreads) }));

type Config = typeof config extends fc.Arbitrary<infer C> ? C : never;

/** Runs one sequence of actions, checking the invariants as it goes and at the end. */
function simulate(cfg: Config, actions: Action[]): void {
  const platform = new FakePlatform();
  const dispatcher = new Dispatcher(
    poolSettings({ ...cfg, filename: "file:///model/tasks.js" }),
    () => platform,
  );
  const runs = new Int32Array(new SharedArrayBuffer(MAX_JOBS * 4));
  const jobs: ModelJob[] = [];
  let closed = false;

  const submit = (kind: number, transfer: boolean, tod: boolean) => {
    if (jobs.length === MAX_JOBS) return;
    const id = jobs.length;
    const tag = KINDS[kind] as (typeof KINDS)[number];
    const bytes = transfer ? new ArrayBuffer(1 + (id % 5)) : null;
    if (bytes !== null) new Uint8Array(bytes).fill(1 + id);
    const expected = echo(tag, id, new Int32Array(MAX_JOBS), bytes);
    const args = [id, runs, bytes];
    const list = bytes === null ? undefined : [bytes];
    const fn = kind < 3 ? FUNCTIONS[kind] : undefined;
    const future = new BlockingJob<unknown>(
      dispatcher,
      fn === undefined ? VIA_RUN : VIA_RUN_FUNCTION,
      fn,
      fn === undefined ? tag : fn.name,
      args,
      list,
      tod,
    );
    const job: ModelJob = {
      id,
      future,
      expected,
      transfer,
      status: "pending",
      outcome: undefined,
      waker: countingWaker(),
    };
    jobs.push(job);
    const waitingBefore = dispatcher.waiting;
    try {
      future.poll(job.waker.context);
    } catch (error) {
      job.status = "refused";
      if (error instanceof QueueFullError) {
        expect(waitingBefore).toBeGreaterThanOrEqual(cfg.maxQueue);
      } else {
        expect(closed, `refused for ${String(error)}`).toBe(true);
      }
    }
  };

  /** Polls woken jobs; checks the running invariants. */
  const check = () => {
    for (const job of jobs) {
      expect(job.waker.wakeCount, `job ${job.id} woken more than once`).toBeLessThanOrEqual(1);
      expect(Atomics.load(runs, job.id), `job ${job.id} ran twice`).toBeLessThanOrEqual(1);
      if (job.status !== "pending" || job.waker.wakeCount === 0) continue;
      try {
        const p = job.future.poll(job.waker.context) as { value?: unknown };
        expect(p).toHaveProperty("value");
        job.outcome = { ok: true, value: p.value };
      } catch (error) {
        job.outcome = { ok: false, error: error as Error };
      }
      job.status = "done";
    }
    const alive = jobs.filter((j) => j.status === "pending" && j.waker.wakeCount === 0).length;
    expect(alive, "waiting undercounts").toBeLessThanOrEqual(
      dispatcher.waiting + dispatcher.threads,
    );
    expect(dispatcher.waiting, "more than maxQueue wait").toBeLessThanOrEqual(cfg.maxQueue);
  };

  const drop = (job: ModelJob) => {
    job.future.drop();
    job.status = "dropped";
  };

  const pickThread = (pick: number) => {
    const live = platform.threads.filter((t) => t.live);
    return live.length === 0 ? undefined : live[pick % live.length];
  };

  for (const a of actions) {
    switch (a.t) {
      case "submit":
        if (!closed) submit(a.kind, a.transfer, a.tod);
        break;
      case "drop": {
        const alive = jobs.filter((j) => j.status === "pending" && j.waker.wakeCount === 0);
        const job = alive[a.pick % Math.max(1, alive.length)];
        if (job !== undefined) drop(job);
        break;
      }
      case "dropRunning": {
        const running = platform.threads.filter((t) => t.hold !== undefined);
        const job = jobs[running[a.pick % Math.max(1, running.length)]?.hold?.id ?? -1];
        if (job?.status === "pending") drop(job);
        break;
      }
      case "step":
        pickThread(a.pick)?.step();
        break;
      case "finish":
        pickThread(a.pick)?.finish();
        break;
      case "deliver":
        pickThread(a.pick)?.deliver();
        break;
      case "crash":
        pickThread(a.pick)?.die();
        break;
      case "timer":
        platform.clock.fireOldest();
        break;
      case "close":
        closed = true;
        void dispatcher.close();
        break;
    }
    check();
  }

  // Drain: let every thread take its messages, end its jobs and answer, until nothing moves.
  for (let rounds = 0; ; rounds++) {
    expect(rounds, "the pool never went quiet").toBeLessThan(1_000);
    let moved = false;
    for (const thread of platform.threads) {
      moved = thread.step() || thread.finish() || thread.deliver() || moved;
    }
    check();
    if (!moved) break;
  }

  expect(dispatcher.waiting).toBe(0);
  for (const thread of platform.threads) {
    if (thread.state !== "up") continue;
    expect([thread.inbox.length, thread.outbox.length, thread.hold]).toEqual([0, 0, undefined]);
    expect(thread.referenced, "an idle thread keeps the process alive").toBe(false);
  }
  for (const job of jobs) judge(job, Atomics.load(runs, job.id), platform, closed);
}

/** Checks one job's fate at the end. */
function judge(job: ModelJob, ran: number, platform: FakePlatform, closed: boolean): void {
  const at = `job ${job.id}`;
  if (job.status === "refused") {
    expect(ran, at).toBe(0);
    return;
  }
  if (job.status === "dropped") return;
  expect(job.status, `${at} never settled`).toBe("done");
  const outcome = job.outcome as NonNullable<ModelJob["outcome"]>;
  if (outcome.ok) {
    expect(outcome.value, at).toEqual(job.expected);
    expect(ran, at).toBe(1);
    return;
  }
  const message = outcome.error.message;
  const crashes = platform.threads.filter((t) => t.crash !== undefined && t.handed.has(job.id));
  const allowed =
    (crashes.some((t) => t.crash?.culprit === job.id) && /crashed/.test(message) && ran === 1) ||
    (crashes.some((t) => !t.crash?.booted) && /could not start/.test(message) && ran === 0) ||
    (job.transfer &&
      crashes.some((t) => t.crash?.booted) &&
      /transfer list/.test(message) &&
      ran === 0) ||
    (closed && /closed before this job started/.test(message) && ran === 0);
  expect(allowed, `${at} failed (ran ${ran}x): ${message}`).toBe(true);
}

describe("the blocking pool's dispatcher, against a model", () => {
  it("runs every job once, with its own function and arguments, whatever the dispatch", () => {
    fc.assert(
      fc.property(
        config,
        fc.array(action, { minLength: 1, maxLength: 150, size: "max" }),
        (cfg, actions) => {
          simulate(cfg, actions);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
    // 400 runs of up to 150 actions take about 10 s on a quiet 2-core machine and 58 s when the
    // cores are shared; the property is deterministic (seeded), only its duration varies.
  }, 120_000);
});
