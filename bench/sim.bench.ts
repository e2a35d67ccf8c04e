/**
 * Simulation executor workloads (issue 4): task polls per second under each strategy (goal:
 * >= 1M polls/s), with LocalExecutor stepped by hand (`runUntilStalled`) on the same tasks as
 * the reference, and the time of a 200-run fast-check property over schedules.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts sim` (`npm run bench -- sim`).
 */
import fc from "fast-check";
import { asyncFn, future, type JoinHandle, LocalExecutor, spawn, yieldNow } from "../src/index.js";
import { SimExecutor, schedules } from "../src/testing.js";
import { gc, median, type Row, type Workload } from "./harness.js";

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
): Promise<[number, number]> {
  const sim = new SimExecutor({ strategy, seed, maxSteps: 10_000_000 });
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

export const workloads: Workload[] = [
  {
    name: "sim polls",
    goal: "SimExecutor >= 1M task polls/s",
    contenders: [],
    custom: pollsPerSecond,
  },
  {
    name: "sim property",
    goal: "a 200-run property over a few hundred steps in well under a second",
    contenders: [],
    custom: propertyTime,
  },
];
