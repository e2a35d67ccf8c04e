/**
 * `faultPoint(name, probability)`: FoundationDB's `BUGGIFY` for wakeful. Production code asks
 * "should this operation fail here?"; the answer is always `false`, except under `SimExecutor`,
 * where it is a seeded decision recorded in the schedule like any scheduling choice.
 *
 * Invariants:
 * - Outside a simulation: `false`, for the cost of reading the runtime context (and one more
 *   field under an executor without a random source); the arguments are not even checked.
 * - Inside one: a decision with option 0 = no fault, drawn by the strategy with the given
 *   probability (`"random"`, `"pct"`), never under `"fifo"`, and read from the schedule on
 *   replay; under `schedules(fc)` a fault fires only where a deviation asks for it, so
 *   fast-check shrinks unneeded faults away. Probability 0 never fires and 1 always fires;
 *   neither is a decision.
 * @module
 */
import { currentSimulation } from "./registry.js";

/**
 * A place where the simulation may inject a fault: returns `true` when the caller should
 * behave as if the operation failed here (throw, drop the reply, time out…).
 *
 * Outside a `SimExecutor` it returns `false`, at the cost of one read of the runtime context,
 * so it can stay in production code; only code that imports it pulls it (and nothing else of
 * `wakeful/testing`) into a bundle. Under `SimExecutor` it fires with `probability` (a seeded,
 * recorded decision that replays exactly), and the names of the fault points that fired are in
 * `sim.faults`. Under `schedules(fc)` faults fire where fast-check's deviations say, so a
 * failing property shrinks to the one fault that matters.
 *
 * `name` names the fault in reports (a non-empty string); `probability` is in [0, 1]. Bad
 * arguments throw a TypeError/RangeError under the simulation (outside one they are not read).
 *
 * @example
 * ```ts
 * import { faultPoint } from "wakeful/testing";
 *
 * const charge = asyncFn(function* (order: Order) {
 *   const receipt = yield* fromPromise(() => payments.charge(order));
 *   if (faultPoint("payments.reply-lost", 0.05)) throw new Error("connection reset");
 *   return receipt;
 * });
 * ```
 */
export function faultPoint(name: string, probability: number): boolean {
  const sim = currentSimulation();
  return sim === undefined ? false : sim.fault(name, probability);
}
