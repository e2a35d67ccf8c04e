/**
 * `JoinHandle`: the future a spawned task's owner awaits.
 *
 * Semantics every implementation keeps (tokio's `JoinHandle`):
 * - `yield* handle` gives the task's value, or throws `JoinError` (`isPanic` with the task's
 *   error as `cause`, or `isCancelled` when the task was aborted or dropped at shutdown).
 * - Dropping the handle detaches the task: it keeps running, and an error it later throws goes
 *   to the executor's `onUnhandledError`.
 * - `abort()` drops the task's future at the next opportunity; idempotent; no-op once finished.
 * @module
 */
import { InlineFuture } from "../core/future.js";
import type { Poll } from "../core/poll.js";

/**
 * The handle to a spawned task: a Future of the task's value.
 *
 * Cancel safety: dropping a handle never stops the task (it detaches it); to stop the task,
 * call {@link JoinHandle.abort}. Awaiting a handle in `select` and losing loses nothing: the
 * task keeps running and can be awaited through another handle-owning path only if you kept it.
 *
 * Cooperative scheduling: awaiting a handle whose task has already finished spends one unit of
 * the awaiting task's per-poll budget (128 units, as in tokio); when none is left the await
 * suspends the task once, so a loop over many finished handles still lets other tasks run.
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   const handle = spawn(compute(21));
 *   return yield* handle; // 42
 * });
 * ```
 */
export abstract class JoinHandle<T> extends InlineFuture<T> {
  /**
   * The task's id, unique within its executor.
   *
   * @example
   * ```ts
   * console.log(`spawned task #${handle.id}`);
   * ```
   */
  abstract get id(): number;

  /**
   * True once the task has finished: with a value, an error, or by cancellation.
   *
   * @example
   * ```ts
   * if (!handle.isFinished) handle.abort();
   * ```
   */
  abstract get isFinished(): boolean;

  /**
   * Asks the executor to drop the task's future at the next opportunity; awaiting the handle
   * then throws a `JoinError` with `isCancelled`. Does nothing once the task has finished.
   *
   * @example
   * ```ts
   * const h = spawn(server.serve());
   * h.abort(); // the server's finally blocks run
   * ```
   */
  abstract abort(): void;

  /**
   * The `yield*` fast path (see `InlineFuture`): executors whose handles can hand over a
   * finished task's outcome without a poll override this; by default there is none.
   *
   * @example
   * ```ts
   * override pollNow(): Poll<T> | undefined {
   *   return this.task.done ? this.poll(noopCx) : undefined;
   * }
   * ```
   */
  pollNow(): Poll<T> | undefined {
    return undefined;
  }
}
