/**
 * Timeout workloads (issue 3): 1e5 sequential `timeout(1000, op)` where `op` wins after one
 * suspension, so every timer is armed and then cancelled. Native `Promise.race` with
 * `setTimeout`/`clearTimeout` is the baseline; Effect.timeout, p-timeout and
 * `AbortSignal.timeout` are the peers. Effection's `race([op, sleep])` is measured at 1e4, as it
 * does not scale.
 *
 * `AbortSignal.timeout` cannot be cancelled: its 1e5 timers stay armed for their full second
 * and then fire into whatever runs next (any contender that yields to the event loop would pay
 * for them). So it gets its own custom workload, which waits for those timers to drain after
 * each round (outside the timed part) and reports the heap they hold.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts timeout` (`npm run bench -- timeout`).
 */
import { Duration, Effect } from "effect";
import * as effection from "effection";
import pTimeout from "p-timeout";
import { gc, median, type Row, type Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { asyncFn, run, timeout, yieldNow } = wakeful;

const N = 100_000;
const SMALL = 10_000;
const MS = 1000;

const nativeOp = async (i: number): Promise<number> => {
  await null;
  return i;
};

function rejectLater(ms: number, timers: { id: ReturnType<typeof setTimeout> | undefined }) {
  return new Promise<never>((_, reject) => {
    timers.id = setTimeout(() => reject(new Error("timeout")), ms);
  });
}

async function nativeRace(n: number): Promise<number> {
  let sum = 0;
  const timers: { id: ReturnType<typeof setTimeout> | undefined } = { id: undefined };
  for (let i = 0; i < n; i++) {
    try {
      sum += await Promise.race([nativeOp(i), rejectLater(MS, timers)]);
    } finally {
      clearTimeout(timers.id);
    }
  }
  return sum;
}

async function abortSignalTimeout(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const signal = AbortSignal.timeout(MS);
    sum += await Promise.race([
      nativeOp(i),
      new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      ),
    ]);
  }
  return sum;
}

async function pTimeoutLoop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await pTimeout(nativeOp(i), { milliseconds: MS });
  return sum;
}

const wakefulOp = asyncFn(function* (i: number) {
  yield* yieldNow();
  return i;
});

const wakefulLoop = asyncFn(function* (n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* timeout(MS, wakefulOp(i));
  return sum;
});

const effectOp = (i: number) => Effect.as(Effect.yieldNow, i);
const effectMs = Duration.millis(MS);
const effectLoop = (n: number) =>
  Effect.gen(function* () {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* Effect.timeout(effectOp(i), effectMs);
    return sum;
  });

const RESOLVED = Promise.resolve();
function effectionLoop(n: number): Promise<number> {
  return effection.run(function* () {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = yield* effection.race([
        (function* () {
          yield* effection.until(RESOLVED);
          return i;
        })(),
        (function* () {
          yield* effection.sleep(MS);
          throw new Error("timeout");
        })(),
      ]);
      sum += r;
    }
    return sum;
  });
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const drained = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, MS + 100));

/** Times each contender's loop, then lets its leftover timers fire before the next one runs. */
async function measureWithDrain(): Promise<Row[]> {
  const contenders: [string, () => Promise<unknown>][] = [
    ["native Promise.race + setTimeout/clearTimeout", () => nativeRace(N)],
    ["wakeful timeout(ms, op)", () => run(wakefulLoop(N))],
    ["AbortSignal.timeout + Promise.race", () => abortSignalTimeout(N)],
  ];
  const times = contenders.map(() => [] as number[]);
  const heaps = contenders.map(() => [] as number[]);
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const [, work] = contenders[i] as [string, () => Promise<unknown>];
      const before = heapUsed();
      const start = performance.now();
      await work();
      const took = performance.now() - start;
      const held = heapUsed() - before;
      await drained();
      if (round > 0) {
        times[i]?.push(took);
        heaps[i]?.push(held);
      }
    }
  }
  const base = median(times[0] as number[]);
  return contenders.map(([name], i) => {
    const t = median(times[i] as number[]);
    const h = median(heaps[i] as number[]);
    return {
      workload: `${N} sequential timeouts, leftover timers drained between rounds`,
      contender: name,
      median: `${t.toFixed(1)} ms`,
      ratio: `${(t / base).toFixed(2)}x`,
      note: `heap still held after the loop (GC'd): ${(h / 1e6).toFixed(1)} MB`,
    };
  });
}

export const workloads: Workload[] = [
  {
    name: `${N} sequential timeout(${MS}, op), op wins after one suspension`,
    goal: "wakeful <= 1.0x native Promise.race + setTimeout/clearTimeout",
    rounds: 7,
    contenders: [
      { name: "native Promise.race + setTimeout/clearTimeout", run: () => nativeRace(N) },
      { name: "wakeful timeout(ms, op)", run: () => run(wakefulLoop(N)) },
      { name: "Effect.timeout", run: () => Effect.runPromise(effectLoop(N)) },
      { name: "p-timeout", run: () => pTimeoutLoop(N) },
    ],
  },
  {
    name: "AbortSignal.timeout",
    goal: "AbortSignal.timeout keeps every timer (and its signal) alive until it fires",
    contenders: [],
    custom: measureWithDrain,
  },
  {
    name: `${SMALL} sequential timeout(${MS}, op) (small N, to include Effection)`,
    rounds: 5,
    contenders: [
      { name: "native Promise.race + setTimeout/clearTimeout", run: () => nativeRace(SMALL) },
      { name: "wakeful timeout(ms, op)", run: () => run(wakefulLoop(SMALL)) },
      { name: "Effection race([op, sleep])", run: () => effectionLoop(SMALL) },
    ],
  },
];
