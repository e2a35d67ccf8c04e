/**
 * `JoinError`: how a task's handle reports that the task did not produce a value.
 * @module
 */
import { describe } from "../core/errors.js";

/**
 * Why a task did not produce a value: it was cancelled (aborted, or dropped when its executor
 * shut down), or its future threw (a "panic", kept as `cause`).
 *
 * @example
 * ```ts
 * try { yield* handle; } catch (e) {
 *   if (e instanceof JoinError && e.isCancelled) console.log("task was aborted");
 * }
 * ```
 */
export class JoinError extends Error {
  /** Always `"JoinError"`. */
  override readonly name = "JoinError";
  readonly #cancelled: boolean;

  /** Prefer {@link JoinError.cancelled} and {@link JoinError.panic}. */
  constructor(cancelled: boolean, cause: unknown, task?: string) {
    const who = task === undefined ? "task" : `task ${task}`;
    super(cancelled ? `${who} was cancelled` : `${who} failed: ${describe(cause)}`, { cause });
    this.#cancelled = cancelled;
  }

  /** The task was aborted or dropped before it finished. */
  get isCancelled(): boolean {
    return this.#cancelled;
  }

  /** The task's future threw; the thrown value is `cause`. */
  get isPanic(): boolean {
    return !this.#cancelled;
  }

  /**
   * A cancellation error.
   *
   * @example
   * ```ts
   * throw JoinError.cancelled("worker-1");
   * ```
   */
  static cancelled(task?: string): JoinError {
    return new JoinError(true, undefined, task);
  }

  /**
   * A failure error wrapping what the task threw.
   *
   * @example
   * ```ts
   * throw JoinError.panic(new Error("boom"), "worker-1");
   * ```
   */
  static panic(cause: unknown, task?: string): JoinError {
    return new JoinError(false, cause, task);
  }
}
