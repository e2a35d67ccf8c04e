/**
 * Linearizability as a fast-check property: `fc.commands` generates the operations, a few
 * client tasks run them concurrently under `SimExecutor` on a schedule from `schedules(fc)`,
 * and `checkLinearizable` checks the history. fast-check shrinks both the commands and the
 * schedule, so a failure ends as few operations, in the simplest interleaving, that break it.
 *
 * Invariant: like `schedules(fc)`, this module never loads fast-check; the caller hands over
 * the module, and only its types are imported here.
 * @module
 */
import type { Arbitrary, AsyncCommand, IAsyncPropertyWithHooks } from "fast-check";
import { future } from "../core/async-block.js";
import { assertFuture, type Future } from "../core/future.js";
import { spawn } from "../executor/spawn.js";
import { History } from "./history.js";
import type { LinearizabilityModel } from "./linear-model.js";
import { checkLinearizable, type LinearizabilityResult } from "./linearizability.js";
import type { Schedule } from "./schedule.js";
import { type SchedulesOptions, schedules } from "./schedules-arbitrary.js";
import { SimExecutor } from "./sim-executor.js";

/**
 * One operation on the system under test, as `fc.commands` handles it: made by
 * {@link command}.
 *
 * @example
 * ```ts
 * const put: OperationCommand<Store> = command("put", ["a", 1], (store) => store.put("a", 1));
 * ```
 */
export interface OperationCommand<Sys> {
  /** The operation's name in the history. */
  readonly name: string;
  /** Its input in the history. */
  readonly input: unknown;
  /** fast-check's precondition: always true (operations are not filtered by a model). */
  check(model: object): boolean;
  /** The future that performs the operation on `system`. */
  run(model: object, system: Sys): Future<unknown>;
  /** How fast-check prints it: `name(input…)`. */
  toString(): string;
}

/**
 * An operation for {@link linearizabilityProperty}: `run(system)` returns the future that
 * performs it; `name` and `input` are what the history records and the model's `step` sees.
 *
 * @example
 * ```ts
 * const commands = [
 *   fc.nat(9).map((v) => command("put", ["a", v], (store: Store) => store.put("a", v))),
 *   fc.constant(command("get", ["a"], (store: Store) => store.get("a"))),
 * ];
 * ```
 */
export function command<Sys>(
  name: string,
  input: unknown,
  run: (system: Sys) => Future<unknown>,
): OperationCommand<Sys> {
  if (typeof name !== "string" || name === "") {
    throw new TypeError("command(name, input, run): name must be a non-empty string");
  }
  if (typeof run !== "function") {
    throw new TypeError("command(name, input, run): run must be a function (system) => Future");
  }
  const shown = Array.isArray(input)
    ? input.map((a) => JSON.stringify(a) ?? String(a)).join(", ")
    : (JSON.stringify(input) ?? String(input));
  return {
    name,
    input,
    check: () => true,
    run: (_model, system) => {
      const fut = run(system);
      assertFuture(fut, `command(${JSON.stringify(name)}): run(system)`);
      return fut;
    },
    toString: () => `${name}(${shown})`,
  };
}

/**
 * A history that is not linearizable: what {@link linearizabilityProperty} throws. The
 * message names the operation no order explains and the smallest failing window.
 *
 * @example
 * ```ts
 * if (!result.ok) throw new LinearizabilityError(result, sim.schedule);
 * ```
 */
export class LinearizabilityError extends Error {
  /** The checker's report. */
  readonly result: LinearizabilityResult;
  /** The schedule of the simulated run: `SimExecutor.replay(schedule)` repeats it. */
  readonly schedule: string;

  constructor(result: LinearizabilityResult, schedule: string) {
    super(`${result.message}\nschedule: ${JSON.stringify(schedule)}`);
    this.name = "LinearizabilityError";
    this.result = result;
    this.schedule = schedule;
  }
}

/** Options of {@link linearizabilityProperty}. */
export interface LinearizabilityPropertyOptions<Sys, S> {
  /** Arbitraries of operations (made with {@link command}), handed to `fc.commands`. */
  readonly commands: readonly Arbitrary<OperationCommand<Sys>>[];
  /** Makes a fresh system under test for each run (it may mock its dependencies with `sim.external`). */
  readonly setup: (sim: SimExecutor) => Sys;
  /** The sequential specification. */
  readonly model: LinearizabilityModel<S>;
  /**
   * How many client tasks run the operations (round robin, each client in order).
   * @default 3
   */
  readonly clients?: number;
  /**
   * The most operations in one run.
   * @default 12
   */
  readonly maxCommands?: number;
  /** Options of the `schedules(fc)` arbitrary. */
  readonly schedules?: SchedulesOptions;
}

/**
 * A fast-check property: `fc.commands(options.commands)` generates operations, `clients`
 * tasks run them concurrently on a fresh `setup(sim)` under `SimExecutor` with a schedule from
 * `schedules(fc)`, and the recorded history must be linearizable with respect to
 * `options.model` (it throws a {@link LinearizabilityError} otherwise). `fc` is the fast-check
 * module, which `wakeful/testing` never loads by itself.
 *
 * @example
 * ```ts
 * await fc.assert(
 *   linearizabilityProperty(fc, {
 *     commands: [putA, getA],
 *     setup: () => new CacheAsideStore(),
 *     model: kvModel,
 *   }),
 *   { seed: 1, numRuns: 100 },
 * );
 * ```
 */
export function linearizabilityProperty<Sys, S>(
  fc: Pick<
    typeof import("fast-check"),
    "asyncProperty" | "commands" | "uniqueArray" | "tuple" | "nat"
  >,
  options: LinearizabilityPropertyOptions<Sys, S>,
): IAsyncPropertyWithHooks<[Iterable<AsyncCommand<object, Sys>>, Schedule]> {
  if (fc === null || typeof fc !== "object" || typeof fc.commands !== "function") {
    throw new TypeError(
      'linearizabilityProperty(fc, options): fc must be the fast-check module (import fc from "fast-check")',
    );
  }
  if (options === null || typeof options !== "object" || !Array.isArray(options.commands)) {
    throw new TypeError("linearizabilityProperty(fc, options): options.commands must be an array");
  }
  if (typeof options.setup !== "function") {
    throw new TypeError("linearizabilityProperty(fc, options): options.setup must be a function");
  }
  const clients = options.clients ?? 3;
  if (!Number.isSafeInteger(clients) || clients < 1) {
    throw new RangeError(
      `linearizabilityProperty(fc, options): clients must be a whole number >= 1, got ${String(clients)}`,
    );
  }
  const arbitraries = options.commands as unknown as Arbitrary<AsyncCommand<object, Sys>>[];
  return fc.asyncProperty(
    fc.commands(arbitraries, { maxCommands: options.maxCommands ?? 12 }),
    schedules(fc, options.schedules),
    async (cmds, schedule) => {
      const sim = new SimExecutor({ schedule });
      const system = options.setup(sim);
      const history = new History();
      const queues: AsyncCommand<object, Sys>[][] = Array.from({ length: clients }, () => []);
      let i = 0;
      for (const cmd of cmds) (queues[i++ % clients] as AsyncCommand<object, Sys>[]).push(cmd);
      const client = (queue: AsyncCommand<object, Sys>[]) =>
        future(function* () {
          for (const cmd of queue) {
            const inner = (cmd as { cmd?: OperationCommand<Sys> }).cmd ?? cmd;
            const op = inner as unknown as OperationCommand<Sys>;
            const fut = cmd.run({}, system) as unknown as Future<unknown>;
            try {
              yield* history.record(op.name, op.input, fut);
            } catch {
              // A failed operation stays in the history as one that never returned.
            }
          }
        });
      await sim.run(
        future(function* () {
          const handles = queues.map((q, n) => spawn(client(q), { name: `client ${n + 1}` }));
          for (const h of handles) yield* h;
        }),
      );
      const result = checkLinearizable(history, options.model);
      if (!result.ok) throw new LinearizabilityError(result, sim.schedule);
    },
  );
}
