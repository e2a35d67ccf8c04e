/**
 * `YieldOnce`: the future behind `yieldNow()`. Pending once (after waking its waker), then ready.
 *
 * Invariants:
 * - The first poll wakes `cx.waker` and returns Pending; the second returns Ready(undefined);
 *   a third throws `PollAfterReadyError`.
 * - An async block suspended on a `YieldOnce` need not keep it: once it has returned Pending,
 *   its next poll is Ready whatever happens meanwhile. So a block awaiting a fresh one calls
 *   `release()` instead of `poll(cx)`, which marks the future finished (so a stray poll still
 *   throws); the block wakes the waker as the first poll would and holds `RESUME`, a shared,
 *   stateless future that is Ready on every poll, instead. A million tasks parked
 *   on `yieldNow()` then keep no per-task future alive, the per-call one dies young, and the
 *   block makes no call through its (in a real program megamorphic) `poll` call sites.
 * @module
 */
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future } from "./future.js";
import { Poll, READY_VOID } from "./poll.js";

/** Stands in for a released `YieldOnce`; only ever polled once per release. */
class Resume extends Future<void> {
  poll(_cx: Context): Poll<void> {
    return READY_VOID;
  }
  override describe(): string {
    return "yieldNow";
  }
}

/** @internal The stand-in an async block holds for a released `YieldOnce`. */
export const RESUME: Future<void> = /* @__PURE__ */ new Resume();

/** @internal */
export class YieldOnce extends Future<void> {
  #polls = 0;

  poll(cx: Context): Poll<void> {
    const polls = this.#polls++;
    if (polls === 0) {
      cx.waker.wake();
      return Poll.pending;
    }
    if (polls === 1) return READY_VOID;
    throw new PollAfterReadyError("yieldNow() future");
  }

  /**
   * What an async block awaiting this future does instead of polling it: true for a fresh
   * future, which it marks finished (so a stray poll still throws); the block then wakes its
   * waker, as the first poll would, and holds the shared stand-in `RESUME` in its place (see the
   * module invariants). False for one already polled: the block polls it as usual.
   */
  release(): boolean {
    if (this.#polls !== 0) return false;
    this.#polls = 2;
    return true;
  }

  override describe(): string {
    return "yieldNow";
  }
}
