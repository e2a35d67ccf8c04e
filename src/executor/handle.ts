/**
 * `Handle` (tokio's `runtime::Handle`): spawning into a running executor from outside it, from
 * a host callback such as an `http` request handler or an EventEmitter listener, where
 * `spawn()` has no current executor to find.
 *
 * Invariant: a handle only forwards to its executor's `spawn`, which queues the task and wakes
 * the executor if it is idle; an executor that was shut down refuses with a clear error.
 * @module
 */
import type { Future } from "../core/future.js";
import { currentExecutor, type Executor, type SpawnOptions } from "./executor.js";
import type { JoinHandle } from "./join-handle.js";

/**
 * Spawns tasks onto one executor from anywhere: keep it (from `executor.handle` or
 * `currentHandle()`) and call `spawn` from callbacks that run outside the executor.
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   const handle = currentHandle();
 *   server.on("request", (req, res) => {
 *     handle.spawn(serve(req, res)); // a task per request
 *   });
 *   yield* shutdown.cancelled();
 * });
 * ```
 */
export class Handle {
  readonly #executor: Executor;

  /** A handle on `executor` (executors offer theirs as `executor.handle`). */
  constructor(executor: Executor) {
    if (executor === null || typeof executor !== "object" || typeof executor.spawn !== "function") {
      throw new TypeError("new Handle(executor): expected an Executor");
    }
    this.#executor = executor;
  }

  /**
   * Spawns `fut` as a task on the handle's executor, from inside or outside it, and returns its
   * handle; the executor wakes if it was idle. On Node, the task is polled inside the caller's
   * `AsyncLocalStorage` context.
   *
   * @example
   * ```ts
   * emitter.on("job", (job) => handle.spawn(process(job), { name: `job ${job.id}` }));
   * ```
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    return this.#executor.spawn(fut, options);
  }
}

/**
 * The {@link Handle} of the executor polling the caller, to hand to callbacks that will run
 * outside it. Throws outside any executor.
 *
 * @example
 * ```ts
 * const handle = currentHandle();
 * setTimeout(() => handle.spawn(cleanup()), 1000);
 * ```
 */
export function currentHandle(): Handle {
  const executor = currentExecutor();
  if (executor === undefined) {
    throw new Error(
      "currentHandle() was called outside an executor: call it from inside a future run by " +
        "run(), or take executor.handle",
    );
  }
  return (executor as { handle?: Handle }).handle ?? new Handle(executor);
}
