/**
 * Outside work: operations whose completion comes from outside the executor (a promise, a
 * worker thread). Leaf futures announce them so that an executor can tell "waiting for the
 * outside world" from "deadlocked": the simulation executor waits for the former and reports
 * the latter.
 *
 * Invariants:
 * - A leaf calls `beginExternal()` when it starts waiting on the outside and calls the
 *   returned `end` exactly once when that wait ends (settled or dropped); `end` is idempotent.
 * - The tracker is captured at `beginExternal()` time, so an `end` that runs later, outside any
 *   executor (in a promise callback), still reaches the executor that started the work.
 * @module
 */

/** Counts outside work for an executor. */
export interface ExternalTracker {
  /** One more outside operation is under way. */
  begin(): void;
  /** One outside operation ended. */
  end(): void;
}

let tracker: ExternalTracker | undefined;

const NOTHING = (): void => {};

/**
 * Announces outside work to the current tracker; call the returned function once when it ends.
 *
 * @example
 * ```ts
 * const end = beginExternal();
 * promise.then(() => { end(); waker.wake(); });
 * ```
 */
export function beginExternal(): () => void {
  const t = tracker;
  if (t === undefined) return NOTHING;
  t.begin();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    t.end();
  };
}

/**
 * Makes `next` the current tracker and returns the previous one (executors swap it in while
 * they poll, and restore it after).
 *
 * @example
 * ```ts
 * const prev = swapExternalTracker(this.tracker);
 * try { pollTasks(); } finally { swapExternalTracker(prev); }
 * ```
 */
export function swapExternalTracker(
  next: ExternalTracker | undefined,
): ExternalTracker | undefined {
  const prev = tracker;
  tracker = next;
  return prev;
}
