/**
 * `schedules(fc)`: a fast-check arbitrary of schedules that shrinks towards the simplest failing
 * interleaving.
 *
 * A generated schedule is a list of deviations from FIFO (see schedule.ts): `[step, choice]`
 * pairs with distinct steps. fast-check shrinks it by removing pairs (fewer deviations from
 * FIFO) and by lowering steps and choices (earlier switch points, nearer alternatives), so the
 * counterexample it reports is a short list such as `"w1d:3.0"`.
 *
 * Invariant: this module never loads fast-check (an optional peer dependency). The caller, who
 * imports fast-check anyway for `fc.assert`, hands the module over; only types come from it, so
 * importing `wakeful/testing` neither loads nor bundles fast-check.
 * @module
 */
import type { Arbitrary } from "fast-check";
import { Schedule } from "./schedule.js";

function whole(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `schedules(fc, options): ${name} must be a whole number >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== "object" && typeof value !== "function") return typeof value;
  return "an object without fast-check's uniqueArray, tuple and nat";
}

/** Options of {@link schedules}. */
export interface SchedulesOptions {
  /**
   * Deviations target the decisions `0 … steps - 1` of a run (a run's `sim.decisions` says how
   * many it makes; deviations past the end have no effect).
   * @default 64
   */
  steps?: number;
  /**
   * The most deviations from FIFO in one schedule.
   * @default 8
   */
  maxDeviations?: number;
}

/**
 * A fast-check arbitrary of {@link Schedule}s for `SimExecutor`'s `schedule` option. Each is FIFO
 * with a few deviations; fast-check shrinks a failing one to the fewest, earliest deviations,
 * and prints it as a string to paste into `SimExecutor.replay`.
 *
 * `fc` is the fast-check module (`import fc from "fast-check"` or `import * as fc`), an optional
 * peer dependency that only this function needs: `wakeful/testing` never loads it by itself.
 * Anything else is a TypeError that says how to get it.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 *
 * await fc.assert(
 *   fc.asyncProperty(schedules(fc), async (schedule) => {
 *     const sim = new SimExecutor({ schedule });
 *     expect(await sim.run(incrementTwice())).toBe(2);
 *   }),
 *   { seed: 42, numRuns: 200 },
 * ); // Counterexample: ["w1d:2.0"] → SimExecutor.replay("w1d:2.0")
 * ```
 */
export function schedules(
  fc: Pick<typeof import("fast-check"), "uniqueArray" | "tuple" | "nat">,
  options: SchedulesOptions = {},
): Arbitrary<Schedule> {
  if (
    fc === null ||
    (typeof fc !== "object" && typeof fc !== "function") ||
    typeof fc.uniqueArray !== "function" ||
    typeof fc.tuple !== "function" ||
    typeof fc.nat !== "function"
  ) {
    throw new TypeError(
      `schedules(fc, options): fc must be the fast-check module, got ${describeValue(fc)}. ` +
        'Pass it: import fc from "fast-check"; schedules(fc). fast-check is an optional peer ' +
        "dependency of wakeful/testing: install it with npm install --save-dev fast-check.",
    );
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError("schedules(fc, options): expected an options object");
  }
  const steps = whole(options.steps, "steps", 1, 64);
  const maxDeviations = whole(options.maxDeviations, "maxDeviations", 0, 8);
  return fc
    .uniqueArray(fc.tuple(fc.nat({ max: steps - 1 }), fc.nat({ max: 7 })), {
      maxLength: maxDeviations,
      selector: (entry) => entry[0],
    })
    .map((entries) => Schedule.fromDeviations(entries));
}
