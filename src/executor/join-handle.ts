/**
 * `JoinHandle`: the future a spawned task's owner awaits.
 *
 * Semantics every implementation keeps (tokio's `JoinHandle`):
 * - `yield* handle` gives the task's value, or throws `JoinError` (`isPanic` with the task's
 *   error as `cause`, or `isCancelled` when the task was aborted or dropped at shutdown).
 * - Dropping the handle detaches the task: it keeps running, and an error it later throws goes
 *   to the executor's `onUnhandledError`.
 * - `abort()` drops the task's future at the next opportunity; idempotent; no-op once finished.
 * - It is also PromiseLike (`await handle` from plain async code): the first `then` starts one
 *   observation of the outcome (core/promise-bridge.ts), which every later `then` shares.
 * @module
 */
import { InlineFuture } from "../core/future.js";
import type { Poll } from "../core/poll.js";
import { observe } from "../core/promise-bridge.js";

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
export abstract class JoinHandle<T> extends InlineFuture<T> implements PromiseLike<T> {
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

  /**
   * Lets plain async code `await` the task: resolves with its value, or rejects with its
   * `JoinError`. Awaiting observes the outcome, as `yield*` does (a failure is then not
   * reported as unhandled); it neither detaches nor aborts the task. Await a handle from one
   * place only: its outcome is delivered once.
   *
   * Cancel safety: a Promise cannot be cancelled; stopping to wait for it leaves the task
   * running. To stop the task, call {@link JoinHandle.abort}.
   *
   * @example
   * ```ts
   * const handle = ex.handle.spawn(fetchReport(id));
   * const report = await handle; // from an http handler, outside any executor
   * ```
   */
  // biome-ignore lint/suspicious/noThenProperty: a JoinHandle is deliberately PromiseLike.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    let promise = PROMISES.get(this);
    if (promise === undefined) {
      promise = observe(this);
      PROMISES.set(this, promise);
    }
    return (promise as Promise<T>).then(onFulfilled, onRejected);
  }
}

/** The Promise behind each awaited handle, so every `then` shares one observation. */
const PROMISES = new WeakMap<JoinHandle<unknown>, Promise<unknown>>();
