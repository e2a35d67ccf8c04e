/**
 * Sleep workload (issue 3): 1e5 concurrent sleeps of random 0–50 ms, all awaited together.
 * Native `setTimeout` promises joined with `Promise.all` are the baseline; wakeful runs them as
 * one `joinAll` of `sleep`s on one timer driver (a heap behind a single host timer); Effect runs
 * `Effect.all` of `Effect.sleep`s, unbounded. Effection (`all` of `sleep`s) is measured at 1e4.
 * A second, untimed workload measures the live heap while the sleeps are pending.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts sleep` (`npm run bench -- sleep`).
 */
import { Duration, Effect, Fiber } from "effect";
import * as effection from "effection";
import { gc, median, type Row, type Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { future, joinAll, run, sleep, spawn, yieldNow } = wakeful;

const N = 100_000;
const SMALL = 10_000;

// The same pseudo-random durations (0–50 ms) for every contender.
const DURATIONS: number[] = [];
let seed = 12345;
for (let i = 0; i < N; i++) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  DURATIONS.push(seed % 51);
}

const resolveLater = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function nativeSleeps(n: number): Promise<unknown> {
  const all: Promise<void>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = resolveLater(DURATIONS[i] as number);
  return Promise.all(all);
}

function wakefulSleeps(n: number) {
  const all = new Array(n);
  for (let i = 0; i < n; i++) all[i] = sleep(DURATIONS[i] as number);
  return joinAll<void>(all);
}

function effectSleeps(n: number) {
  const all = new Array(n);
  for (let i = 0; i < n; i++) all[i] = Effect.sleep(Duration.millis(DURATIONS[i] as number));
  return Effect.all(all as Effect.Effect<void>[], { concurrency: "unbounded", discard: true });
}

function effectionSleeps(n: number): Promise<unknown> {
  return effection.run(function* () {
    const all: effection.Operation<void>[] = new Array(n);
    for (let i = 0; i < n; i++) all[i] = effection.sleep(DURATIONS[i] as number);
    return yield* effection.all(all);
  });
}

// ---------------------------------------------------------------------------------------------
// Live heap while every sleep is pending: measured after scheduling, with a full GC.

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

type Scheduler = (n: number) => Promise<{ bytes: number; done: Promise<unknown> }>;

const schedulers: [string, Scheduler][] = [
  [
    "native setTimeout promises + Promise.all",
    async (n) => {
      const before = heap();
      const done = nativeSleeps(n);
      return { bytes: heap() - before, done };
    },
  ],
  [
    "wakeful joinAll(sleep)",
    async (n) => {
      const before = heap();
      let measured: (bytes: number) => void = () => {};
      const bytes = new Promise<number>((resolve) => {
        measured = resolve;
      });
      const done = run(
        future(function* () {
          const h = spawn(wakefulSleeps(n));
          yield* yieldNow(); // the join has been polled once: every sleep is registered
          measured(heap() - before);
          return yield* h;
        }),
      );
      return { bytes: await bytes, done };
    },
  ],
  [
    "Effect.all(Effect.sleep), unbounded",
    async (n) => {
      const before = heap();
      let measured: (bytes: number) => void = () => {};
      const bytes = new Promise<number>((resolve) => {
        measured = resolve;
      });
      const done = Effect.runPromise(
        Effect.gen(function* () {
          const fiber = yield* Effect.forkChild(effectSleeps(n));
          yield* Effect.sleep(Duration.millis(0));
          measured(heap() - before);
          return yield* Fiber.join(fiber);
        }),
      );
      return { bytes: await bytes, done };
    },
  ],
];

async function measureHeap(): Promise<Row[]> {
  const samples = schedulers.map(() => [] as number[]);
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < schedulers.length; i++) {
      const [, schedule] = schedulers[i] as [string, Scheduler];
      const { bytes, done } = await schedule(N);
      await done;
      if (round > 0) samples[i]?.push(bytes); // round 0 warms up
    }
  }
  const base = median(samples[0] as number[]);
  return schedulers.map(([name], i) => {
    const s = samples[i] as number[];
    const m = median(s);
    return {
      workload: `live heap while ${N} sleeps are pending`,
      contender: name,
      median: `${(m / 1e6).toFixed(1)} MB`,
      ratio: `${(m / base).toFixed(2)}x`,
      note: `${(m / N).toFixed(0)} B/sleep, range ${(Math.min(...s) / 1e6).toFixed(1)}..${(Math.max(...s) / 1e6).toFixed(1)} MB`,
    };
  });
}

export const workloads: Workload[] = [
  {
    name: `${N} concurrent sleeps of random 0-50 ms`,
    goal: "wakeful <= 0.8x native setTimeout promises (and no more heap: see the next table)",
    rounds: 9,
    contenders: [
      { name: "native setTimeout promises + Promise.all", run: () => nativeSleeps(N) },
      { name: "wakeful joinAll(sleep)", run: () => run(wakefulSleeps(N)) },
      {
        name: "Effect.all(Effect.sleep), unbounded",
        run: () => Effect.runPromise(effectSleeps(N)),
      },
    ],
  },
  {
    name: "heap",
    goal: "wakeful heap <= native",
    contenders: [],
    custom: measureHeap,
  },
  {
    name: `${SMALL} concurrent sleeps of random 0-50 ms (small N, to include Effection)`,
    rounds: 5,
    contenders: [
      { name: "native setTimeout promises + Promise.all", run: () => nativeSleeps(SMALL) },
      { name: "wakeful joinAll(sleep)", run: () => run(wakefulSleeps(SMALL)) },
      { name: "Effection all(sleep)", run: () => effectionSleeps(SMALL) },
    ],
  },
];
