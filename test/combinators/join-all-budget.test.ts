/**
 * A burst of children falling due at once costs O(N) polls: once the task's cooperative budget
 * is spent, joinAll leaves the rest of its woken children for the next poll instead of polling
 * each of them only to hear Pending (regression: 1e5 sleeps firing together took O(N²) polls,
 * 13x slower than setTimeout promises).
 */
import { describe, expect, it } from "vitest";
import { joinAll } from "../../src/combinators/join-all.js";
import { future } from "../../src/core/async-block.js";
import type { Context } from "../../src/core/context.js";
import { Future } from "../../src/core/future.js";
import type { Poll } from "../../src/core/poll.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { sleep } from "../../src/time/sleep.js";

/** Counts the polls of the future it wraps. */
class Counted<T> extends Future<T> {
  static polls = 0;
  constructor(readonly inner: Future<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    Counted.polls++;
    return this.inner.poll(cx);
  }
  override drop(): void {
    this.inner.drop();
  }
}

describe("joinAll under the cooperative budget", () => {
  it.each([1000, 4000])("polls %i timers that fire together O(N) times in total", async (n) => {
    Counted.polls = 0;
    const sim = new SimExecutor({ seed: 7 });
    const out = await sim.run(
      future(function* () {
        const all = Array.from({ length: n }, () => new Counted(sleep(10)));
        yield* joinAll(all);
        return all.length;
      }),
    );
    expect(out).toBe(n);
    // One poll to register each timer, one to complete it after it fired, and at most one
    // more for the children whose completion waited for a fresh budget.
    expect(Counted.polls).toBeLessThanOrEqual(3 * n);
  });
});
