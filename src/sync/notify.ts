/**
 * `Notify`: wake one task or all waiting tasks, with tokio's semantics.
 *
 * State: `#permit` (at most one stored notification), `#waiters` (FIFO of `notified()`
 * futures that have been polled) and `#generation` (how many `notifyWaiters()` calls so far).
 *
 * Invariants:
 * - `notifyOne()` wakes the waiter at the front, or stores the permit when nobody waits; the
 *   permit is never more than one.
 * - A `notified()` future counts as waiting for `notifyWaiters()` from the moment it is
 *   created (it captures `#generation`), but for `notifyOne()` only once it has been polled.
 * - A future woken by `notifyOne()` and dropped before it completed passes the notification
 *   on (to the next waiter, or back into the permit): no `notifyOne()` is ever lost.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { IntrusiveList, type Linked } from "../core/intrusive-list.js";
import { Poll, READY_VOID } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";

const NEW = 0;
const WAITING = 1;
const WOKEN_ONE = 2;
const WOKEN_ALL = 3;
const DONE = 4;

/** A Notify's state, shared with its `notified()` futures; never reachable from user code. */
class NotifyState {
  permit = false;
  generation = 0;
  readonly waiters = new IntrusiveList<Notified>();

  notifyOne(): void {
    const w = this.waiters.shift();
    if (w === undefined) this.permit = true;
    else w.wakeWith(WOKEN_ONE);
  }
}

/**
 * Notifies tasks: a building block for condition variables, events and custom primitives.
 *
 * @example
 * ```ts
 * const ready = new Notify();
 * spawn(future(function* () { yield* ready.notified(); console.log("go"); }));
 * ready.notifyOne(); // wakes the waiter, or is stored for the next notified()
 * ```
 */
export class Notify {
  readonly #state = new NotifyState();

  /**
   * A future that completes when this `Notify` is notified. A stored permit (from a
   * `notifyOne()` nobody was waiting for) completes it on its first poll.
   *
   * Cancel safety: safe. Dropped while waiting, it only loses its place in line. If it had
   * already been picked by `notifyOne()`, the notification is passed to the next waiter (or
   * stored as the permit), so it is never lost. A `notifyWaiters()` notification is not
   * stored: it reaches only the futures that existed when it was called.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * while (!queue.length) yield* changed.notified();
   * ```
   */
  notified(): Future<void> {
    return new Notified(this.#state, this.#state.generation);
  }

  /**
   * Wakes the longest-waiting `notified()` future; with nobody waiting, stores one permit
   * that the next `notified()` consumes at once (several calls still store only one).
   *
   * @example
   * ```ts
   * queue.push(job);
   * changed.notifyOne();
   * ```
   */
  notifyOne(): void {
    this.#state.notifyOne();
  }

  /**
   * Wakes every `notified()` future created before this call, whether or not it has been
   * polled yet. Stores no permit.
   *
   * @example
   * ```ts
   * config = next;
   * reloaded.notifyWaiters();
   * ```
   */
  notifyWaiters(): void {
    const state = this.#state;
    state.generation++;
    for (let w = state.waiters.shift(); w !== undefined; w = state.waiters.shift()) {
      w.wakeWith(WOKEN_ALL);
    }
  }
}

class Notified extends Future<void> implements Linked {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  #state = NEW;
  readonly #notify: NotifyState;
  readonly #generation: number;
  #waker: Waker | undefined = undefined;

  constructor(notify: NotifyState, generation: number) {
    super();
    this.#notify = notify;
    this.#generation = generation;
  }

  poll(cx: Context): Poll<void> {
    switch (this.#state) {
      case NEW: {
        const n = this.#notify;
        if (n.generation !== this.#generation || n.permit) {
          // Out of budget: wait one turn; the permit stays stored, the generation noted.
          if (!proceed(cx)) return Poll.pending;
          if (n.generation === this.#generation) n.permit = false;
          this.#state = DONE;
          return READY_VOID;
        }
        this.#waker = cx.waker;
        this.#state = WAITING;
        n.waiters.push(this);
        return Poll.pending;
      }
      case WAITING:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case WOKEN_ONE:
      case WOKEN_ALL:
        if (!proceed(cx)) return Poll.pending;
        this.#state = DONE;
        return READY_VOID;
      default:
        throw new PollAfterReadyError("Notify.notified() future");
    }
  }

  wakeWith(state: number): void {
    this.#state = state;
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    const state = this.#state;
    this.#state = DONE;
    this.#waker = undefined;
    if (state === WAITING) this.#notify.waiters.remove(this);
    else if (state === WOKEN_ONE) this.#notify.notifyOne();
  }

  override describe(): string {
    return "Notify.notified()";
  }
}
