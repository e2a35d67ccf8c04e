import { afterEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  CancellationToken,
  future,
  LocalExecutor,
  Poll,
  PollAfterReadyError,
  pending,
  ready,
  select,
} from "../../src/index.js";
import { listenerCount } from "../../src/sync/cancellation-token.js";
import { contextOf, countingWaker, Leaf, violations } from "../combinators/helpers.js";

afterEach(() => {
  expect(violations).toEqual([]);
  violations.length = 0;
});

describe("CancellationToken", () => {
  it("cancelled() completes once the token is cancelled, waking its task", () => {
    const token = new CancellationToken();
    const waker = countingWaker();
    const cx = contextOf(waker);
    const c = token.cancelled();
    expect(c.poll(cx)).toBe(Poll.pending);
    expect(token.isCancelled).toBe(false);
    token.cancel("bye");
    expect(waker.wakeCount).toBe(1);
    expect(token.isCancelled).toBe(true);
    expect(token.reason).toBe("bye");
    expect(c.poll(cx)).toEqual({ value: undefined });
    expect(() => c.poll(cx)).toThrow(PollAfterReadyError);
    expect(token.cancelled().poll(cx)).toEqual({ value: undefined }); // already cancelled
  });

  it("cancel is idempotent and the first reason wins", () => {
    const token = new CancellationToken();
    token.cancel("first");
    token.cancel("second");
    expect(token.reason).toBe("first");
  });

  it("children are cancelled with their parent, never the other way round", () => {
    const root = new CancellationToken();
    const a = root.child();
    const b = root.child();
    const grandchild = a.child();
    const cx = contextOf(countingWaker());
    const waiting = grandchild.cancelled();
    waiting.poll(cx);
    a.cancel("a only");
    expect(root.isCancelled).toBe(false);
    expect(b.isCancelled).toBe(false);
    expect(grandchild.isCancelled).toBe(true);
    expect(grandchild.reason).toBe("a only");
    expect(waiting.poll(cx)).toEqual({ value: undefined });
    root.cancel("all");
    expect(b.isCancelled).toBe(true);
    expect(b.reason).toBe("all");
    expect(a.reason).toBe("a only");
    expect(root.child().isCancelled).toBe(true);
  });

  it("a parent's cancel reaches the waiters of a deep descendant", () => {
    const root = new CancellationToken();
    const leaf = root.child().child().child();
    const waker = countingWaker();
    leaf.cancelled().poll(contextOf(waker));
    root.cancel();
    expect(waker.wakeCount).toBe(1);
  });

  it("children and waiters that go away do not pile up in the parent", () => {
    const root = new CancellationToken();
    const cx = contextOf(countingWaker());
    for (let i = 0; i < 1000; i++) root.child(); // never awaited: never registered
    expect(listenerCount(root)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const child = root.child();
      const c = child.cancelled();
      c.poll(cx);
      c.drop(); // the child unregisters when its last waiter goes
    }
    expect(listenerCount(root)).toBe(0);
    for (let i = 0; i < 100; i++) {
      const c = root.cancelled();
      c.poll(cx);
      c.drop();
    }
    expect(listenerCount(root)).toBe(0);
    const child = root.child();
    void child.signal;
    expect(listenerCount(root)).toBe(1);
    child[Symbol.dispose](); // disposing cancels and unregisters
    expect(child.isCancelled).toBe(true);
    expect(listenerCount(root)).toBe(0);
    expect(root.isCancelled).toBe(false);
  });

  it("signal is created lazily and aborts on cancel with the reason", () => {
    const root = new CancellationToken();
    const child = root.child();
    const signal = child.signal;
    expect(child.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    let seen: unknown;
    signal.addEventListener("abort", () => {
      seen = signal.reason;
    });
    root.cancel("shutdown");
    expect(signal.aborted).toBe(true);
    expect(seen).toBe("shutdown");
    const late = new CancellationToken();
    late.cancel("early");
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe("early");
  });

  it("fromSignal follows an AbortSignal", () => {
    const controller = new AbortController();
    const token = CancellationToken.fromSignal(controller.signal);
    const child = token.child();
    expect(token.isCancelled).toBe(false);
    controller.abort("user");
    expect(token.isCancelled).toBe(true);
    expect(child.isCancelled).toBe(true);
    expect(token.reason).toBe("user");
    expect(CancellationToken.fromSignal(AbortSignal.abort("done")).isCancelled).toBe(true);
    expect(() => CancellationToken.fromSignal({} as never)).toThrow(TypeError);
  });

  it("runUntilCancelled gives the value when the future finishes first", () => {
    const token = new CancellationToken();
    const leaf = new Leaf<number>("op");
    const fut = token.runUntilCancelled(leaf);
    const cx = contextOf(countingWaker());
    expect(fut.poll(cx)).toBe(Poll.pending);
    expect(listenerCount(token)).toBe(1);
    leaf.resolve(5);
    expect(fut.poll(cx)).toEqual({ value: 5 });
    expect(listenerCount(token)).toBe(0);
    token.cancel();
    expect(leaf.drops).toBe(0);
  });

  it("runUntilCancelled drops the future at once on cancel and throws AbortedError", () => {
    const token = new CancellationToken();
    const log: string[] = [];
    const fut = token.runUntilCancelled(
      future(function* () {
        try {
          yield* pending();
        } finally {
          log.push("cleanup");
        }
      }),
    );
    const waker = countingWaker();
    const cx = contextOf(waker);
    fut.poll(cx);
    token.cancel("stop");
    expect(log).toEqual(["cleanup"]);
    expect(waker.wakeCount).toBe(1);
    let caught: unknown;
    try {
      fut.poll(cx);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AbortedError);
    expect((caught as AbortedError).cause).toBe("stop");
  });

  it("runUntilCancelled on a cancelled token never starts the future", () => {
    const token = new CancellationToken();
    token.cancel();
    let started = false;
    const fut = token.runUntilCancelled(
      future(function* () {
        started = true;
      }),
    );
    expect(() => fut.poll(contextOf(countingWaker()))).toThrow(AbortedError);
    expect(started).toBe(false);
  });

  it("dropping runUntilCancelled drops the future and unregisters", () => {
    const token = new CancellationToken();
    const leaf = new Leaf<number>("op");
    const fut = token.runUntilCancelled(leaf);
    fut.poll(contextOf(countingWaker()));
    fut.drop();
    expect(leaf.drops).toBe(1);
    expect(listenerCount(token)).toBe(0);
    token.cancel();
    expect(leaf.drops).toBe(1);
  });

  it("a shutdown token in a select loop stops a task under an executor", () => {
    const ex = new LocalExecutor({ manual: true });
    const shutdown = new CancellationToken();
    const h = ex.spawn(
      future(function* () {
        const r = yield* select(shutdown.cancelled(), pending<number>());
        return r.index;
      }),
    );
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    shutdown.cancel();
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
  });

  it("rejects bad input eagerly", () => {
    expect(() => new CancellationToken().runUntilCancelled(1 as never)).toThrow(TypeError);
    expect(() => new CancellationToken().runUntilCancelled(ready(1))).not.toThrow();
  });
});

describe("CancellationToken chains (deep)", () => {
  const DEPTH = 100_000;

  function chain(root: CancellationToken, depth: number): CancellationToken[] {
    const tokens = [root];
    for (let i = 0; i < depth; i++) tokens.push((tokens[i] as CancellationToken).child());
    return tokens;
  }

  it("a 100,000-deep chain answers isCancelled and cancels from the root without overflowing", () => {
    const tokens = chain(new CancellationToken(), DEPTH);
    const leaf = tokens[DEPTH] as CancellationToken;
    expect(leaf.isCancelled).toBe(false);
    (tokens[0] as CancellationToken).cancel("root");
    expect(leaf.isCancelled).toBe(true);
    expect(leaf.reason).toBe("root");
    expect((tokens[DEPTH >> 1] as CancellationToken).reason).toBe("root");
  });

  it("a waiter at the bottom of a 100,000-deep chain registers, is cancelled and unregisters", () => {
    const tokens = chain(new CancellationToken(), DEPTH);
    const root = tokens[0] as CancellationToken;
    const leaf = tokens[DEPTH] as CancellationToken;
    const waker = countingWaker();
    const cx = contextOf(waker);
    // Registering makes every ancestor interested; dropping the waiter unregisters them all.
    const c = leaf.cancelled();
    expect(c.poll(cx)).toBe(Poll.pending);
    expect(listenerCount(root)).toBe(1);
    c.drop();
    expect(listenerCount(root)).toBe(0);
    // A waiter and a signal at the bottom, then the root is cancelled: the cancel walks down.
    const w = leaf.cancelled();
    expect(w.poll(cx)).toBe(Poll.pending);
    const signal = leaf.signal;
    root.cancel("stop");
    expect(waker.wakeCount).toBe(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("stop");
    expect(w.poll(cx)).toEqual({ value: undefined });
    expect(listenerCount(root)).toBe(0);
  });

  it("disposing a 100,000-deep chain's leaf, then its root, detaches and cancels everything", () => {
    const tokens = chain(new CancellationToken(), DEPTH);
    const root = tokens[0] as CancellationToken;
    const leaf = tokens[DEPTH] as CancellationToken;
    const waker = countingWaker();
    const c = leaf.child().cancelled();
    c.poll(contextOf(waker));
    leaf[Symbol.dispose]();
    expect(waker.wakeCount).toBe(1);
    expect(listenerCount(root)).toBe(0);
    expect((tokens[DEPTH - 1] as CancellationToken).isCancelled).toBe(false);
    const signal = (tokens[DEPTH - 1] as CancellationToken).signal;
    root[Symbol.dispose]();
    expect(signal.aborted).toBe(true);
    expect(listenerCount(root)).toBe(0);
  });

  it("disposing every token of a 10,000-deep chain from the bottom up detaches each one", () => {
    const depth = 10_000;
    const tokens = chain(new CancellationToken(), depth);
    const root = tokens[0] as CancellationToken;
    const cx = contextOf(countingWaker());
    const leaf = tokens[depth] as CancellationToken;
    leaf.cancelled().poll(cx);
    void (tokens[1] as CancellationToken).signal;
    for (let i = depth; i >= 1; i--) (tokens[i] as CancellationToken)[Symbol.dispose]();
    expect(listenerCount(root)).toBe(0);
    expect(root.isCancelled).toBe(false);
    expect(leaf.isCancelled).toBe(true);
  });

  it("children of a cancelled middle token are cancelled, the parent side is left alone", () => {
    const tokens = chain(new CancellationToken(), DEPTH);
    const middle = tokens[DEPTH >> 1] as CancellationToken;
    const leaf = tokens[DEPTH] as CancellationToken;
    const waker = countingWaker();
    leaf.cancelled().poll(contextOf(waker));
    middle.cancel("middle");
    expect(waker.wakeCount).toBe(1);
    expect(leaf.reason).toBe("middle");
    expect((tokens[0] as CancellationToken).isCancelled).toBe(false);
    expect(listenerCount(tokens[0] as CancellationToken)).toBe(0);
    expect(leaf.child().isCancelled).toBe(true);
  });

  it("notifies a tree in depth-first order: a child's waiters before its own signal", () => {
    const root = new CancellationToken();
    const a = root.child();
    const b = root.child();
    const a1 = a.child();
    const order: string[] = [];
    const watch = (name: string, token: CancellationToken) => {
      const c = token.cancelled();
      c.poll(contextOf({ wake: () => order.push(`${name} waiter`), willWake: () => false }));
      token.signal.addEventListener("abort", () => order.push(`${name} signal`));
    };
    watch("a", a);
    watch("a1", a1);
    watch("b", b);
    watch("root", root);
    root.cancel();
    expect(order).toEqual([
      "a waiter",
      "a1 waiter",
      "a1 signal",
      "a signal",
      "b waiter",
      "b signal",
      "root waiter",
      "root signal",
    ]);
  });
});

describe("CancellationToken read during its own cancel", () => {
  it("a signal listener that reads a not-yet-notified descendant wakes its waiters once", () => {
    const root = new CancellationToken();
    const a = root.child();
    const b = root.child();
    const b1 = b.child();
    const b2 = b1.child();
    const waker = countingWaker();
    b2.cancelled().poll(contextOf(waker));
    const seen: boolean[] = [];
    a.signal.addEventListener("abort", () => seen.push(b2.isCancelled, b.isCancelled));
    root.cancel("now");
    expect(seen).toEqual([true, true]);
    expect(waker.wakeCount).toBe(1);
    expect(b2.reason).toBe("now");
    expect(listenerCount(root)).toBe(0);
    expect(listenerCount(b)).toBe(0);
  });
});
