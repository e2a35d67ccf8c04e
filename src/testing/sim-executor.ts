/**
 * `SimExecutor`: a deterministic executor for tests. A strategy (or a schedule) decides which
 * ready task runs next and what `random()` returns; time is virtual; deadlocks and livelocks are
 * reported; every decision is recorded so the run can be replayed exactly.
 *
 * This file is the public face: it checks arguments and documents the API. The run itself
 * (ready list, decisions, virtual time, the drive loop) and its invariants are in
 * simulation.ts.
 *
 * Invariant: one root per executor: `run` may be called once; after the run ends, `spawn`
 * throws.
 * @module
 */
import { assertFuture, type Future } from "../core/future.js";
import type { Executor, SpawnOptions } from "../executor/executor.js";
import type { JoinHandle } from "../executor/join-handle.js";
import type { TaskInfo } from "../executor/task-info.js";
import type { SimObserver } from "./observer.js";
import { Schedule } from "./schedule.js";
import { checkOptions, type SimExecutorOptions } from "./sim-options.js";
import { Simulation } from "./simulation.js";
import type { Strategy } from "./strategies.js";
import { SimTrace } from "./trace.js";
import { TraceRecorder } from "./trace-recorder.js";

/** What `exploringExecutor` hands the constructor it calls (never set outside that call). */
let exploring:
  | { readonly strategy: Strategy; readonly observer: SimObserver; sim?: Simulation }
  | undefined;

/**
 * A deterministic executor for testing concurrent code: which ready task runs next and what
 * `select`'s fair choice draws come from a strategy (`"random"` from `seed`, `"pct"`, or
 * `"fifo"`) or from a schedule; timers run on a virtual clock that jumps ahead whenever every
 * task is idle (an hour of sleeps takes microseconds, and `Instant.now()` reads virtual time);
 * a deadlock is reported as a {@link DeadlockError} naming the stuck tasks; and the decisions
 * are recorded in `sim.schedule`, which {@link SimExecutor.replay} follows exactly.
 *
 * Failures nobody observed (a detached task's error, an error raised while dropping) go to
 * `onUnhandledError`; without it they make `run` reject, so a test cannot miss them.
 *
 * @example
 * ```ts
 * for (let seed = 0; seed < 100; seed++) {
 *   const sim = new SimExecutor({ seed });
 *   const total = await sim.run(program()); // throws → print sim.schedule to replay it
 *   assert.equal(total, 2, `seed ${seed}: replay with SimExecutor.replay("${sim.schedule}")`);
 * }
 * ```
 */
export class SimExecutor implements Executor {
  readonly #sim: Simulation;
  readonly #recorder: TraceRecorder | undefined;

  constructor(options: SimExecutorOptions = {}) {
    const hooks = exploring;
    exploring = undefined;
    const resolved = checkOptions(options);
    this.#sim = new Simulation(this, resolved, hooks?.strategy);
    if (hooks !== undefined) {
      this.#sim.observe(hooks.observer);
      hooks.sim = this.#sim;
    } else if (resolved.trace) {
      this.#recorder = new TraceRecorder();
      this.#sim.observe(this.#recorder);
    }
  }

  /**
   * An executor that follows `schedule` (a string printed by `sim.schedule`, by a failing
   * property or by an error, or a {@link Schedule}) instead of a strategy. A recorded trace is
   * followed exactly: a run that departs from it rejects with `ScheduleDivergenceError`.
   *
   * @example
   * ```ts
   * const sim = SimExecutor.replay("w1:01001.3k9z");
   * await sim.run(program()); // the same interleaving as the run that printed it
   * ```
   */
  static replay(
    schedule: string | Schedule,
    options: Omit<SimExecutorOptions, "schedule"> = {},
  ): SimExecutor {
    if (typeof schedule !== "string" && !(schedule instanceof Schedule)) {
      throw new TypeError("SimExecutor.replay(schedule): expected a schedule string or a Schedule");
    }
    return new SimExecutor({ ...options, schedule });
  }

  /**
   * The decisions made so far, as a paste-able trace (`w1:…`): read it after a run, or from the
   * `schedule` of a `DeadlockError`/`LivelockError`.
   *
   * @example
   * ```ts
   * console.log(`replay with SimExecutor.replay(${JSON.stringify(sim.schedule)})`);
   * ```
   */
  get schedule(): string {
    return this.#sim.schedule;
  }

  /**
   * Virtual time in milliseconds (starts at 0; moves only when every task is idle).
   *
   * @example
   * ```ts
   * await sim.run(sleep(3_600_000));
   * sim.now; // 3600000, a few microseconds later
   * ```
   */
  get now(): number {
    return this.#sim.now;
  }

  /**
   * How many task polls the run has made (what `maxSteps` limits).
   *
   * @example
   * ```ts
   * expect(sim.polls).toBeLessThan(100);
   * ```
   */
  get polls(): number {
    return this.#sim.polls;
  }

  /**
   * How many decisions were recorded: picks among several ready tasks plus `random()` draws.
   * A good value for PCT's `steps` option.
   *
   * @example
   * ```ts
   * const steps = fifoRun.decisions; // then new SimExecutor({ strategy: "pct", steps })
   * ```
   */
  get decisions(): number {
    return this.#sim.decisions;
  }

  /**
   * Queues `fut` as a new task and returns its handle; it is not polled on the spot. Works
   * before `run` (the task runs alongside the root) and during it.
   *
   * @example
   * ```ts
   * const h = sim.spawn(worker(), { name: "worker" });
   * ```
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    assertFuture(fut, "spawn(fut)");
    if (this.#sim.isEnded) {
      throw new Error("SimExecutor.spawn: this simulation has ended; create a new SimExecutor");
    }
    return this.#sim.spawn(fut, options);
  }

  /**
   * Runs `fut` as the root task until it finishes and resolves with its value (rejects with its
   * error). Leftover tasks are then dropped. Rejects with `DeadlockError`, `LivelockError` or
   * `ScheduleDivergenceError` when the simulation cannot go on, and with the errors nobody
   * handled (one error, or an `AggregateError`) unless `onUnhandledError` is set.
   *
   * Cancel safety: the returned Promise cannot be cancelled; the simulation runs to its end.
   *
   * @example
   * ```ts
   * const value = await new SimExecutor({ seed: 7 }).run(program());
   * ```
   */
  run<T>(fut: Future<T>): Promise<T> {
    assertFuture(fut, "run(fut)");
    if (!this.#sim.isNew) {
      return Promise.reject(
        new Error(
          "SimExecutor.run: a SimExecutor runs one root future; create a new SimExecutor " +
            "(SimExecutor.replay(sim.schedule) repeats this run)",
        ),
      );
    }
    return this.#sim.run(fut);
  }

  /**
   * A number in [0, 1) for fair combinators (`select`'s start branch): a recorded decision,
   * drawn by the strategy. It takes one of 32 values (one schedule character each).
   *
   * @example
   * ```ts
   * const start = Math.floor(sim.random() * branches.length);
   * ```
   */
  random(): number {
    return this.#sim.random();
  }

  /**
   * A snapshot of every live task, oldest first: id, name, state, polls, what it waits on,
   * the task that spawned it, and its age and time since its last poll in virtual ms.
   *
   * @example
   * ```ts
   * console.table(sim.tasks());
   * ```
   */
  tasks(): TaskInfo[] {
    return this.#sim.tasks();
  }

  /**
   * The run's timeline so far (a snapshot): Chrome trace-event JSON (`JSON.stringify`) for
   * chrome://tracing and Perfetto, and `html()`, a page with a row per task, a bar per poll,
   * an arrow per wake and what each task waited on; `save()` writes it and returns the path.
   * Needs `new SimExecutor({ trace: true })`.
   *
   * @example
   * ```ts
   * const sim = new SimExecutor({ schedule, trace: true });
   * if ((await sim.run(deposits())) !== 30) {
   *   throw new Error(`lost update; timeline: ${sim.trace().save()}`);
   * }
   * ```
   */
  trace(): SimTrace {
    const recorder = this.#recorder;
    if (recorder === undefined) {
      throw new Error(
        "SimExecutor.trace(): this executor records no timeline; create it with { trace: true }",
      );
    }
    const sim = this.#sim;
    return new SimTrace(recorder, {
      schedule: sim.schedule,
      now: sim.now,
      polls: sim.polls,
      faults: [...sim.faults],
    });
  }

  /**
   * The names of the fault points ({@link faultPoint}) that fired in this run so far, in order.
   * Put them in a failing property's message: after shrinking, it names the fault that matters.
   *
   * @example
   * ```ts
   * if (charges !== 1) throw new Error(`charged ${charges} times; faults: ${sim.faults.join(", ")}`);
   * ```
   */
  get faults(): readonly string[] {
    return this.#sim.faults;
  }

  /**
   * Wraps a promise-returning dependency (an HTTP client, a database call, a mock of one) so
   * that *when* each call's result reaches the simulation is a scheduling decision: `fn` runs
   * at once, but its outcome is delivered only when the strategy picks that call among the
   * ready tasks and the other pending calls (or, with no task ready, before or after virtual
   * time moves to the next timer). So replies can arrive in any order, and after any timeout;
   * the choice is recorded in the schedule, replays exactly, and shrinks under `schedules(fc)`
   * towards delivering replies in call order, before time moves.
   *
   * An `AbortSignal` among the arguments withdraws the call when it aborts (its reply is then
   * no longer scheduled). `fn`'s promise must settle: a call that is chosen for delivery is
   * waited for. After the run ends, the wrapped function calls `fn` directly.
   *
   * @param fn the dependency: returns a promise (or a value)
   * @param name how calls are named in traces (default: `fn.name`, else `"external"`)
   *
   * @example
   * ```ts
   * const sim = new SimExecutor({ seed });
   * const api = {
   *   balance: sim.external(async () => 100, "balance"),
   *   holds: sim.external(async () => [30], "holds"),
   * };
   * await sim.run(accountView(api)); // which reply comes first is the seed's choice
   * ```
   */
  external<A extends unknown[], R>(
    fn: (...args: A) => PromiseLike<R> | R,
    name?: string,
  ): (...args: A) => Promise<R> {
    if (typeof fn !== "function") {
      throw new TypeError("SimExecutor.external(fn, name): fn must be a function");
    }
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError("SimExecutor.external(fn, name): name must be a string");
    }
    return this.#sim.external(fn, name ?? (fn.name === "" ? "external" : fn.name));
  }
}

/**
 * @internal A `SimExecutor` whose decisions come from `strategy` and whose run `observer`
 * watches, and its simulation: how `explore` drives its search.
 */
export function exploringExecutor(
  options: SimExecutorOptions,
  strategy: Strategy,
  observer: SimObserver,
): { executor: SimExecutor; simulation: Simulation } {
  const hooks: NonNullable<typeof exploring> = { strategy, observer };
  exploring = hooks;
  try {
    const executor = new SimExecutor(options);
    return { executor, simulation: hooks.sim as Simulation };
  } finally {
    exploring = undefined;
  }
}
