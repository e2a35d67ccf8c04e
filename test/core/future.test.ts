import { describe, expect, it } from "vitest";
import type { AsyncGenerator } from "../../src/core/block-body.js";
import type { Context } from "../../src/core/context.js";
import { assertFuture, Future, isFuture, typeName } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { ready } from "../../src/core/poll-fn.js";
import { noopCx } from "./helpers.js";

class Countdown extends Future<string> {
  drops = 0;
  constructor(private n: number) {
    super();
  }
  poll(cx: Context): Poll<string> {
    if (this.n-- > 0) {
      cx.waker.wake();
      return Poll.pending;
    }
    return Poll.ready("liftoff");
  }
  override drop(): void {
    this.drops++;
  }
}

describe("Future", () => {
  it("a subclass implementing poll works when polled by hand", () => {
    const f = new Countdown(2);
    expect(f.poll(noopCx)).toBe(Poll.pending);
    expect(f.poll(noopCx)).toBe(Poll.pending);
    expect(f.poll(noopCx)).toEqual({ value: "liftoff" });
  });

  it("the default drop() does nothing and does not throw", () => {
    class Plain extends Future<number> {
      poll(): Poll<number> {
        return Poll.ready(1);
      }
    }
    expect(() => new Plain().drop()).not.toThrow();
  });

  it("describe() defaults to the class name", () => {
    expect(new Countdown(0).describe()).toBe("Countdown");
  });

  it("[Symbol.dispose] drops the future", () => {
    const f = new Countdown(1);
    f[Symbol.dispose]();
    expect(f.drops).toBe(1);
  });

  it("`using` drops the future at the end of the scope", () => {
    const f = new Countdown(1);
    {
      using g = f;
      expect(g.drops).toBe(0);
    }
    expect(f.drops).toBe(1);
  });

  describe("[Symbol.iterator] (the protocol behind yield*)", () => {
    // Note: never deep-compare futures with toEqual: equality helpers iterate iterables.
    it("yields the future itself once, then returns the value it is resumed with", () => {
      const f = ready(5);
      const it = f[Symbol.iterator]();
      const first = it.next();
      expect(first.done).toBe(false);
      expect(first.value).toBe(f);
      const second = it.next(42);
      expect(second.done).toBe(true);
      expect(second.value).toBe(42);
    });

    it("throw(e) rethrows e, so the error surfaces at the yield* site", () => {
      const it = ready(1)[Symbol.iterator]();
      it.next();
      const e = new Error("x");
      expect(() => it.throw?.(e)).toThrow(e);
    });

    it("a plain generator delegating with yield* sees the future yielded, and gets the resume value", () => {
      const f = ready("v");
      function* body(): AsyncGenerator<string> {
        const x = yield* f;
        return `got ${x}`;
      }
      const g = body();
      const first = g.next();
      expect(first.done).toBe(false);
      expect(first.value).toBe(f);
      const last = g.next("resumed");
      expect(last.done).toBe(true);
      expect(last.value).toBe("got resumed");
    });

    it("consecutive awaits in one generator each yield their own future", () => {
      const a = ready(1);
      const b = ready(2);
      function* body(): AsyncGenerator<number> {
        const x = yield* a;
        const y = yield* b;
        return x * 10 + y;
      }
      const g = body();
      expect(g.next().value).toBe(a);
      expect(g.next(3).value).toBe(b);
      const r = g.next(4);
      expect(r.done).toBe(true);
      expect(r.value).toBe(34);
    });

    it("throwing into a generator suspended at yield* raises the error at that point", () => {
      const f = ready(1);
      const e = new Error("boom");
      function* body(): AsyncGenerator<string> {
        try {
          yield* f;
          return "no";
        } catch (err) {
          return err === e ? "caught" : "other";
        }
      }
      const g = body();
      g.next();
      expect(g.throw(e).value).toBe("caught");
    });

    it("return() on a generator suspended at yield* runs its finally blocks", () => {
      const log: string[] = [];
      function* body(): AsyncGenerator<void> {
        try {
          yield* ready(1);
        } finally {
          log.push("finally");
        }
      }
      const g = body();
      g.next();
      expect(g.return(undefined).done).toBe(true);
      expect(log).toEqual(["finally"]);
    });
  });
});

describe("isFuture / assertFuture / typeName", () => {
  it("isFuture is true only for Future instances", () => {
    expect(isFuture(ready(1))).toBe(true);
    expect(isFuture({ poll() {} })).toBe(false);
    expect(isFuture(Promise.resolve(1))).toBe(false);
    expect(isFuture(null)).toBe(false);
  });

  it("assertFuture throws a TypeError naming the argument and what it got", () => {
    expect(() => assertFuture(ready(1), "f(x)")).not.toThrow();
    expect(() => assertFuture(42, "spawn(fut)")).toThrow(
      new TypeError("spawn(fut): expected a Future, got number"),
    );
    expect(() => assertFuture(Promise.resolve(), "run(fut)")).toThrow(/wrap it with fromPromise/);
  });

  it("typeName is readable for every kind of value", () => {
    expect(typeName(null)).toBe("null");
    expect(typeName(undefined)).toBe("undefined");
    expect(typeName("s")).toBe("string");
    expect(typeName(function named() {})).toBe("function named");
    expect(typeName(() => {})).toMatch(/^function /);
    expect(typeName(new Map())).toBe("Map");
    expect(typeName(Object.create(null))).toBe("object");
  });

  it("typeName names the values passed by mistake for a Future, and says what to do", () => {
    function* gen() {
      yield 1;
    }
    async function* agen() {}
    async function load() {}
    // The issue: run(gen()) said "expected a Future, got " with an empty name.
    expect(typeName(gen())).toMatch(/^a generator object .*future\(fn\)/);
    expect(typeName(gen)).toMatch(/^generator function gen .*future\(fn\) or asyncFn\(fn\)/);
    expect(typeName(agen())).toBe("an async generator object");
    expect(typeName(agen)).toBe("async generator function agen");
    expect(typeName(load)).toMatch(/^async function load .*fromPromise/);
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
    expect(typeName({ then() {} })).toBe("a thenable (wrap it with fromPromise)");
    expect(typeName(new (class {})())).toBe("object");
    expect(typeName(Symbol("s"))).toBe("symbol");
    expect(typeName([])).toBe("Array");
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no");
        },
      },
    );
    expect(typeName(hostile)).toBe("object");
    expect(() => assertFuture(gen(), "run(fut)")).toThrow(
      /^run\(fut\): expected a Future, got a generator object/,
    );
  });
});
