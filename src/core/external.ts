/**
 * Outside work: operations whose completion comes from outside the executor (a promise, a
 * worker thread). Leaf futures announce them so that an executor can tell "waiting for the
 * outside world" from "deadlocked": the simulation executor waits for the former and reports
 * the latter.
 *
 * Invariants:
 * - A leaf calls `beginExternal()` when it starts waiting on the outside and calls the
 *   returned `end` exactly once when that wait ends (settled or dropped); `end` is idempotent.
 * - The tracker is the current executor's (its runtime context's `external`, runtime.ts),
 *   captured at `beginExternal()` time, so an `end` that runs later, outside any
 *   executor (in a promise callback), still reaches the executor that started the work.
 * @module
 */

import { RT } from "./runtime.js";

export type { ExternalTracker } from "./runtime.js";

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
  const t = RT.context?.external;
  if (t === undefined) return NOTHING;
  t.begin();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    t.end();
  };
}
