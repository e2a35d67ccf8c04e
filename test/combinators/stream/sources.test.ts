import { describe, expect, it } from "vitest";
import {
  broadcast,
  Context,
  fromAsyncIterable,
  future,
  interval,
  isStream,
  iter,
  JoinSet,
  LocalExecutor,
  merge,
  Poll,
  PollAfterReadyError,
  repeatWith,
  run,
  sleep,
  spawn,
  stream,
  unboundedChannel,
  unfold,
  Waker,
  watch,
  yieldNow,
} from "../../../src/index.js";
import { SimExecutor } from "../../../src/testing.js";
import { counting, HandStream } from "./helpers.js";

const noop = Context.from(Waker.noop());

function drain<T>(s: { pollNext(cx: Context): Poll<IteratorResult<T, undefined>> }): T[] {
  const out: T[] = [];
  for (;;) {
    const p = s.pollNext(noop);
    if (p === Poll.pending) throw new Error("unexpected Pending");
    const r = (p as { value: IteratorResult<T, undefined> }).value;
    if (r.done) return out;
    out.push(r.value);
  }
}

describe("Stream base", () => {
  it("next() takes an item only when it completes: a dropped next() loses nothing", () => {
    const s = new HandStream<number>();
    const { cx, waker } = counting();
    const first = s.next();
    expect(first.poll(cx)).toBe(Poll.pending);
    first.drop();
    s.push(7);
    expect(waker.wakeCount).toBe(1);
    expect(s.next().poll(cx)).toEqual({ value: { done: false, value: 7 } });
  });

  it("next() throws PollAfterReadyError when polled after it completed", () => {
    const s = iter([1]);
    const n = s.next();
    n.poll(noop);
    expect(() => n.poll(noop)).toThrow(PollAfterReadyError);
  });

  it("is recognised by isStream, also as another copy's stream (pollNext and drop)", () => {
    expect(isStream(iter([]))).toBe(true);
    expect(isStream({})).toBe(false);
    expect(isStream({ pollNext() {}, drop() {} })).toBe(true);
  });

  it("for await reads every item from plain async code", async () => {
    const got: number[] = [];
    for await (const v of iter([1, 2, 3])) got.push(v);
    expect(got).toEqual([1, 2, 3]);
  });

  it("leaving a for await early drops the stream, running the source's finally", async () => {
    const log: string[] = [];
    function* gen() {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push("finally");
      }
    }
    for await (const v of iter(gen())) {
      log.push(`got ${v}`);
      break;
    }
    expect(log).toEqual(["got 1", "finally"]);
  });

  it("return() while a next() is pending drops the stream and settles that next() as done", async () => {
    const s = new HandStream<number>();
    const it = s[Symbol.asyncIterator]();
    const pending = it.next();
    await it.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(s.drops).toBe(1);
  });

  it("an error from the stream rejects next() and drops the stream", async () => {
    const s = new HandStream<number>();
    s.error = new Error("boom");
    const it = s[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow("boom");
    expect(s.drops).toBe(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it("pipe applies operators in turn and checks them", () => {
    const s = iter([1, 2]);
    expect(s.pipe((x) => drain(x).length)).toBe(2);
    expect(() => (iter([]).pipe as (...a: unknown[]) => unknown)(3)).toThrow(
      "stream.pipe(...operators): not a function",
    );
  });
});

describe("iter", () => {
  it("rejects a non-iterable, naming the argument", () => {
    expect(() => iter(3 as never)).toThrow("iter(iterable): expected an iterable, got number");
  });

  it("reads lazily: the iterator is made on the first poll", () => {
    let made = 0;
    const s = iter({
      [Symbol.iterator]() {
        made++;
        return [1][Symbol.iterator]();
      },
    });
    expect(made).toBe(0);
    expect(drain(s)).toEqual([1]);
    expect(made).toBe(1);
    expect(s.pollNext(noop)).toEqual({ value: { done: true, value: undefined } });
  });

  it("spends the cooperative budget: a task draining a long array yields to others", async () => {
    const order: string[] = [];
    await run(
      future(function* () {
        const other = spawn(
          future(function* () {
            order.push("other ran");
          }),
        );
        const s = iter(Array.from({ length: 1000 }, (_, i) => i));
        let n = 0;
        for (let r = yield* s.next(); !r.done; r = yield* s.next()) {
          if (++n === 500) order.push("half way");
        }
        yield* other;
      }),
    );
    expect(order).toEqual(["other ran", "half way"]);
  });
});

describe("fromAsyncIterable", () => {
  it("reads an async generator and ends with it", async () => {
    async function* gen() {
      yield 1;
      yield 2;
    }
    const got = await run(
      future(function* () {
        const s = fromAsyncIterable(gen());
        const out: number[] = [];
        for (let r = yield* s.next(); !r.done; r = yield* s.next()) out.push(r.value);
        return out;
      }),
    );
    expect(got).toEqual([1, 2]);
  });

  it("dropping the stream calls return(): the async generator's finally runs", async () => {
    const log: string[] = [];
    async function* gen() {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push("finally");
      }
    }
    await run(
      future(function* () {
        const s = fromAsyncIterable(gen());
        const r = yield* s.next();
        log.push(`got ${r.value}`);
        s.drop();
        yield* sleep(5);
      }),
    );
    expect(log).toEqual(["got 1", "finally"]);
  });

  it("rejects a non-async-iterable", () => {
    expect(() => fromAsyncIterable([1] as never)).toThrow(
      "fromAsyncIterable(iterable): expected an async iterable, got Array",
    );
  });
});

describe("unfold and repeatWith", () => {
  it("unfold awaits each step and ends on undefined", async () => {
    const got = await run(
      future(function* () {
        const s = unfold(1, (n) =>
          future(function* () {
            yield* yieldNow();
            return n > 3 ? undefined : ([n * 10, n + 1] as const);
          }),
        );
        const out: number[] = [];
        for (let r = yield* s.next(); !r.done; r = yield* s.next()) out.push(r.value);
        return out;
      }),
    );
    expect(got).toEqual([10, 20, 30]);
  });

  it("unfold calls f only when an item is asked for, and accepts plain steps", () => {
    let calls = 0;
    const s = unfold(0, (n) => {
      calls++;
      return [n, n + 1] as const;
    });
    expect(calls).toBe(0);
    s.pollNext(noop);
    s.pollNext(noop);
    expect(calls).toBe(2);
  });

  it("repeatWith is endless and calls f per item", () => {
    let i = 0;
    const s = repeatWith(() => i++);
    s.pollNext(noop);
    expect(s.pollNext(noop)).toEqual({ value: { done: false, value: 1 } });
    expect(() => repeatWith(1 as never)).toThrow("repeatWith(f): f must be a function, got number");
  });
});

describe("stream(function* (emit) …)", () => {
  it("the body runs only as far as the consumer has read (backpressure)", () => {
    const log: string[] = [];
    const s = stream<number>(function* (emit) {
      for (let i = 0; i < 3; i++) {
        log.push(`emit ${i}`);
        yield* emit(i);
        log.push(`taken ${i}`);
      }
    });
    expect(log).toEqual([]);
    expect(s.pollNext(noop)).toEqual({ value: { done: false, value: 0 } });
    expect(log).toEqual(["emit 0"]);
    expect(s.pollNext(noop)).toEqual({ value: { done: false, value: 1 } });
    expect(log).toEqual(["emit 0", "taken 0", "emit 1"]);
    expect(drain(s)).toEqual([2]);
  });

  it("awaits futures between emits and runs its finally when dropped", async () => {
    const log: string[] = [];
    const sim = new SimExecutor({ seed: 1 });
    const got = await sim.run(
      future(function* () {
        const s = stream<number>(function* (emit) {
          try {
            for (let i = 0; ; i++) {
              yield* sleep(10);
              yield* emit(i);
            }
          } finally {
            log.push("body finally");
          }
        });
        const a = yield* s.next();
        const b = yield* s.next();
        s.drop();
        return [a.value, b.value];
      }),
    );
    expect(got).toEqual([0, 1]);
    expect(log).toEqual(["body finally"]);
  });

  it("an error in the body fails the stream, which is then done", () => {
    const s = stream<number>(function* (emit) {
      yield* emit(1);
      throw new Error("bad");
    });
    s.pollNext(noop);
    expect(() => s.pollNext(noop)).toThrow("bad");
    expect(s.pollNext(noop)).toEqual({ value: { done: true, value: undefined } });
  });
});

describe("merge", () => {
  it("interleaves ready streams round robin and ends when all ended", () => {
    expect(drain(merge(iter([1, 2, 3]), iter([10, 20])))).toEqual([1, 10, 2, 20, 3]);
  });

  it("the first error drops the other streams", () => {
    const a = new HandStream<number>();
    const b = new HandStream<number>();
    b.error = new Error("b failed");
    const m = merge(a, b);
    expect(() => m.pollNext(noop)).toThrow("b failed");
    expect(a.drops).toBe(1);
  });

  it("dropping the merge drops every live stream", () => {
    const a = new HandStream<number>();
    const b = new HandStream<number>();
    merge(a, b).drop();
    expect([a.drops, b.drops]).toEqual([1, 1]);
    expect(() => merge(a, 3 as never)).toThrow("merge(...streams): argument 1: expected a Stream");
  });
});

describe("library stream shapes", () => {
  it("Receiver.stream() reads every message; dropping it leaves the receiver open", async () => {
    const [tx, rx] = unboundedChannel<number>();
    tx.send(1);
    tx.send(2);
    const s = rx.stream();
    const { cx } = counting();
    expect(s.pollNext(cx)).toEqual({ value: { done: false, value: 1 } });
    s.drop();
    expect(rx.isClosed).toBe(false);
    tx.close();
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual([2]);
  });

  it("BroadcastReceiver, WatchReceiver, JoinSet and Interval give streams", async () => {
    const sim = new SimExecutor({ seed: 3 });
    const got = await sim.run(
      future(function* () {
        const [btx, brx] = broadcast<string>(4);
        btx.send("a");
        btx.close();
        const b: string[] = [];
        const bs = brx.stream();
        for (let r = yield* bs.next(); !r.done; r = yield* bs.next()) b.push(r.value);

        const [wtx, wrx] = watch(0);
        const ws = wrx.stream();
        wtx.send(5);
        const w1 = yield* ws.next();
        wtx.close();
        const w2 = yield* ws.next();

        const set = new JoinSet<number>();
        set.spawn(
          future(function* () {
            yield* sleep(20);
            return 2;
          }),
        );
        set.spawn(
          future(function* () {
            yield* sleep(10);
            return 1;
          }),
        );
        const js = set.stream();
        const j: number[] = [];
        for (let r = yield* js.next(); !r.done; r = yield* js.next()) j.push(r.value);

        const every = interval(100);
        const is = every.stream();
        const t0 = yield* is.next();
        const t1 = yield* is.next();
        every[Symbol.dispose]();
        const t2 = yield* is.next();
        return {
          b,
          w: [w1, w2],
          j,
          ticks: [(t1.value as { ms: number }).ms - (t0.value as { ms: number }).ms, t2.done],
        };
      }),
    );
    expect(got).toEqual({
      b: ["a"],
      w: [
        { done: false, value: 5 },
        { done: true, value: undefined },
      ],
      j: [1, 2],
      ticks: [100, true],
    });
  });

  it("runs under a hand-stepped executor", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = unboundedChannel<number>();
    const got: number[] = [];
    ex.spawn(
      future(function* () {
        const s = rx.stream();
        for (let r = yield* s.next(); !r.done; r = yield* s.next()) got.push(r.value);
      }),
    );
    ex.runUntilStalled();
    tx.send(4);
    ex.runUntilStalled();
    expect(got).toEqual([4]);
  });
});
