/**
 * The `Executor` interface, and the current executor as the runtime context names it.
 *
 * Invariants:
 * - The current executor is the one whose runtime context (core/runtime.ts) is entered: at
 *   most one at a time, the one whose poll loop is on the stack.
 * - Higher layers (time, combinators, sync) read only this interface and the context: any
 *   executor that enters a `RuntimeContext` made for itself, a user-written one included, gets
 *   `spawn`, `yieldNow`, timers, error reporting and fair `select` for free.
 * @module
 */
import type { Future } from "../core/future.js";
import { RT } from "../core/runtime.js";
import type { JoinHandle } from "./join-handle.js";

/** Options for spawning a task. */
export interface SpawnOptions {
  /**
   * A name shown in task dumps, `JoinError` messages and deadlock reports.
   * @default undefined (tasks are identified by their numeric id)
   */
  name?: string;
}

/**
 * Runs futures as tasks. {@link LocalExecutor} is the built-in one; `SimExecutor` in
 * `wakeful/testing` is another; users can write their own from the core alone.
 *
 * @example
 * ```ts
 * const ex: Executor = new LocalExecutor();
 * const value = await ex.run(future(function* () {
 *   const h = ex.spawn(work());
 *   return yield* h;
 * }));
 * ```
 */
export interface Executor {
  /**
   * Queues `fut` as a new task (it is not polled on the spot) and returns its handle.
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T>;
  /**
   * Runs `fut` as the root task and resolves with its value, or rejects with its error.
   */
  run<T>(fut: Future<T>): Promise<T>;
}

/**
 * The executor whose poll loop is running, or `undefined` outside any executor.
 *
 * @example
 * ```ts
 * const ex = currentExecutor();
 * if (ex === undefined) throw new Error("must run inside an executor");
 * ```
 */
export function currentExecutor(): Executor | undefined {
  return RT.context?.executor as Executor | undefined;
}
