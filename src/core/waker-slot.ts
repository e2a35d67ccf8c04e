/**
 * The waker slot: how a pending future keeps the waker of the task that polls it
 * (futures-core's `AtomicWaker`, without the atomics a single thread does not need).
 *
 * A slot is a plain `Waker | undefined` field of the future or of the state it waits on, not an
 * object of its own, so a parked future pays no extra allocation for it.
 *
 * Invariants:
 * - After `slot = registerWaker(slot, cx)`, waking the slot wakes the task of the latest poll:
 *   a future moved to another task (a `JoinHandle` awaited elsewhere, a branch re-polled by a
 *   different combinator) never wakes the old one.
 * - The stored waker is replaced only when it would not wake the same task (`willWake`), so a
 *   future polled again and again by one task keeps one waker and writes nothing.
 * @module
 */

import type { Context } from "./context.js";
import type { Waker } from "./waker.js";

/**
 * Returns the waker a pending future should keep in its slot: `held` when it already wakes the
 * task polling now, else that task's waker. Call it on every poll that returns pending.
 *
 * @example
 * ```ts
 * class Flag extends Future<void> {
 *   #set = false;
 *   #waker: Waker | undefined;
 *   set(): void {
 *     this.#set = true;
 *     this.#waker?.wake();
 *   }
 *   poll(cx: Context): Poll<void> {
 *     if (this.#set) return Poll.ready(undefined);
 *     this.#waker = registerWaker(this.#waker, cx);
 *     return Poll.pending;
 *   }
 * }
 * ```
 */
export function registerWaker(held: Waker | undefined, cx: Context): Waker {
  const waker = cx.waker;
  return held?.willWake(waker) ? held : waker;
}
