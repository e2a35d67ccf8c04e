/**
 * How a simulated run ends for the caller of `run`: the root's value, or the errors, in a fixed
 * order of precedence.
 *
 * Invariant: nothing is swallowed. A simulation failure (deadlock, livelock, divergence) wins
 * and carries the unhandled errors in its `unhandled` list; otherwise the root's error and the
 * unhandled errors are thrown as one error, or as an `AggregateError` when there are several.
 * @module
 */

import type { UnhandledErrorHandler } from "../executor/local-executor.js";
import type { TaskInfo } from "../executor/task-info.js";

/**
 * @internal Errors nobody can receive during a simulated run: handed to `onUnhandledError`
 * when it is set (an error it throws is kept), else kept for `run` to reject with.
 */
export class UnhandledErrors {
  readonly #handler: UnhandledErrorHandler | undefined;
  #kept: unknown[] = [];

  constructor(handler: UnhandledErrorHandler | undefined) {
    this.#handler = handler;
  }

  report(error: unknown, task: TaskInfo | undefined): void {
    const handler = this.#handler;
    if (handler === undefined) {
      this.#kept.push(error);
      return;
    }
    try {
      handler(error, task);
    } catch (handlerError) {
      this.#kept.push(handlerError);
    }
  }

  /** The errors kept so far (and forgets them). */
  take(): unknown[] {
    const kept = this.#kept;
    this.#kept = [];
    return kept;
  }
}

/**
 * @internal Returns the root's value (read with `takeRoot`, which throws the root's own error)
 * or throws what the run must reject with.
 */
export function outcome<T>(takeRoot: () => T, failure: Error | undefined, unhandled: unknown[]): T {
  if (failure !== undefined) {
    (failure as { unhandled?: unknown[] }).unhandled?.push(...unhandled);
    throw failure;
  }
  const errors: unknown[] = [];
  let value: T | undefined;
  try {
    value = takeRoot();
  } catch (error) {
    errors.push(error);
  }
  errors.push(...unhandled);
  if (errors.length === 0) return value as T;
  if (errors.length === 1) throw errors[0];
  throw new AggregateError(
    errors,
    errors.length > unhandled.length
      ? `SimExecutor: the root failed, and ${unhandled.length} more error(s) nobody handled`
      : `SimExecutor: ${unhandled.length} errors nobody handled`,
  );
}
