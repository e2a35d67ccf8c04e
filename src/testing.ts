/**
 * `wakeful/testing`: prove that concurrent code has no ordering bugs.
 *
 * - {@link SimExecutor}: a deterministic executor whose scheduling decisions come from a seeded
 *   strategy (`"random"`, `"pct"`, `"fifo"`) or a schedule, on virtual time, with deadlock and
 *   livelock detection; every run records a schedule that replays exactly.
 * - {@link schedules}: a fast-check arbitrary of schedules that shrinks to the simplest failing
 *   interleaving. It takes the fast-check module as its argument: fast-check is an optional
 *   peer dependency, and `wakeful/testing` never loads it by itself.
 * - Helpers in the spirit of tokio-test and futures-test: {@link countingWaker},
 *   {@link noopContext}, {@link mockTask}, {@link pendingOnce}, {@link assertReady},
 *   {@link assertPending}.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { SimExecutor, schedules } from "wakeful/testing";
 *
 * await fc.assert(
 *   fc.asyncProperty(schedules(fc), async (schedule) => {
 *     const sim = new SimExecutor({ schedule });
 *     if ((await sim.run(program())) !== 2) throw new Error(`lost update`);
 *   }),
 * );
 * ```
 * @module wakeful/testing
 */
export { DeadlockError } from "./executor/deadlock.js";
export { LivelockError, ScheduleDivergenceError } from "./testing/errors.js";
export {
  type ExploreFailure,
  type ExploreOptions,
  type ExploreResult,
  explore,
} from "./testing/explore.js";
export { faultPoint } from "./testing/fault-point.js";
export { History, type Operation } from "./testing/history.js";
export type { LinearizabilityModel, OperationView } from "./testing/linear-model.js";
export { checkLinearizable, type LinearizabilityResult } from "./testing/linearizability.js";
export {
  command,
  LinearizabilityError,
  type LinearizabilityPropertyOptions,
  linearizabilityProperty,
  type OperationCommand,
} from "./testing/linearizability-property.js";
export { MockTask, mockTask } from "./testing/mock-task.js";
export { pendingOnce } from "./testing/pending-once.js";
export { assertPending, assertReady } from "./testing/poll-asserts.js";
export { Schedule } from "./testing/schedule.js";
export { type SchedulesOptions, schedules } from "./testing/schedules-arbitrary.js";
export { Shared, shared } from "./testing/shared.js";
export { SimExecutor } from "./testing/sim-executor.js";
export type { SimExecutorOptions } from "./testing/sim-options.js";
export { type ChromeTrace, SimTrace, type TraceEvent } from "./testing/trace.js";
export { CountingWaker, countingWaker, noopContext } from "./testing/wakers.js";
