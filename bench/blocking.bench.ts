/**
 * Blocking pool throughput: a pool of 2 threads against piscina, tinypool, workerpool and a
 * hand-rolled worker_threads pool (every job posted at once, round-robin: the floor for
 * message overhead). Every contender runs the same task module, test/fixtures/bench-tasks.mjs.
 *
 * - 20k tiny jobs (`a + b`): pure dispatch overhead. Goal: wakeful >= 3x piscina's jobs/s.
 * - 200 CPU jobs (`fib(27)`): goal wakeful >= 0.95x the hand-rolled pool's jobs/s.
 *
 * wakeful's jobs are awaited the way a user would: one spawned task per job, joined by a root
 * future under `run()`. The `spawnBlocking` rows run on the shared pool, which has
 * `os.availableParallelism()` threads rather than 2. Run: `npm run bench -- blocking`.
 */
import { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import Tinypool from "tinypool";
import workerpool from "workerpool";
import type { JoinHandle, BlockingPool as Pool } from "../src/index.js";
import { type Contender, measure, median, type Row, type Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { BlockingPool, future, run, spawn, spawnBlocking } = wakeful;

const THREADS = 2;
const TINY_JOBS = 20_000;
const CPU_JOBS = 200;
const FIB_N = 27;
const tasks = new URL("../test/fixtures/bench-tasks.mjs", import.meta.url);
const workerpoolScript = new URL("../test/fixtures/bench-workerpool.mjs", import.meta.url);
const rawScript = new URL("../test/fixtures/bench-raw-worker.mjs", import.meta.url);

/** Wraps `run` to record its durations; `extra` reports median jobs/s (warm-up excluded). */
function timed(name: string, jobs: number, body: () => Promise<unknown>): Contender {
  const times: number[] = [];
  return {
    name,
    async run() {
      const t = performance.now();
      const out = await body();
      times.push(performance.now() - t);
      return out;
    },
    extra: () => ({ "jobs/s": Math.round((jobs / median(times.slice(1))) * 1000) }),
  };
}

/** Runs `jobs` futures as spawned tasks under one root and sums their results. */
function wakefulAll(jobs: number, make: (i: number) => ReturnType<Pool["run"]>) {
  return run(
    future(function* () {
      const handles: JoinHandle<unknown>[] = new Array(jobs);
      for (let i = 0; i < jobs; i++) handles[i] = spawn(make(i));
      let sum = 0;
      for (const h of handles) sum += (yield* h) as number;
      return sum;
    }),
  );
}

/** A hand-rolled pool: every job posted at once, round-robin, answers counted in order. */
class RawPool {
  readonly workers: Worker[];
  constructor() {
    this.workers = Array.from({ length: THREADS }, () => new Worker(rawScript));
  }
  runAll(jobs: number, message: (i: number) => unknown[]): Promise<number> {
    return new Promise((resolve) => {
      let pending = jobs;
      let sum = 0;
      const onMessage = (value: number) => {
        sum += value;
        if (--pending === 0) {
          for (const w of this.workers) w.off("message", onMessage);
          resolve(sum);
        }
      };
      for (const w of this.workers) w.on("message", onMessage);
      for (let i = 0; i < jobs; i++) this.workers[i % THREADS]?.postMessage(message(i));
    });
  }
  close(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

async function withPools(build: (pools: Pools) => Workload): Promise<Row[]> {
  const pools: Pools = {
    wakeful: new BlockingPool({ filename: tasks, maxThreads: THREADS, minThreads: THREADS }),
    piscina: new Piscina({ filename: tasks.href, minThreads: THREADS, maxThreads: THREADS }),
    tinypool: new Tinypool({ filename: tasks.href, minThreads: THREADS, maxThreads: THREADS }),
    workerpool: workerpool.pool(workerpoolScript.pathname, {
      minWorkers: THREADS,
      maxWorkers: THREADS,
      workerType: "thread",
    }),
    raw: new RawPool(),
  };
  try {
    return await measure(build(pools));
  } finally {
    await Promise.all([
      pools.wakeful.close(),
      pools.piscina.destroy(),
      pools.tinypool.destroy(),
      pools.workerpool.terminate(),
      pools.raw.close(),
      BlockingPool.shared.close(),
    ]);
  }
}

interface Pools {
  wakeful: Pool;
  piscina: Piscina;
  tinypool: Tinypool;
  workerpool: ReturnType<typeof workerpool.pool>;
  raw: RawPool;
}

const add = (a: number, b: number): number => a + b;
const fib = (n: number): number => {
  const f = (k: number): number => (k < 2 ? k : f(k - 1) + f(k - 2));
  return f(n);
};

export const workloads: Workload[] = [
  {
    name: `blocking: ${TINY_JOBS / 1000}k tiny jobs, ${THREADS} threads`,
    goal: "wakeful >= 3x piscina's jobs/s (ratio <= 0.33)",
    contenders: [],
    custom: () =>
      withPools((p) => ({
        name: `blocking: ${TINY_JOBS / 1000}k tiny jobs (a + b), ${THREADS} threads`,
        rounds: 7,
        contenders: [
          timed("piscina", TINY_JOBS, () =>
            Promise.all(
              Array.from({ length: TINY_JOBS }, (_, i) =>
                p.piscina.run([i, 1], { name: "addTask" }),
              ),
            ),
          ),
          timed("wakeful pool.run", TINY_JOBS, () =>
            wakefulAll(TINY_JOBS, (i) => p.wakeful.run("add", [i, 1])),
          ),
          timed("wakeful runFunction", TINY_JOBS, () =>
            wakefulAll(TINY_JOBS, (i) => p.wakeful.runFunction(add, [i, 1]) as never),
          ),
          timed("wakeful spawnBlocking", TINY_JOBS, () =>
            wakefulAll(TINY_JOBS, (i) => spawnBlocking(add, i, 1) as never),
          ),
          timed("tinypool", TINY_JOBS, () =>
            Promise.all(
              Array.from({ length: TINY_JOBS }, (_, i) =>
                p.tinypool.run([i, 1], { name: "addTask" }),
              ),
            ),
          ),
          timed("workerpool", TINY_JOBS, () =>
            Promise.all(
              Array.from({ length: TINY_JOBS }, (_, i) => p.workerpool.exec("add", [i, 1])),
            ),
          ),
          timed("hand-rolled", TINY_JOBS, () => p.raw.runAll(TINY_JOBS, (i) => [0, i, 1])),
        ],
      })),
  },
  {
    name: `blocking: ${CPU_JOBS} x fib(${FIB_N}), ${THREADS} threads`,
    goal: "wakeful >= 0.95x hand-rolled jobs/s (ratio <= 1.05)",
    contenders: [],
    custom: () =>
      withPools((p) => ({
        name: `blocking: ${CPU_JOBS} x fib(${FIB_N}), ${THREADS} threads`,
        rounds: 7,
        contenders: [
          timed("hand-rolled", CPU_JOBS, () => p.raw.runAll(CPU_JOBS, () => [1, FIB_N])),
          timed("wakeful pool.run", CPU_JOBS, () =>
            wakefulAll(CPU_JOBS, () => p.wakeful.run("fib", [FIB_N])),
          ),
          timed("wakeful runFunction", CPU_JOBS, () =>
            wakefulAll(CPU_JOBS, () => p.wakeful.runFunction(fib, [FIB_N]) as never),
          ),
          timed("wakeful spawnBlocking", CPU_JOBS, () =>
            wakefulAll(CPU_JOBS, () => spawnBlocking(fib, FIB_N) as never),
          ),
          timed("piscina", CPU_JOBS, () =>
            Promise.all(
              Array.from({ length: CPU_JOBS }, () => p.piscina.run(FIB_N, { name: "fibTask" })),
            ),
          ),
          timed("tinypool", CPU_JOBS, () =>
            Promise.all(
              Array.from({ length: CPU_JOBS }, () => p.tinypool.run(FIB_N, { name: "fibTask" })),
            ),
          ),
          timed("workerpool", CPU_JOBS, () =>
            Promise.all(Array.from({ length: CPU_JOBS }, () => p.workerpool.exec("fib", [FIB_N]))),
          ),
        ],
      })),
  },
];
