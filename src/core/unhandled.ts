/**
 * Where errors go that nobody can receive: an error raised while dropping a future (drop never
 * throws into its caller) and a failed task whose handle nobody awaits.
 *
 * Invariant: the sink is the current executor's (its runtime context's `report`, runtime.ts);
 * outside any executor the error is raised in the host as an unhandled Promise rejection, so it
 * is never swallowed.
 * @module
 */
import { hostReport, RT } from "./runtime.js";

export type { UnhandledSink } from "./runtime.js";

/**
 * Reports `error` to the current executor's `onUnhandledError`, or to the host outside any
 * executor. For `drop()` implementations, which must never throw into their caller.
 *
 * @example
 * ```ts
 * drop(): void {
 *   try { this.resource.close(); } catch (e) { reportUnhandled(e); }
 * }
 * ```
 */
export function reportUnhandled(error: unknown): void {
  const context = RT.context;
  if (context === undefined) hostReport(error);
  else context.report(error);
}

/**
 * @internal Drops `owned` (a future or a stream), sending an error its `drop()` throws to
 * {@link reportUnhandled} instead of the caller: how every owner discards what it holds.
 */
export function dropQuietly(owned: { drop(): void }): void {
  try {
    owned.drop();
  } catch (error) {
    reportUnhandled(error);
  }
}
