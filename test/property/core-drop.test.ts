/**
 * Property: a dropped future's `finally` blocks run exactly once, innermost first, at any
 * nesting depth of async blocks and whenever the drop happens (by hand, by abort, or at
 * executor shutdown); the awaited leaf is dropped before any `finally` and never polled after
 * its drop or after Ready; errors thrown by `finally` blocks are reported, one per block.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import type { AsyncGenerator } from "../../src/core/block-body.js";
import type { Context } from "../../src/core/context.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { countingWaker } from "../../src/testing/wakers.js";
import { captureUnhandled } from "../core/helpers.js";

/** Pending (waking itself) for `k` polls, then ready with 1. */
class Leaf extends Future<number> {
  polls = 0;
  dropped = false;
  finished = false;
  violations: string[] = [];
  constructor(
    readonly k: number,
    readonly log: string[],
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.dropped) this.violations.push("polled after drop");
    if (this.finished) this.violations.push("polled after Ready");
    if (this.polls++ < this.k) {
      cx.waker.wake();
      return Poll.pending;
    }
    this.finished = true;
    return Poll.ready(1);
  }
  override drop(): void {
    if (this.dropped) this.violations.push("dropped twice");
    this.dropped = true;
    this.log.push("leaf dropped");
  }
}

interface Shape {
  finallies: number[]; // per level, how many nested try/finally blocks
  throwing: boolean[]; // per level, whether its outermost finally throws
  k: number; // leaf pending polls
  dropAfter: number; // polls before the drop
  mode: "direct" | "abort" | "shutdown";
}

const shapeArb: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 5 }).chain((depth) =>
  fc.record({
    finallies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: depth, maxLength: depth }),
    throwing: fc.array(
      fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      { minLength: depth, maxLength: depth },
    ),
    k: fc.nat(4),
    dropAfter: fc.nat(7),
    mode: fc.constantFrom("direct" as const, "abort" as const, "shutdown" as const),
  }),
);

function build(shape: Shape, log: string[], leaf: Leaf): Future<number> {
  const depth = shape.finallies.length;
  function* withFinally(i: number, k: number): AsyncGenerator<number> {
    try {
      if (k > 0) return yield* withFinally(i, k - 1);
      return i === depth - 1 ? yield* leaf : yield* level(i + 1);
    } finally {
      log.push(`L${i}F${k}`);
      // biome-ignore lint/correctness/noUnsafeFinally: testing throwing finally blocks
      if (shape.throwing[i] && k === (shape.finallies[i] ?? 1) - 1) throw new Error(`L${i}`);
    }
  }
  function level(i: number): Future<number> {
    return future(function* () {
      return yield* withFinally(i, (shape.finallies[i] ?? 1) - 1);
    });
  }
  return level(0);
}

function expectedFinallies(shape: Shape): string[] {
  const out: string[] = [];
  for (let i = shape.finallies.length - 1; i >= 0; i--) {
    for (let k = 0; k < (shape.finallies[i] ?? 0); k++) out.push(`L${i}F${k}`);
  }
  return out;
}

describe("dropping nested async blocks", () => {
  it("runs every finally exactly once, innermost first, whenever the drop happens", () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const log: string[] = [];
        const leaf = new Leaf(shape.k, log);
        const fut = build(shape, log, leaf);
        const totalPolls = shape.k + 1;
        const polls = Math.min(shape.dropAfter, totalPolls);
        const completed = shape.dropAfter >= totalPolls;
        let reported: unknown[];
        let outcome: { value?: number; error?: unknown } | undefined;

        if (shape.mode === "direct") {
          const sink = captureUnhandled();
          try {
            for (let p = 0; p < polls; p++) {
              const waker = countingWaker();
              try {
                const r = fut.poll(waker.context);
                if (Poll.isReady(r)) outcome = { value: r.value };
                else expect(waker.wakeCount).toBe(1); // the leaf woke the latest waker
              } catch (error) {
                outcome = { error };
              }
            }
            fut.drop();
            fut.drop();
            expect(() => fut.poll(countingWaker().context)).toThrow(PollAfterReadyError);
          } finally {
            sink.restore();
          }
          reported = sink.errors;
        } else {
          const errors: unknown[] = [];
          const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => errors.push(e) });
          const h = ex.spawn(fut);
          for (let p = 0; p < polls; p++) expect(ex.tryRunOne()).toBe(true);
          expect(h.isFinished).toBe(completed);
          if (shape.mode === "abort") {
            h.abort();
            ex.runUntilStalled();
          } else {
            ex.shutdown();
          }
          expect(h.isFinished).toBe(true);
          expect(ex.tasks()).toEqual([]);
          reported = errors;
        }

        const throwingLevels = shape.throwing
          .map((t, i) => (t ? i : -1))
          .filter((i) => i >= 0)
          .sort((a, b) => b - a);
        expect(leaf.violations).toEqual([]);
        if (polls === 0) {
          // never started: no body ran, nothing to clean up
          expect(log).toEqual([]);
          expect(reported).toEqual([]);
        } else if (completed) {
          // finished normally before the drop: finally blocks ran once, during the run
          expect(log).toEqual(expectedFinallies(shape));
          expect(leaf.dropped).toBe(false);
          if (shape.mode === "direct") {
            if (throwingLevels.length === 0) expect(outcome).toEqual({ value: 1 });
            else
              expect((outcome as { error: Error }).error.message).toBe(
                `L${Math.min(...throwingLevels)}`,
              );
          }
        } else {
          expect(log).toEqual(["leaf dropped", ...expectedFinallies(shape)]);
          expect(reported.map((e) => (e as Error).message)).toEqual(
            throwingLevels.map((i) => `L${i}`),
          );
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
