/**
 * The context a future is polled with. It carries the waker of the task being polled.
 *
 * Invariant: a context is only meaningful during the `poll` call it was passed to. A future
 * that needs to be woken later keeps `cx.waker`, never `cx` itself (executors may reuse one
 * context object across polls).
 * @module
 */
import type { Waker } from "./waker.js";

/**
 * What `Future#poll` receives: the waker to wake when the future can make progress.
 *
 * @example
 * ```ts
 * const cx = Context.from(Waker.noop());
 * const p = fut.poll(cx);
 * ```
 */
export class Context {
  /** The waker of the task being polled. */
  readonly waker: Waker;

  constructor(waker: Waker) {
    this.waker = waker;
  }

  /**
   * Builds a context around `waker`.
   *
   * @example
   * ```ts
   * const cx = Context.from(Waker.from({ wake: () => scheduled.push(task) }));
   * ```
   */
  static from(waker: Waker): Context {
    if (waker === null || typeof waker !== "object" || typeof waker.wake !== "function") {
      throw new TypeError("Context.from(waker): expected a Waker");
    }
    return new Context(waker);
  }
}
