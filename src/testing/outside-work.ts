/**
 * Outside work as the simulation executor sees it: a count of operations under way outside it
 * (announced through `beginExternal`), and a way to wait for their next wake-up.
 *
 * Invariants:
 * - `count` is the number of `begin()`s not yet matched by an `end()`.
 * - At most one wait is pending; `signal()` (an outside wake, or the end of outside work)
 *   resolves it. A one-turn wait also resolves after one macrotask of the host, and a stale
 *   macrotask never resolves a later wait (generation check).
 * - A wait with no turn limit watches for the host's exit, where the host gives notice of it
 *   (executor/host.ts; Node does): the host exits only when nothing can finish the outside work
 *   any more (a promise nobody will ever settle, a `then()` that never calls back), so the wait
 *   then ends with `hostExiting` set, and the simulation reports a deadlock instead of the
 *   process exiting silently.
 * @module
 */
import type { ExternalTracker } from "../core/external.js";
import { type HostExit, hostExit } from "../executor/host.js";

type Macrotask = (f: () => void) => void;

const macrotask: Macrotask = (() => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (f) => void setImmediate(f);
  }
  return (f) => void setTimeout(f, 0);
})();

/** @internal */
export class OutsideWork implements ExternalTracker {
  count = 0;
  /** Set when a wait ended because the host is about to exit. */
  hostExiting = false;
  #waiter: (() => void) | undefined = undefined;
  #generation = 0;
  /** The exit notice the pending wait watches through, if any. */
  #exit: HostExit | undefined = undefined;
  readonly #onHostExit = (): void => {
    this.hostExiting = true;
    this.signal();
  };

  begin(): void {
    this.count++;
  }

  end(): void {
    this.count--;
    this.signal();
  }

  /** Resolves on the next `signal()`, or after one host turn when `oneTurn` is set. */
  wait(oneTurn: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiter = resolve;
      if (oneTurn) {
        const generation = ++this.#generation;
        macrotask(() => {
          if (generation === this.#generation) this.signal();
        });
      } else {
        this.#exit = hostExit();
        this.#exit?.watch(this.#onHostExit);
      }
    });
  }

  /** Resolves after one whole turn of the host event loop (its microtasks all ran). */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => macrotask(resolve));
  }

  /** Ends the pending wait, if any. */
  signal(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    this.#exit?.unwatch(this.#onHostExit);
    this.#exit = undefined;
    this.#generation++;
    waiter();
  }
}
