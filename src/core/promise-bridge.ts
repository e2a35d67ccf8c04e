/**
 * The bridge from futures to Promises for plain async code: `await handle`, `for await` over a
 * stream. It polls a future outside any executor, with a waker that polls it again on a
 * microtask, and settles a Promise with its outcome. `run(fut)` is the other bridge: it runs
 * a future as a task, with an executor; this one only observes a future something else drives
 * (a task's join handle, a stream's next item).
 *
 * Invariants:
 * - The future is polled only from the bridge (first synchronously, then once per wake, on a
 *   microtask), never twice for one wake, never after it settled.
 * - It is polled outside any executor's runtime context, so the cooperative budget never
 *   applies and nothing it does is counted as a task's work.
 * @module
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import { Poll } from "./poll.js";
import type { Waker } from "./waker.js";

/** @internal Polls one future and settles a Promise with its outcome; see the module comment. */
export class PromiseBridge<T> implements Waker, Context {
  readonly #future: Future<T>;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #scheduled = false;
  #settled = false;
  readonly #repoll = (): void => {
    this.#scheduled = false;
    this.step();
  };

  constructor(future: Future<T>, resolve: (value: T) => void, reject: (error: unknown) => void) {
    this.#future = future;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  step(): void {
    if (this.#settled) return;
    let p: Poll<T>;
    try {
      p = this.#future.poll(this);
    } catch (error) {
      this.#settled = true;
      this.#reject(error);
      return;
    }
    if (p === Poll.pending) return;
    this.#settled = true;
    this.#resolve((p as { value: T }).value);
  }

  /** The bridge is its own context: its waker is itself (no Context object per bridge). */
  get waker(): Waker {
    return this;
  }

  wake(): void {
    if (this.#scheduled || this.#settled) return;
    this.#scheduled = true;
    queueMicrotask(this.#repoll);
  }

  willWake(other: Waker): boolean {
    return other === this;
  }
}

/**
 * @internal A Promise of `future`'s outcome, polling it as described in the module comment. The
 * caller must be the future's only poller from then on.
 */
export function observe<T>(future: Future<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    new PromiseBridge(future, resolve, reject).step();
  });
}
