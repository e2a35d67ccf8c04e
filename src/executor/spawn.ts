/**
 * The free functions that act on the current executor: `spawn` and `run`.
 * @module
 */
import { assertFuture, type Future } from "../core/future.js";
import { currentExecutor, type SpawnOptions } from "./executor.js";
import type { JoinHandle } from "./join-handle.js";
import { closeAfterRun, LocalExecutor, type LocalExecutorOptions } from "./local-executor.js";

/**
 * Spawns `fut` as a task on the executor that is polling the caller, and returns its handle.
 * The task is queued, not polled on the spot. Outside any executor it throws; so does an async
 * block that a task already runs (await that task's `JoinHandle` instead).
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   const logger = spawn(flushLogs()); // fire and forget: dropping the handle detaches it
 *   const answer = spawn(compute());
 *   return yield* answer;
 * });
 * ```
 */
export function spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
  assertFuture(fut, "spawn(fut)");
  const executor = currentExecutor();
  if (executor === undefined) {
    throw new Error(
      "spawn() was called outside an executor: call it from inside a future run by run(), " +
        "or spawn through currentHandle() taken inside one",
    );
  }
  return executor.spawn(fut, options);
}

/**
 * Runs `fut` to completion on a fresh {@link LocalExecutor} (the analogue of `#[tokio::main]`
 * and `block_on`) and resolves with its value, or rejects with its error. Tasks it spawned and
 * left running are dropped when it finishes, and their cleanup runs. If the host is about to
 * exit while the root is still pending (Node's `beforeExit`: nothing is left that could wake
 * it), every task is dropped and it rejects with a `DeadlockError` naming them and what each
 * waits on.
 *
 * @example
 * ```ts
 * const user = await run(fetchUser(7));
 * ```
 */
export function run<T>(fut: Future<T>, options?: LocalExecutorOptions): Promise<T> {
  assertFuture(fut, "run(fut)");
  return closeAfterRun(new LocalExecutor(options)).run(fut);
}
