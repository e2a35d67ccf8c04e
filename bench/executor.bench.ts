/**
 * Executor workloads (issue 2): spawn/join throughput, suspension cost, memory per parked task,
 * and fairness to the host event loop. Native Promises are the baseline; Effect 4 (fork/join,
 * fibers) is the contender. Effection 4 is measured only on a small spawn workload: at 1e5
 * tasks it takes over 10 s, and at 1e6 it runs out of a 4 GB heap.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts executor` (`npm run bench -- executor`).
 */
import { Effect, Fiber } from "effect";
import * as effection from "effection";
import type { JoinHandle, OneshotReceiver, OneshotSender } from "../src/index.js";
import { gc, median, type Row, type Workload } from "./harness.js";
import { nativeLoop, nativeSpawnJoin, nativeTurns, wakefulWorkloads } from "./spawn-suspend.js";
import { wakeful as wakefulBuild } from "./wakeful.js";

const { asyncFn, LocalExecutor, oneshot, pending } = wakefulBuild;

const N = 1_000_000;
const SMALL = 10_000;
const PARKED = 100_000;

// ---------------------------------------------------------------------------------------------
// Task bodies, each defined once at module level (no closure per task). The native and wakeful
// spawn/suspend bodies live in spawn-suspend.ts, shared with ab.ts.

const wakeful = wakefulWorkloads(wakefulBuild);

const effectChild = (i: number) => Effect.as(Effect.yieldNow, i);

const effectSpawnJoin = (n: number) =>
  Effect.gen(function* () {
    const fibers: Fiber.Fiber<number>[] = new Array(n);
    for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(effectChild(i));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* Fiber.join(fibers[i] as Fiber.Fiber<number>);
    return sum;
  });

const RESOLVED = Promise.resolve();

function effectionSpawnJoin(n: number): Promise<number> {
  return effection.run(function* () {
    const tasks: effection.Task<number>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      tasks[i] = yield* effection.spawn(function* () {
        yield* effection.until(RESOLVED);
        return i;
      });
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* tasks[i] as effection.Task<number>;
    return sum;
  });
}

const effectLoop = (n: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < n; i++) yield* Effect.yieldNow;
    return n;
  });

// ---------------------------------------------------------------------------------------------
// Memory per parked task.

// Each body counts itself in `started`, so we measure once every task has really parked.
let started = 0;
const NEVER = new Promise<never>(() => {});
const nativeParked = async (): Promise<void> => {
  started++;
  await NEVER;
};
const wakefulParked = asyncFn(function* () {
  started++;
  yield* pending();
});
const wakefulOneshot = asyncFn(function* (rx: OneshotReceiver<number>) {
  started++;
  return yield* rx;
});
const nativeOwnPromise = async (p: Promise<number>): Promise<number> => {
  started++;
  return await p;
};
const effectParked = Effect.andThen(
  Effect.sync(() => started++),
  Effect.never,
);

async function untilStarted(n: number): Promise<void> {
  while (started < n) await turn();
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Parks `n` tasks, measures the heap growth per task, then releases them. */
type Parker = (n: number) => Promise<{ perTask: number; release: () => Promise<void> }>;

/**
 * Parks `n` tasks, each on its own oneshot receiver with the sender held: through an async block
 * (`asyncFn`), or spawning the receiver itself (the task and the channel without V8's generator).
 */
async function parkOnOwnOneshot(
  n: number,
  throughBlock: boolean,
): Promise<{ perTask: number; release: () => Promise<void> }> {
  const before = heap();
  started = 0;
  const ex = new LocalExecutor();
  const senders: OneshotSender<number>[] = new Array(n);
  const held: JoinHandle<number>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const [tx, rx] = oneshot<number>();
    senders[i] = tx;
    held[i] = ex.spawn(throughBlock ? wakefulOneshot(rx) : rx);
  }
  if (throughBlock) await untilStarted(n);
  else if (ex.runUntilStalled() !== n)
    throw new Error("spawn(rx): every task polls once and parks");
  const after = heap();
  // The release uses the arrays, so they (the senders and handles) stay alive until measured.
  const release = async (): Promise<void> => {
    ex.shutdown();
    senders.fill(undefined as never);
    held.fill(undefined as never);
  };
  return { perTask: (after - before) / n, release };
}

const parkers: [string, Parker][] = [
  [
    "native async fn awaiting a never-settling promise",
    async (n) => {
      const before = heap();
      started = 0;
      const held: Promise<void>[] = new Array(n);
      for (let i = 0; i < n; i++) held[i] = nativeParked();
      await untilStarted(n);
      const after = heap();
      return { perTask: (after - before) / n, release: async () => void held.fill(RESOLVED) };
    },
  ],
  [
    "wakeful spawn(asyncFn(yield* pending()))",
    async (n) => {
      const before = heap();
      started = 0;
      const ex = new LocalExecutor();
      const held: JoinHandle<void>[] = new Array(n);
      for (let i = 0; i < n; i++) held[i] = ex.spawn(wakefulParked());
      await untilStarted(n);
      const after = heap();
      return { perTask: (after - before) / n, release: async () => ex.shutdown() };
    },
  ],
  [
    "native async fn awaiting its own promise, resolver held",
    async (n) => {
      const before = heap();
      started = 0;
      const resolvers: ((v: number) => void)[] = new Array(n);
      const held: Promise<number>[] = new Array(n);
      for (let i = 0; i < n; i++) {
        held[i] = nativeOwnPromise(new Promise<number>((r) => (resolvers[i] = r)));
      }
      await untilStarted(n);
      const after = heap();
      return {
        perTask: (after - before) / n,
        release: async () => {
          for (const r of resolvers) r(1);
          await Promise.all(held);
        },
      };
    },
  ],
  [
    "wakeful spawn(asyncFn(yield* rx)) on its own oneshot, sender held",
    (n) => parkOnOwnOneshot(n, true),
  ],
  [
    "wakeful spawn(rx): the task awaits its oneshot itself (no async block), sender held",
    (n) => parkOnOwnOneshot(n, false),
  ],
  [
    "Effect forkChild(Effect.never), parent held",
    async (n) => {
      const before = heap();
      started = 0;
      const held: Fiber.Fiber<never>[] = new Array(n);
      const parent = Effect.runFork(
        Effect.gen(function* () {
          for (let i = 0; i < n; i++) held[i] = yield* Effect.forkChild(effectParked);
          yield* Effect.never;
        }),
      );
      await untilStarted(n);
      const after = heap();
      return {
        perTask: (after - before) / n,
        release: async () => void (await Effect.runPromise(Fiber.interrupt(parent))),
      };
    },
  ],
];

async function measureParked(): Promise<Row[]> {
  const samples = parkers.map(() => [] as number[]);
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < parkers.length; i++) {
      const [, park] = parkers[i] as [string, Parker];
      const { perTask, release } = await park(PARKED);
      await release();
      await turn();
      if (round > 0) samples[i]?.push(perTask); // round 0 warms up
    }
  }
  const base = median(samples[0] as number[]);
  return parkers.map(([name], i) => {
    const s = samples[i] as number[];
    const m = median(s);
    return {
      workload: `memory per parked task (${PARKED} tasks)`,
      contender: name,
      median: `${m.toFixed(0)} B`,
      ratio: `${(m / base).toFixed(2)}x`,
      note: `range ${Math.min(...s).toFixed(0)}..${Math.max(...s).toFixed(0)} B`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Fairness: a 1 ms host ticker while the spawn/join workload runs.

interface TickStats {
  readonly p99: number;
  readonly max: number;
  readonly ticks: number;
  readonly ms: number;
}

async function withTicker(work: () => Promise<unknown>): Promise<TickStats> {
  const stamps: number[] = [];
  const ticker = setInterval(() => stamps.push(performance.now()), 1);
  await new Promise((resolve) => setTimeout(resolve, 5)); // let the ticker settle
  const start = performance.now();
  stamps.length = 0;
  stamps.push(start);
  await work();
  const end = performance.now();
  const seen = stamps.length;
  while (stamps.length === seen) await new Promise((resolve) => setTimeout(resolve, 1));
  clearInterval(ticker);
  const delays: number[] = [];
  for (let i = 1; i < stamps.length; i++) {
    delays.push(Math.max(0, (stamps[i] as number) - (stamps[i - 1] as number) - 1));
  }
  delays.sort((a, b) => a - b);
  const p99 = delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] as number;
  return { p99, max: delays[delays.length - 1] as number, ticks: seen - 1, ms: end - start };
}

const fairnessContenders: [string, () => Promise<unknown>][] = [
  ["native Promise.all", () => nativeSpawnJoin(N)],
  ["wakeful spawn + join", () => wakeful.spawnJoin(N)],
  ["Effect forkChild + Fiber.join", () => Effect.runPromise(effectSpawnJoin(N))],
];

async function measureFairness(): Promise<Row[]> {
  const stats = fairnessContenders.map(() => [] as TickStats[]);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < fairnessContenders.length; i++) {
      const [, work] = fairnessContenders[i] as [string, () => Promise<unknown>];
      gc();
      stats[i]?.push(await withTicker(work));
    }
  }
  const f = (x: number): string => x.toFixed(1);
  return fairnessContenders.map(([name], i) => {
    const s = stats[i] as TickStats[];
    const p99s = s.map((x) => x.p99);
    return {
      workload: `fairness: 1 ms ticker during ${N} spawn+join`,
      contender: name,
      median: `p99 ${f(median(p99s))} ms`,
      ratio: "-",
      note:
        `p99 ${f(Math.min(...p99s))}..${f(Math.max(...p99s))} ms, ` +
        `max delay ${f(Math.min(...s.map((x) => x.max)))}..${f(Math.max(...s.map((x) => x.max)))} ms, ` +
        `ticks ${s.map((x) => x.ticks).join("/")} in ${s.map((x) => x.ms.toFixed(0)).join("/")} ms`,
    };
  });
}

// ---------------------------------------------------------------------------------------------

export const workloads: Workload[] = [
  {
    name: `spawn ${N} tasks, each yields once, join all`,
    goal: "wakeful <= 0.8x native Promise.all",
    rounds: 5,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeSpawnJoin(N) },
      { name: "wakeful spawn + yield* handle", run: () => wakeful.spawnJoin(N) },
      { name: "Effect forkChild + Fiber.join", run: () => Effect.runPromise(effectSpawnJoin(N)) },
    ],
  },
  {
    name: `spawn ${SMALL} tasks, each yields once, join all`,
    goal: "(small N, to include Effection, which does not scale to 1e6)",
    rounds: 5,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeSpawnJoin(SMALL) },
      { name: "wakeful spawn + yield* handle", run: () => wakeful.spawnJoin(SMALL) },
      {
        name: "Effect forkChild + Fiber.join",
        run: () => Effect.runPromise(effectSpawnJoin(SMALL)),
      },
      { name: "Effection spawn + yield* task", run: () => effectionSpawnJoin(SMALL) },
    ],
  },
  {
    name: `one task suspends ${N} times`,
    goal: "wakeful <= 1.5x native await-null loop",
    rounds: 5,
    contenders: [
      { name: "native for { await null }", run: () => nativeLoop(N) },
      { name: "wakeful for { yield* yieldNow() }", run: () => wakeful.loop(N) },
      {
        name: "Effect for { yield* Effect.yieldNow }",
        run: () => Effect.runPromise(effectLoop(N)),
      },
    ],
  },
  {
    name: `two tasks take turns, ${N} suspends in all`,
    goal: "(every yield through the ready queue: no goal, tracked for regressions)",
    rounds: 5,
    contenders: [
      { name: "native 2 x for { await null }", run: () => nativeTurns(N) },
      { name: "wakeful 2 x for { yield* yieldNow() }", run: () => wakeful.turns(N) },
    ],
  },
  {
    name: "memory per parked task",
    goal: "wakeful <= 300 B per parked task, on pending() and on its own oneshot (issue 11)",
    contenders: [],
    custom: measureParked,
  },
  {
    name: "fairness",
    goal: "wakeful: host 1 ms ticker p99 delay <= 20 ms (native starves it for the whole run)",
    contenders: [],
    custom: measureFairness,
  },
];
