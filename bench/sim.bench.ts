/**
 * Simulation workloads (issues 4 and 14), on the built package:
 * - task polls per second under each strategy (goal: >= 1M polls/s), with LocalExecutor stepped
 *   by hand (`runUntilStalled`) on the same tasks as the reference, and with the timeline
 *   recorder on (`trace: true`) to show what recording costs and that off it costs nothing;
 * - the time of a 200-run fast-check property over schedules;
 * - `explore`: schedules run per second, on two tasks of 6 steps (C(12, 6) = 924 schedules)
 *   writing one shared cell, with and without the partial-order reduction, and on a
 *   Mutex-protected counter;
 * - `checkLinearizable`: histories of 100 and 1,000 operations of 4 clients on a Mutex-protected
 *   key-value store, checked key by key and as one register map, and a failing one with its
 *   smallest window.
 *
 * Run: `npm run bench -- sim`.
 */
import fc from "fast-check";
import { gc, median, type Row, type Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";
import { testing } from "./wakeful-testing.js";

const { asyncFn, future, LocalExecutor, Mutex, spawn, yieldNow } = wakeful;
const { SimExecutor, schedules, explore, shared, History, checkLinearizable } = testing;
type JoinHandle<T> = import("../src/index.js").JoinHandle<T>;
type Future<T> = import("../src/index.js").Future<T>;

const TASKS = 16;
const YIELDS = 12_500; // 16 × 12,500 = 200,000 task polls per run
const ROUNDS = 9;

const worker = asyncFn(function* (yields: number) {
  for (let i = 0; i < yields; i++) yield* yieldNow();
  return yields;
});

const program = asyncFn(function* () {
  const handles: JoinHandle<number>[] = [];
  for (let t = 0; t < TASKS; t++) handles.push(spawn(worker(YIELDS)));
  let total = 0;
  for (const h of handles) total += yield* h;
  return total;
});

/** Runs the program once and returns [polls, milliseconds]. */
async function simRound(
  strategy: "fifo" | "random" | "pct",
  seed: number,
  trace = false,
): Promise<[number, number]> {
  const sim = new SimExecutor({ strategy, seed, maxSteps: 10_000_000, trace });
  gc();
  const t = performance.now();
  await sim.run(program());
  return [sim.polls, performance.now() - t];
}

function localRound(): [number, number] {
  const ex = new LocalExecutor({ manual: true });
  const root = ex.spawn(program());
  gc();
  const t = performance.now();
  const polls = ex.runUntilStalled();
  const ms = performance.now() - t;
  if (!root.isFinished) throw new Error("bench: the local run did not finish");
  return [polls, ms];
}

async function pollsPerSecond(): Promise<Row[]> {
  const contenders: [string, () => Promise<[number, number]> | [number, number]][] = [
    ["LocalExecutor (manual, FIFO)", localRound],
    ["SimExecutor fifo", () => simRound("fifo", 0)],
    ["SimExecutor random", () => simRound("random", 1)],
    ["SimExecutor pct", () => simRound("pct", 1)],
    ["SimExecutor fifo, trace: true", () => simRound("fifo", 0, true)],
  ];
  const rates = contenders.map(() => [] as number[]);
  for (const [, run] of contenders) await run(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const k = (i + r) % contenders.length;
      const [polls, ms] = await (contenders[k] as [string, () => Promise<[number, number]>])[1]();
      rates[k]?.push(polls / (ms / 1000));
    }
  }
  const medians = rates.map(median);
  const base = medians[0] as number;
  return contenders.map(([name], i) => {
    const m = medians[i] as number;
    const all = rates[i] as number[];
    return {
      workload: `task polls/s (${TASKS} tasks × ${YIELDS} yields)`,
      contender: name,
      median: `${(m / 1e6).toFixed(2)} M/s`,
      ratio: `${(m / base).toFixed(2)}x`,
      note: `range ${(Math.min(...all) / 1e6).toFixed(2)}–${(Math.max(...all) / 1e6).toFixed(2)} M/s`,
    };
  });
}

/** Two tasks racing on a counter: about 10 decisions per run. */
const race = () =>
  future(function* () {
    let x = 0;
    const inc = () =>
      future(function* () {
        for (let i = 0; i < 20; i++) {
          const r = x;
          yield* yieldNow();
          x = r + 1;
        }
      });
    const a = spawn(inc());
    const b = spawn(inc());
    yield* a;
    yield* b;
    return x;
  });

async function propertyTime(): Promise<Row[]> {
  const times: number[] = [];
  let polls = 0;
  for (let r = 0; r < ROUNDS; r++) {
    polls = 0;
    gc();
    const t = performance.now();
    await fc.assert(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        await sim.run(race());
        polls += sim.polls;
      }),
      { seed: r, numRuns: 200 },
    );
    times.push(performance.now() - t);
  }
  return [
    {
      workload: "fc.assert, 200 runs over schedules(fc)",
      contender: "SimExecutor",
      median: `${median(times).toFixed(1)} ms`,
      ratio: "",
      note: `${polls} task polls per property`,
    },
  ];
}

/** The root and a spawned task each make 6 steps, writing one shared cell at every step. */
function sixAndSix(): Future<void> {
  const cell = shared(0);
  return future(function* () {
    const b = spawn(
      future(function* () {
        for (let i = 0; i < 6; i++) {
          cell.update((n) => n + 1);
          if (i < 5) yield* yieldNow();
        }
      }),
    );
    yield* yieldNow();
    for (let i = 0; i < 6; i++) {
      cell.update((n) => n + 1);
      if (i < 5) yield* yieldNow();
    }
    yield* b;
  });
}

/** Three tasks increment a Mutex-protected counter twice each. */
function lockedCounter(): Future<void> {
  return future(function* () {
    const counter = new Mutex(0);
    const inc = () =>
      future(function* () {
        for (let i = 0; i < 2; i++) {
          using guard = yield* counter.lock();
          const seen = guard.value;
          yield* yieldNow();
          guard.value = seen + 1;
        }
      });
    const hs = [spawn(inc()), spawn(inc()), spawn(inc())];
    for (const h of hs) yield* h;
    using guard = yield* counter.lock();
    if (guard.value !== 6) throw new Error(`counter ${guard.value}`);
  });
}

async function exploreRate(): Promise<Row[]> {
  const cases: [string, () => Future<void>, Parameters<typeof explore>[1]][] = [
    ["2 tasks × 6 steps on one cell, sharing any", sixAndSix, {}],
    ["2 tasks × 6 steps on one cell, sharing cells (DPOR)", sixAndSix, { sharing: "cells" }],
    ["3 tasks × 2 Mutex increments, preemptionBound 2", lockedCounter, { preemptionBound: 2 }],
  ];
  const rows: Row[] = [];
  for (const [name, prog, options] of cases) {
    await explore(prog, options); // warm-up
    const rates: number[] = [];
    let last = { schedules: 0, pruned: 0 };
    for (let r = 0; r < 5; r++) {
      gc();
      const t = performance.now();
      const result = await explore(prog, options);
      const ms = performance.now() - t;
      if (result.failure !== undefined) throw new Error(`bench: ${name} failed`);
      last = result;
      rates.push((result.schedules + result.pruned) / (ms / 1000));
    }
    rows.push({
      workload: "explore: schedules run per second",
      contender: name,
      median: `${Math.round(median(rates))} /s`,
      ratio: "",
      note: `${last.schedules} schedules, ${last.pruned} pruned per exploration`,
    });
  }
  return rows;
}

/**
 * Key-value stores whose operations take effect atomically between two round trips, so they
 * overlap; `locked` adds a Mutex around each (the overlap is then the wait for the lock).
 */
function store(locked: boolean) {
  const lock = new Mutex(undefined);
  const data = new Map<string, number>();
  const op = <T>(effect: () => T) =>
    future(function* () {
      using _guard = locked ? yield* lock.lock() : undefined;
      yield* yieldNow();
      const value = effect();
      yield* yieldNow();
      return value;
    });
  return {
    get: (key: string) => op(() => data.get(key)),
    put: (key: string, value: number) => op(() => void data.set(key, value)),
  };
}

const kvModel = {
  init: () => new Map<string, number>() as ReadonlyMap<string, number>,
  step(
    state: ReadonlyMap<string, number>,
    op: { name: string; input: unknown; output: unknown; returned: boolean },
  ) {
    const [key, value] = op.input as [string, number];
    if (op.name === "put") return new Map(state).set(key, value);
    return !op.returned || op.output === state.get(key) ? state : undefined;
  },
  partition: (op: { input: unknown }) => (op.input as [string])[0],
};

/** A history of `n` operations by `clients` clients on 5 keys, under a seeded simulation. */
async function recordHistory(n: number, clients: number, locked: boolean, seed: number) {
  const history = new History();
  const kv = store(locked);
  let draws = seed * 7919;
  const next = (m: number) => {
    draws = (Math.imul(draws, 1103515245) + 12345) & 0x7fffffff;
    return draws % m;
  };
  await new SimExecutor({ seed }).run(
    future(function* () {
      const handles: JoinHandle<void>[] = [];
      for (let c = 0; c < clients; c++) {
        handles.push(
          spawn(
            future(function* () {
              for (let i = 0; i < n / clients; i++) {
                const key = `k${next(5)}`;
                if (next(2) === 0) {
                  const value = next(100);
                  yield* history.record("put", [key, value], kv.put(key, value));
                } else {
                  yield* history.record("get", [key], kv.get(key));
                }
              }
            }),
          ),
        );
      }
      for (const h of handles) yield* h;
    }),
  );
  return history;
}

async function linearizabilityTimes(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [100, 1000]) {
    for (const [clients, locked] of [
      [4, true],
      [8, false],
    ] as const) {
      const history = await recordHistory(n, clients, locked, 1);
      const ops = history.operations;
      // The same history and one more read, after everything, of a value nobody wrote.
      const broken = [
        ...ops,
        { id: ops.length, name: "get", input: ["k0"], output: -1, call: 1e9, return: 1e9 + 1 },
      ];
      const whole = { ...kvModel, partition: undefined };
      const cases: [string, () => boolean][] = [
        ["key by key (P-compositionality)", () => checkLinearizable(history, kvModel).ok],
        ["as one map (no partition)", () => checkLinearizable(history, whole).ok],
        ["failing: culprit and smallest window", () => !checkLinearizable(broken, kvModel).ok],
      ];
      for (const [name, check] of cases) {
        if (!check()) throw new Error(`bench: ${name} gave the wrong verdict`);
        const times: number[] = [];
        for (let r = 0; r < 7; r++) {
          gc();
          const t = performance.now();
          check();
          times.push(performance.now() - t);
        }
        const kind = locked ? "Mutex store" : "lock-free store";
        rows.push({
          workload: `checkLinearizable, ${n} ops, ${clients} clients, ${kind}`,
          contender: name,
          median: `${median(times).toFixed(2)} ms`,
          ratio: "",
          note: `range ${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} ms`,
        });
      }
    }
  }
  return rows;
}

export const workloads: Workload[] = [
  {
    name: "sim polls",
    goal: "SimExecutor >= 1M task polls/s (trace off costs nothing; trace: true shown for scale)",
    contenders: [],
    custom: pollsPerSecond,
  },
  {
    name: "sim property",
    goal: "a 200-run property over a few hundred steps in well under a second",
    contenders: [],
    custom: propertyTime,
  },
  {
    name: "explore",
    goal: "the figure of issue 14: schedules explored per second",
    contenders: [],
    custom: exploreRate,
  },
  {
    name: "linearizability",
    goal: "the figures of issue 14: check times for histories of 100 and 1,000 operations",
    contenders: [],
    custom: linearizabilityTimes,
  },
];
