/**
 * Type-level tests: checked by `tsc --noEmit` (the runtime body is trivial). `expectTypeOf`
 * assertions and `@ts-expect-error` lines fail the type-check if the public types drift.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type AsyncGenerator,
  type Awaiting,
  asyncFn,
  Context,
  Future,
  fromPromise,
  future,
  type JoinError,
  type JoinHandle,
  JoinSet,
  LocalExecutor,
  lazy,
  Poll,
  pending,
  pollFn,
  type Ready,
  ready,
  run,
  sleep,
  spawn,
  type TaskInfo,
  Waker,
  yieldNow,
} from "../../src/index.js";

describe("types", () => {
  it("yield* on a Future<T> gives T", () => {
    const f = future(function* () {
      const n = yield* ready(1);
      expectTypeOf(n).toEqualTypeOf<number>();
      const s = yield* lazy(() => "s");
      expectTypeOf(s).toEqualTypeOf<string>();
      const o = yield* fromPromise(() => Promise.resolve({ id: 1 }));
      expectTypeOf(o).toEqualTypeOf<{ id: number }>();
      const v = yield* yieldNow();
      expectTypeOf(v).toEqualTypeOf<void>();
      const never = pending<Date>();
      expectTypeOf(never).toEqualTypeOf<Future<Date>>();
      // @ts-expect-error a number is not a string
      const wrong: string = yield* ready(1);
      void wrong;
      return `${n}${s}`;
    });
    expectTypeOf(f).toEqualTypeOf<Future<string>>();
  });

  it("a plain yield (without the star) does not compile; yield* in helpers and loops does", () => {
    // @ts-expect-error `yield` without the star: a Future is not what an async block yields
    future(function* () {
      const x = yield sleep(100);
      return x;
    });
    // @ts-expect-error the same in an async function, even when the value is unused
    asyncFn(function* (ms: number) {
      yield sleep(ms);
    });
    // @ts-expect-error a bare `yield` is just as wrong
    future(function* () {
      yield;
    });
    // A helper generator typed AsyncGenerator delegates with yield*, and keeps its result type.
    function* twice(n: number): AsyncGenerator<number> {
      yield* sleep(1);
      return (yield* ready(n)) * 2;
    }
    const f = future(function* () {
      let sum = 0;
      for (let i = 0; i < 3; i++) sum += yield* twice(i);
      yield* yieldNow();
      return sum;
    });
    expectTypeOf(f).toEqualTypeOf<Future<number>>();
  });

  it("future() infers the return type; run() gives a Promise of it", () => {
    const f = future(function* () {
      yield* yieldNow();
      return { ok: true as const };
    });
    expectTypeOf(f).toEqualTypeOf<Future<{ ok: true }>>();
    // Type-level only: a future runs once, so these are not called.
    expectTypeOf(() => run(f)).returns.toEqualTypeOf<Promise<{ ok: true }>>();
    expectTypeOf(() => new LocalExecutor().run(f)).returns.toEqualTypeOf<Promise<{ ok: true }>>();
  });

  it("asyncFn keeps the parameter types and the return type", () => {
    const add = asyncFn(function* (a: number, b: string) {
      yield* yieldNow();
      return a + b.length;
    });
    expectTypeOf(add).parameters.toEqualTypeOf<[number, string]>();
    expectTypeOf(add).returns.toEqualTypeOf<Future<number>>();
    // @ts-expect-error wrong argument type
    add("1", "2");
    // @ts-expect-error missing argument
    add(1);

    const obj = {
      base: 2,
      times: asyncFn(function* (this: { base: number }, x: number) {
        return this.base * x;
      }),
    };
    expectTypeOf(obj.times(3)).toEqualTypeOf<Future<number>>();
  });

  it("spawn gives a JoinHandle<T>; yield* handle gives T", () => {
    future(function* () {
      const h = spawn(ready(1));
      expectTypeOf(h).toEqualTypeOf<JoinHandle<number>>();
      expectTypeOf(h).toMatchTypeOf<Future<number>>();
      expectTypeOf(h.isFinished).toEqualTypeOf<boolean>();
      expectTypeOf(h.id).toEqualTypeOf<number>();
      expectTypeOf(h.abort).toEqualTypeOf<() => void>();
      const v = yield* h;
      expectTypeOf(v).toEqualTypeOf<number>();
    });
    const ex = new LocalExecutor({ manual: true });
    expectTypeOf(ex.spawn(ready("x"), { name: "n" })).toEqualTypeOf<JoinHandle<string>>();
    // @ts-expect-error spawn needs a Future
    expectTypeOf(() => spawn(Promise.resolve(1))).toBeFunction();
    // @ts-expect-error run needs a Future
    expectTypeOf(() => run(42)).toBeFunction();
  });

  it("JoinSet<T>.joinNext gives IteratorResult<T, undefined>; size is a number", () => {
    future(function* () {
      const set = new JoinSet<number>();
      set.spawn(ready(1));
      // @ts-expect-error the set holds numbers
      set.spawn(ready("s"));
      const r = yield* set.joinNext();
      expectTypeOf(r).toEqualTypeOf<IteratorResult<number, undefined>>();
      if (!r.done) expectTypeOf(r.value).toEqualTypeOf<number>();
      expectTypeOf(set.size).toEqualTypeOf<number>();
    });
  });

  it("Poll guards narrow", () => {
    const p = Poll.ready(1) as Poll<number>;
    if (Poll.isReady(p)) expectTypeOf(p).toEqualTypeOf<Ready<number>>();
    if (Poll.isReady(p)) expectTypeOf(p.value).toEqualTypeOf<number>();
    expectTypeOf(Poll.pending).toMatchTypeOf<Poll<string>>();
  });

  it("pollFn, Context and Waker fit together", () => {
    const f = pollFn((cx) => {
      expectTypeOf(cx).toEqualTypeOf<Context>();
      expectTypeOf(cx.waker).toEqualTypeOf<Waker>();
      return Poll.ready("x");
    });
    expectTypeOf(f).toEqualTypeOf<Future<string>>();
    expectTypeOf(Context.from(Waker.noop())).toEqualTypeOf<Context>();
    expectTypeOf(f.poll).parameters.toEqualTypeOf<[Context]>();
    expectTypeOf(f.poll).returns.toEqualTypeOf<Poll<string>>();
  });

  it("a hand-written Future subclass is awaitable with its declared type", () => {
    class Answer extends Future<42> {
      poll(): Poll<42> {
        return Poll.ready(42);
      }
    }
    future(function* () {
      const a = yield* new Answer();
      expectTypeOf(a).toEqualTypeOf<42>();
    });
  });

  it("the generator type of async blocks and task snapshots are exported", () => {
    expectTypeOf<AsyncGenerator<number>>().toEqualTypeOf<Generator<Awaiting, number, any>>();
    expectTypeOf<TaskInfo>().toHaveProperty("waitingOn").toEqualTypeOf<string>();
    expectTypeOf<TaskInfo["state"]>().toEqualTypeOf<"idle" | "scheduled" | "running" | "done">();
    expectTypeOf<JoinError["isCancelled"]>().toEqualTypeOf<boolean>();
  });

  it("futures and JoinSets are Disposable (usable with `using`)", () => {
    expectTypeOf(ready(1)).toMatchTypeOf<Disposable>();
    expectTypeOf(new JoinSet<number>()).toMatchTypeOf<Disposable>();
  });
});
