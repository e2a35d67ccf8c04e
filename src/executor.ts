/**
 * `wakeful/executor`: what people writing their own executor (or a leaf future that talks to
 * the outside world) need, and nobody else does. `LocalExecutor` and `SimExecutor` are built
 * from exactly these parts.
 *
 * - {@link RuntimeContext}, {@link enterExecutor}, {@link exitExecutor}: what an executor
 *   provides to the futures it polls (itself for `spawn`, error reporting, outside-work
 *   counting, its clock and random source), entered around every batch of polls.
 * - {@link OwnedTasks}: the tasks an executor owns (ids, live list, running one, unobserved
 *   failures, shutdown), so an executor only keeps a ready queue and picks what runs next.
 * - {@link beginTaskBudget} / {@link endTaskBudget}: the cooperative budget around a task poll,
 *   for executors that poll futures of their own rather than through `OwnedTasks`.
 * - {@link beginExternal}: for leaf futures waiting on the outside world.
 * - {@link TimerDriver} / {@link timerDriver}: the timers of the current executor.
 * - {@link InlineFuture}: the `yield*` fast path for leaf futures that often complete at once.
 * - {@link registerWaker}: the waker slot every pending leaf future keeps.
 *
 * @example An executor built on OwnedTasks, stepped by hand:
 * ```ts
 * import type { Executor, Future, JoinHandle } from "wakeful";
 * import { enterExecutor, exitExecutor, OwnedTasks, RuntimeContext, type ScheduledTask } from "wakeful/executor";
 *
 * class StepExecutor implements Executor {
 *   readonly #ready: ScheduledTask[] = [];
 *   readonly #tasks = new OwnedTasks({
 *     schedule: (task) => this.#ready.push(task),
 *     unhandled: (error) => console.error(error),
 *   });
 *   readonly #runtime = new RuntimeContext(this, { onUnhandled: this.#tasks.report });
 *
 *   spawn<T>(fut: Future<T>): JoinHandle<T> {
 *     return this.#tasks.spawn(fut);
 *   }
 *   step(): number {
 *     let polls = 0;
 *     const previous = enterExecutor(this.#runtime);
 *     try {
 *       for (let t = this.#ready.shift(); t !== undefined; t = this.#ready.shift(), polls++) {
 *         this.#tasks.run(t);
 *       }
 *     } finally {
 *       exitExecutor(previous);
 *     }
 *     return polls;
 *   }
 *   async run<T>(fut: Future<T>): Promise<T> {
 *     const root = this.#tasks.spawnRoot(fut);
 *     while (!root.isFinished) if (this.step() === 0) await new Promise((r) => setTimeout(r, 1));
 *     return this.#tasks.takeOutcome(root);
 *   }
 * }
 * ```
 * @module wakeful/executor
 */
export { beginTaskBudget, endTaskBudget, TASK_BUDGET } from "./core/coop.js";
export { beginExternal } from "./core/external.js";
export { InlineFuture } from "./core/future.js";
export {
  currentRuntime,
  type ExternalTracker,
  enterExecutor,
  exitExecutor,
  RuntimeContext,
  type RuntimeOptions,
  type UnhandledSink,
  withExecutor,
} from "./core/runtime.js";
export { registerWaker } from "./core/waker-slot.js";
export { currentExecutor } from "./executor/executor.js";
export { OwnedTasks, type ScheduledTask, type TaskHooks } from "./executor/owned-tasks.js";
export { TimerDriver, type TimerEntry, timerDriver } from "./time/timer-driver.js";
