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
import type { Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { channel, future, run, spawn, unboundedChannel } = wakeful;

const N = 1_000_000;
const CAP = 16;
/** The smaller workload that Effection's queue can finish in reasonable time. */
const SMALL_N = 100_000;

/** The minimal native async queue: a power-of-two ring, one waiting taker, one waiting putter. */
class NativeQueue<T> {
  #items: (T | undefined)[] = new Array(16).fill(undefined);
  #head = 0;
  #length = 0;
  #taker: ((v: T) => void) | undefined = undefined;
  #putter: (() => void) | undefined = undefined;
  constructor(readonly capacity = Infinity) {}

  #push(v: T): void {
    if (this.#length === this.#items.length) {
      const old = this.#items;
      const next = new Array(old.length * 2).fill(undefined);
      for (let i = 0; i < old.length; i++) next[i] = old[(this.#head + i) & (old.length - 1)];
      this.#items = next;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = v;
    this.#length++;
  }

  #shift(): T {
    const v = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length--;
    return v;
  }

  /** Unbounded put: synchronous. */
  putNow(v: T): void {
    const taker = this.#taker;
    if (taker !== undefined) {
      this.#taker = undefined;
      taker(v);
    } else this.#push(v);
  }

  /** Bounded put: waits while full. */
  async put(v: T): Promise<void> {
    while (this.#length >= this.capacity) {
      await new Promise<void>((resolve) => {
        this.#putter = resolve;
      });
    }
    this.putNow(v);
  }

  take(): Promise<T> {
    if (this.#length > 0) {
      const v = this.#shift();
      const putter = this.#putter;
      if (putter !== undefined) {
        this.#putter = undefined;
        putter();
      }
      return Promise.resolve(v);
    }
    return new Promise<T>((resolve) => {
      this.#taker = resolve;
    });
  }
}

async function nativeUnbounded(n: number): Promise<number> {
  const q = new NativeQueue<number>();
  const producer = (async () => {
    for (let i = 0; i < n; i++) q.putNow(i);
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await q.take();
  await producer;
  return sum;
}

async function nativeBounded(): Promise<number> {
  const q = new NativeQueue<number>(CAP);
  const producer = (async () => {
    for (let i = 0; i < N; i++) await q.put(i);
  })();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await q.take();
  await producer;
  return sum;
}

function wakefulUnbounded(n: number): Promise<number> {
  return run(
    future(function* () {
      const [tx, rx] = unboundedChannel<number>();
      const producer = spawn(
        future(function* () {
          for (let i = 0; i < n; i++) tx.send(i);
          tx.close();
        }),
      );
      const consumer = spawn(
        future(function* () {
          let sum = 0;
          for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) sum += r.value;
          return sum;
        }),
      );
      yield* producer;
      return yield* consumer;
    }),
  );
}

function wakefulBounded(): Promise<number> {
  return run(
    future(function* () {
      const [tx, rx] = channel<number>(CAP);
      const producer = spawn(
        future(function* () {
          for (let i = 0; i < N; i++) yield* tx.send(i);
          tx.close();
        }),
      );
      const consumer = spawn(
        future(function* () {
          let sum = 0;
          for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) sum += r.value;
          return sum;
        }),
      );
      yield* producer;
      return yield* consumer;
    }),
  );
}

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
      { name: "native promise queue", run: nativeBounded },
      { name: "wakeful channel(16)", run: wakefulBounded },
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
