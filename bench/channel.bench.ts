/**
 * Channel throughput: 1e6 messages from a producer task to a consumer task, through an
 * unbounded and a bounded (16) channel, side by side with a minimal native promise queue
 * (baseline: a ring buffer plus one resolver per waiting side, the least a Promise-based
 * queue can do), Effect's Queue and Effection's queue.
 *
 * Every native `take()` is awaited, as user code would (`await q.take()`), and resolves at
 * once when a message is buffered. Effection's queue slows down sharply when a producer adds
 * many messages without yielding, so it runs in a separate, smaller workload.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts channel`
 */
import { Effect, Fiber, Queue } from "effect";
import { createQueue, run as effectionRun, spawn as effectionSpawn } from "effection";
import { nativeBounded, nativeUnbounded, wakefulChannelWorkloads } from "./channel-workloads.js";
import type { Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { unbounded: wakefulUnbounded, bounded } = wakefulChannelWorkloads(wakeful);

const N = 1_000_000;
const CAP = 16;
/** The smaller workload that Effection's queue can finish in reasonable time. */
const SMALL_N = 100_000;

function effectQueue(capacity: number | undefined): Promise<number> {
  return Effect.runPromise(
    Effect.gen(function* () {
      const q =
        capacity === undefined
          ? yield* Queue.unbounded<number>()
          : yield* Queue.bounded<number>(capacity);
      const producer = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < N; i++) yield* Queue.offer(q, i);
        }),
      );
      let sum = 0;
      for (let i = 0; i < N; i++) sum += yield* Queue.take(q);
      yield* Fiber.join(producer);
      return sum;
    }),
  );
}

function effectionQueue(n: number): Promise<number> {
  return effectionRun(function* () {
    const q = createQueue<number, void>();
    yield* effectionSpawn(function* () {
      for (let i = 0; i < n; i++) q.add(i);
    });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = yield* q.next();
      if (r.done !== true) sum += r.value;
    }
    return sum;
  }) as unknown as Promise<number>;
}

export const workloads: Workload[] = [
  {
    name: `unbounded channel, ${N} msgs`,
    goal: "wakeful <= 0.8x native promise queue (issue 5)",
    rounds: 7,
    contenders: [
      { name: "native promise queue", run: () => nativeUnbounded(N) },
      { name: "wakeful unboundedChannel", run: () => wakefulUnbounded(N) },
      { name: "effect Queue.unbounded", run: () => effectQueue(undefined) },
    ],
  },
  {
    name: `bounded(${CAP}) channel, ${N} msgs`,
    goal: "wakeful <= 0.9x native promise queue (issue 5)",
    rounds: 7,
    contenders: [
      { name: "native promise queue", run: () => nativeBounded(N, CAP) },
      { name: "wakeful channel(16)", run: () => bounded(N, CAP) },
      { name: "effect Queue.bounded(16)", run: () => effectQueue(CAP) },
    ],
  },
  {
    name: `unbounded, ${SMALL_N} msgs (producer never yields)`,
    rounds: 5,
    contenders: [
      { name: "native promise queue", run: () => nativeUnbounded(SMALL_N) },
      { name: "wakeful unboundedChannel", run: () => wakefulUnbounded(SMALL_N) },
      { name: "effection createQueue", run: () => effectionQueue(SMALL_N) },
    ],
  },
];
