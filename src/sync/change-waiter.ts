/**
 * `ChangeWaiter`: the shape shared by futures that wait for a shared value to change (a
 * broadcast receive, a watch `changed()`): they check the state on every poll and, if there is
 * nothing for them yet, park in the state's waiter queue until the sender wakes them all.
 *
 * Invariants:
 * - Parked means linked in `waiters`, holding the latest waker; a spurious wake just leads to
 *   another check and, if still nothing, the waiter stays parked.
 * - `finish()` (done, failed or dropped) unlinks the waiter and forgets the waker; a finished
 *   waiter throws `PollAfterReadyError` if polled again. Dropping it loses nothing: the value
 *   it waited for stays in the shared state.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import type { IntrusiveList, Linked } from "../core/intrusive-list.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";

/** @internal */
export abstract class ChangeWaiter<T> extends Future<T> implements Linked {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  readonly #waiters: IntrusiveList<ChangeWaiter<unknown>>;
  #waker: Waker | undefined = undefined;
  #done = false;

  constructor(waiters: IntrusiveList<ChangeWaiter<unknown>>) {
    super();
    this.#waiters = waiters;
  }

  /** Ready when there is something for this waiter now; `undefined` to keep waiting. */
  protected abstract check(): Poll<T> | undefined;

  /** True when `check()` would not return `undefined` (it has news or an error); no effect. */
  protected abstract hasNews(): boolean;

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError(`${this.describe()} future`);
    // Out of budget: wait one turn, leaving what is there for the next poll.
    if (this.hasNews() && !proceed(cx)) return Poll.pending;
    let p: Poll<T> | undefined;
    try {
      p = this.check();
    } catch (error) {
      this.finish();
      throw error;
    }
    if (p !== undefined) {
      this.finish();
      return p;
    }
    this.#waker = registerWaker(this.#waker, cx);
    if (!this.#waiters.contains(this as ChangeWaiter<unknown>)) {
      this.#waiters.push(this as ChangeWaiter<unknown>);
    }
    return Poll.pending;
  }

  private finish(): void {
    this.#done = true;
    this.#waker = undefined;
    this.#waiters.remove(this as ChangeWaiter<unknown>);
  }

  /** Called by the sender when the shared value changed. */
  wake(): void {
    this.#waker?.wake();
  }

  override drop(): void {
    this.finish();
  }
}
