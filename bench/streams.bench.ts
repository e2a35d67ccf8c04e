/**
 * Streams workload (issue 12): a bounded-concurrency map, 16 in flight.
 *
 * - Microtask variant: 1e5 items, each operation suspends once (native: `await null`;
 *   wakeful: one `yieldNow()`), results in order and unordered.
 * - Timer variant: 2e4 items, each sleeps a pseudo-random 0–2 ms (the same seeded durations for
 *   every contender): native `setTimeout`, wakeful `sleep`.
 *
 * Contenders: a hand-rolled native pool (baseline: 16 workers pulling the next index), p-map,
 * p-limit + Promise.all, rxjs `mergeMap(op, 16)`, Node `Readable.from(items).map(op,
 * { concurrency: 16 })`, Effect `forEach({ concurrency: 16 })`, and wakeful's `buffered`,
 * `bufferUnordered`, `forEachConcurrent`, each reading its items from a lazy `iter`.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts streams` (`npm run bench -- streams`).
 */
import { Readable } from "node:stream";
import { Effect } from "effect";
import pLimit from "p-limit";
import pMap from "p-map";
import { from, lastValueFrom, mergeMap, toArray } from "rxjs";
import { gc, type Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { asyncFn, buffered, bufferUnordered, collect, forEachConcurrent, iter, map, run, sleep } =
  wakeful;
const { count, inspect, yieldNow } = wakeful;

const N = 100_000;
const TIMED = 20_000;
const C = 16;

const items = Array.from({ length: N }, (_, i) => i);
let seed = 12;
const durations = Array.from({ length: TIMED }, () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % 3;
});
const timedItems = Array.from({ length: TIMED }, (_, i) => i);

const nativeTick = async (x: number): Promise<number> => {
  await null;
  return x;
};
const nativeSleep = (x: number): Promise<number> =>
  new Promise((resolve) => setTimeout(() => resolve(x), durations[x]));
const wakefulTick = asyncFn(function* (x: number) {
  yield* yieldNow();
  return x;
});
const wakefulSleep = asyncFn(function* (x: number) {
  yield* sleep(durations[x] as number);
  return x;
});

async function nativePool(list: number[], op: (x: number) => Promise<number>): Promise<number[]> {
  const out = new Array<number>(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      out[i] = await op(list[i] as number);
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < C; w++) workers.push(worker());
  await Promise.all(workers);
  return out;
}

function limitAll(list: number[], op: (x: number) => Promise<number>): Promise<number[]> {
  const limit = pLimit(C);
  return Promise.all(list.map((x) => limit(() => op(x))));
}

function rx(list: number[], op: (x: number) => Promise<number>): Promise<number[]> {
  return lastValueFrom(from(list).pipe(mergeMap(op, C), toArray()));
}

function readable(list: number[], op: (x: number) => Promise<number>): Promise<number[]> {
  return Readable.from(list).map(op, { concurrency: C }).toArray();
}

function effect(list: number[], op: (x: number) => Promise<number>): Promise<number[]> {
  return Effect.runPromise(
    Effect.forEach(list, (x) => Effect.promise(() => op(x)), { concurrency: C }),
  );
}

type Op = (x: number) => ReturnType<typeof wakefulTick>;
const ordered = (list: number[], op: Op) => run(iter(list).pipe(map(op), buffered(C), collect()));
const unordered = (list: number[], op: Op) =>
  run(iter(list).pipe(map(op), bufferUnordered(C), collect()));
const forEachC = (list: number[], op: Op) => {
  let n = 0;
  return run(
    iter(list).pipe(
      forEachConcurrent(C, (x: number) => {
        n++;
        return op(x);
      }),
    ),
  ).then(() => n);
};

function* lazy(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Heap above the start, after a collection every 50,000 items, for a lazy source of `n`. */
async function heapGrowth(n: number): Promise<number> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let max = 0;
  const sample = (i: number): void => {
    if (i % 50_000 !== 0) return;
    gc();
    max = Math.max(max, process.memoryUsage().heapUsed - base);
  };
  await run(iter(lazy(n)).pipe(map(wakefulTick), buffered(C), inspect(sample), count()));
  return max;
}

export const workloads: Workload[] = [
  {
    name: `bounded map of ${N} items, ${C} in flight, each suspends once, in order`,
    goal: "buffered <= 1.0x native pool, >= 3x faster than p-map",
    rounds: 7,
    contenders: [
      { name: "native bounded pool", run: () => nativePool(items, nativeTick) },
      { name: "wakeful buffered(16)", run: () => ordered(items, wakefulTick) },
      { name: "p-map", run: () => pMap(items, nativeTick, { concurrency: C }) },
      { name: "p-limit + Promise.all", run: () => limitAll(items, nativeTick) },
      { name: "Readable.from().map()", run: () => readable(items, nativeTick) },
      { name: "Effect.forEach", run: () => effect(items, nativeTick) },
    ],
  },
  {
    name: `bounded map of ${N} items, ${C} in flight, each suspends once, unordered`,
    goal: "bufferUnordered <= 1.0x native pool",
    rounds: 7,
    contenders: [
      { name: "native bounded pool", run: () => nativePool(items, nativeTick) },
      { name: "wakeful bufferUnordered(16)", run: () => unordered(items, wakefulTick) },
      { name: "wakeful forEachConcurrent(16)", run: () => forEachC(items, wakefulTick) },
      { name: "rxjs mergeMap(op, 16)", run: () => rx(items, nativeTick) },
    ],
  },
  {
    name: `bounded map of ${TIMED} items, ${C} in flight, each sleeps 0-2 ms`,
    goal: "bufferUnordered <= 1.05x native pool; buffered < 1.36x",
    rounds: 3,
    contenders: [
      { name: "native bounded pool", run: () => nativePool(timedItems, nativeSleep) },
      { name: "wakeful bufferUnordered(16)", run: () => unordered(timedItems, wakefulSleep) },
      { name: "wakeful buffered(16)", run: () => ordered(timedItems, wakefulSleep) },
      { name: "wakeful forEachConcurrent(16)", run: () => forEachC(timedItems, wakefulSleep) },
      { name: "p-map", run: () => pMap(timedItems, nativeSleep, { concurrency: C }) },
      { name: "p-limit + Promise.all", run: () => limitAll(timedItems, nativeSleep) },
      { name: "rxjs mergeMap(op, 16)", run: () => rx(timedItems, nativeSleep) },
      { name: "Readable.from().map()", run: () => readable(timedItems, nativeSleep) },
    ],
  },
  {
    name: "memory: buffered(16) over a lazy source",
    goal: "1e6 items add <= 1 MB of heap",
    contenders: [],
    custom: async () => {
      const rows = [];
      for (const n of [10_000, 1_000_000]) {
        const kb = (await heapGrowth(n)) / 1024;
        rows.push({
          workload: "memory: buffered(16) over a lazy iter",
          contender: `${n} items`,
          median: `${kb.toFixed(0)} KB`,
          ratio: "",
          note: "heap above start, sampled after gc",
        });
      }
      return rows;
    },
  },
];
