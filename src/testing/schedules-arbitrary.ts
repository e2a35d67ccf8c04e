/**
 * `schedules()`: a fast-check arbitrary of schedules that shrinks towards the simplest failing
 * interleaving.
 *
 * A generated schedule is a list of deviations from FIFO (see schedule.ts): `[step, choice]`
 * pairs with distinct steps. fast-check shrinks it by removing pairs (fewer deviations from
 * FIFO) and by lowering steps and choices (earlier switch points, nearer alternatives), so the
 * counterexample it reports is a short list such as `"w1d:3.0"`.
 *
 * fast-check is an optional peer dependency: this module starts loading it (a dynamic import
 * that tolerates its absence) when `wakeful/testing` is imported; `schedules()` uses it once
 * loaded, or the module passed as `{ fc }`, and otherwise throws an error that says what to do.
 * @module
 */
import type { Arbitrary } from "fast-check";
import { Schedule } from "./schedule.js";

/** The parts of the fast-check module that `schedules()` uses (its default export works too). */
export type FastCheckModule = Pick<typeof import("fast-check"), "uniqueArray" | "tuple" | "nat">;

let loaded: FastCheckModule | undefined;
let loadFailure: unknown;
let settled = false;

import("fast-check").then(
  (m) => {
    const mod = m as FastCheckModule & { default?: FastCheckModule };
    loaded = typeof mod.uniqueArray === "function" ? mod : mod.default;
    settled = true;
  },
  (error: unknown) => {
    loadFailure = error;
    settled = true;
  },
);

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
  /**
   * The fast-check module to build the arbitrary with. Needed only when `schedules()` is called
   * before `wakeful/testing` has finished loading fast-check (at the top level of a module,
   * before any `await`).
   * @default the fast-check that `wakeful/testing` loads
   */
  fc?: FastCheckModule;
}

function whole(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `schedules(options): ${name} must be a whole number >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

function fastCheck(given: FastCheckModule | undefined): FastCheckModule {
  if (given !== undefined) {
    if (given === null || typeof given.uniqueArray !== "function") {
      throw new TypeError(
        'schedules(options): options.fc must be the fast-check module (import * as fc from "fast-check")',
      );
    }
    return given;
  }
  if (loaded !== undefined) return loaded;
  if (settled) {
    throw new Error(
      "schedules() needs fast-check, an optional peer dependency of wakeful/testing, and it " +
        `could not be loaded (${String((loadFailure as Error)?.message ?? loadFailure)}). ` +
        "Install it (npm install --save-dev fast-check) or pass it: schedules({ fc }).",
    );
  }
  throw new Error(
    "schedules(): wakeful/testing is still loading fast-check (an optional peer dependency, " +
      "imported lazily). Call schedules() inside a test or after an await, or pass the module: " +
      'import * as fc from "fast-check"; schedules({ fc }).',
  );
}

/**
 * A fast-check arbitrary of {@link Schedule}s for `SimExecutor`'s `schedule` option. Each is FIFO
 * with a few deviations; fast-check shrinks a failing one to the fewest, earliest deviations,
 * and prints it as a string to paste into `SimExecutor.replay`.
 *
 * Needs fast-check (an optional peer dependency); throws a clear error without it.
 *
 * @example
 * ```ts
 * await fc.assert(
 *   fc.asyncProperty(schedules(), async (schedule) => {
 *     const sim = new SimExecutor({ schedule });
 *     expect(await sim.run(incrementTwice())).toBe(2);
 *   }),
 *   { seed: 42, numRuns: 200 },
 * ); // Counterexample: ["w1d:2.0"] → SimExecutor.replay("w1d:2.0")
 * ```
 */
export function schedules(options: SchedulesOptions = {}): Arbitrary<Schedule> {
  if (options === null || typeof options !== "object") {
    throw new TypeError("schedules(options): expected an options object");
  }
  const steps = whole(options.steps, "steps", 1, 64);
  const maxDeviations = whole(options.maxDeviations, "maxDeviations", 0, 8);
  const fc = fastCheck(options.fc);
  return fc
    .uniqueArray(fc.tuple(fc.nat({ max: steps - 1 }), fc.nat({ max: 7 })), {
      maxLength: maxDeviations,
      selector: (entry) => entry[0],
    })
    .map((entries) => Schedule.fromDeviations(entries));
}
