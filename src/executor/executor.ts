/**
 * The `Executor` interface and the *current executor* slot.
 *
 * Invariants:
 * - At most one executor is current at a time: the one whose `poll` loop is on the stack.
 *   An executor makes itself current with `enterExecutor` before it polls or drops tasks and
 *   restores the previous one with `exitExecutor` afterwards (in a `finally`), so nesting works.
 * - While an executor is current, its `reportUnhandled` sink is the core's unhandled sink.
 * - Higher layers (time, combinators, sync) read only this interface: any executor that enters
 *   itself here, including a user-written one, gets `spawn`, `yieldNow`, timers and fair
 *   `select` for free.
 * @module
 */
import type { Future } from "../core/future.js";
import { swapUnhandledSink, type UnhandledSink } from "../core/unhandled.js";
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
  /**
   * A random number in [0, 1), used by fair combinators such as `select`. Simulation executors
   * draw it from their seed; when absent, `Math.random` is used.
   */
  random?(): number;
}

let current: Executor | undefined;

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
  return current;
}

/** What {@link enterExecutor} replaced, to hand back to {@link exitExecutor}. */
export interface ExecutorScope {
  /** The executor that was current before. */
  readonly executor: Executor | undefined;
  /** The unhandled-error sink that was active before. */
  readonly sink: UnhandledSink;
}

/**
 * Makes `executor` current (and `onUnhandled` the sink for errors nobody can receive) until the
 * matching {@link exitExecutor}. Call it around every batch of polls or drops.
 *
 * @example
 * ```ts
 * const scope = enterExecutor(this, (e) => this.report(e));
 * try { while (queue.length) queue.shift().poll(); } finally { exitExecutor(scope); }
 * ```
 */
export function enterExecutor(executor: Executor, onUnhandled?: UnhandledSink): ExecutorScope {
  const scope: ExecutorScope = { executor: current, sink: swapUnhandledSink(onUnhandled) };
  current = executor;
  return scope;
}

/**
 * Restores what {@link enterExecutor} replaced.
 *
 * @example
 * ```ts
 * const scope = enterExecutor(this);
 * try { pollAll(); } finally { exitExecutor(scope); }
 * ```
 */
export function exitExecutor(scope: ExecutorScope): void {
  current = scope.executor;
  swapUnhandledSink(scope.sink);
}

/**
 * Runs `fn` with `executor` current: the convenient form of {@link enterExecutor} /
 * {@link exitExecutor}.
 *
 * @example
 * ```ts
 * withExecutor(myExecutor, () => task.poll());
 * ```
 */
export function withExecutor<R>(executor: Executor, fn: () => R, onUnhandled?: UnhandledSink): R {
  const scope = enterExecutor(executor, onUnhandled);
  try {
    return fn();
  } finally {
    exitExecutor(scope);
  }
}
