/**
 * Where errors go that nobody can receive: an error raised while dropping a future (drop never
 * throws into its caller) and a failed task whose handle nobody awaits.
 *
 * Invariant: exactly one sink is active at a time. Executors install theirs while they poll or
 * drop (see `withUnhandledSink`); outside any executor the error is raised in the host as an
 * unhandled Promise rejection, so it is never swallowed.
 * @module
 */

/** Receives errors that have no awaiting caller. */
export type UnhandledSink = (error: unknown) => void;

function hostReport(error: unknown): void {
  // An unhandled rejection: Node's default reports it loudly (and exits); browsers log it.
  void Promise.reject(error);
}

let sink: UnhandledSink = hostReport;

/**
 * Reports `error` to the active sink: the current executor's `onUnhandledError`, or the host.
 *
 * @example
 * ```ts
 * drop(): void {
 *   try { this.resource.close(); } catch (e) { reportUnhandled(e); }
 * }
 * ```
 */
export function reportUnhandled(error: unknown): void {
  sink(error);
}

/**
 * Makes `next` the active sink and returns the previous one, for executors to restore when
 * they stop polling.
 *
 * @example
 * ```ts
 * const prev = swapUnhandledSink((e) => console.error(e));
 * try { task.poll(); } finally { swapUnhandledSink(prev); }
 * ```
 */
export function swapUnhandledSink(next: UnhandledSink | undefined): UnhandledSink {
  const prev = sink;
  sink = next ?? hostReport;
  return prev;
}
