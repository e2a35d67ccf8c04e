/**
 * Channel workloads shared by `channel.bench.ts` and `ab.ts`: a producer task sends `n` numbers
 * through a channel to a consumer task that sums them, on wakeful (written against a build's
 * exports, so `ab.ts` can run two builds) and on the least a Promise-based queue can do.
 */
import type * as Wakeful from "../src/index.js";

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

/** 1e6-style producer/consumer through an unbounded native queue: `n` messages summed. */
export async function nativeUnbounded(n: number): Promise<number> {
  const q = new NativeQueue<number>();
  const producer = (async () => {
    for (let i = 0; i < n; i++) q.putNow(i);
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await q.take();
  await producer;
  return sum;
}

/** The same through a native queue bounded to `capacity`: the producer awaits room. */
export async function nativeBounded(n: number, capacity: number): Promise<number> {
  const q = new NativeQueue<number>(capacity);
  const producer = (async () => {
    for (let i = 0; i < n; i++) await q.put(i);
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await q.take();
  await producer;
  return sum;
}

/** The producer/consumer workloads on one build of wakeful, each run as the root of `run()`. */
export function wakefulChannelWorkloads(w: typeof Wakeful): {
  unbounded: (n: number) => Promise<number>;
  bounded: (n: number, capacity: number) => Promise<number>;
} {
  const consume = w.asyncFn(function* (rx: Wakeful.Receiver<number>) {
    let sum = 0;
    for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) sum += r.value;
    return sum;
  });
  const produceNow = w.asyncFn(function* (tx: Wakeful.UnboundedSender<number>, n: number) {
    for (let i = 0; i < n; i++) tx.send(i);
    tx.close();
  });
  const produce = w.asyncFn(function* (tx: Wakeful.Sender<number>, n: number) {
    for (let i = 0; i < n; i++) yield* tx.send(i);
    tx.close();
  });
  const unbounded = w.asyncFn(function* (n: number) {
    const [tx, rx] = w.unboundedChannel<number>();
    const producer = w.spawn(produceNow(tx, n));
    const consumer = w.spawn(consume(rx));
    yield* producer;
    return yield* consumer;
  });
  const bounded = w.asyncFn(function* (n: number, capacity: number) {
    const [tx, rx] = w.channel<number>(capacity);
    const producer = w.spawn(produce(tx, n));
    const consumer = w.spawn(consume(rx));
    yield* producer;
    return yield* consumer;
  });
  return {
    unbounded: (n) => w.run(unbounded(n)),
    bounded: (n, capacity) => w.run(bounded(n, capacity)),
  };
}
