/**
 * `YieldOnce`: the future behind `yieldNow()`. Pending once (after waking its waker), then ready.
 *
 * Invariants:
 * - The first poll wakes `cx.waker` and returns Pending; the second returns Ready(undefined);
 *   a third throws `PollAfterReadyError`.
 * - An async block suspended on a `YieldOnce` need not keep it: once it has returned Pending,
 *   its next poll is Ready whatever happens meanwhile. `release()` marks it finished (so a
 *   stray poll still throws) and hands back `RESUME`, a shared, stateless future that is Ready
 *   on every poll, for the block to hold instead. A million tasks parked on `yieldNow()` then
 *   keep no per-task future alive, and the per-call one dies young.
 * @module
 */
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future } from "./future.js";
import { Poll } from "./poll.js";

const READY_UNDEFINED: Poll<void> = Object.freeze({ value: undefined });

/** Stands in for a released `YieldOnce`; only ever polled once per release. */
class Resume extends Future<void> {
  poll(_cx: Context): Poll<void> {
    return READY_UNDEFINED;
  }
  override describe(): string {
    return "yieldNow";
  }
}

const RESUME: Future<void> = new Resume();

/** @internal */
export class YieldOnce extends Future<void> {
  #polls = 0;

  poll(cx: Context): Poll<void> {
    const polls = this.#polls++;
    if (polls === 0) {
      cx.waker.wake();
      return Poll.pending;
    }
    if (polls === 1) return READY_UNDEFINED;
    throw new PollAfterReadyError("yieldNow() future");
  }

  /**
   * Called by an async block that got Pending from this future's first poll: marks it finished
   * and returns the shared future to hold in its place (see the module invariants).
   */
  release(): Future<void> {
    this.#polls = 2;
    return RESUME;
  }

  override describe(): string {
    return "yieldNow";
  }
}
