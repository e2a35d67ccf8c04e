/**
 * `SimExecutor`: a deterministic executor for tests. A strategy (or a schedule) decides which
 * ready task runs next and what `random()` returns; time is virtual; deadlocks and livelocks are
 * reported; every decision is recorded so the run can be replayed exactly.
 *
 * Invariants:
 * - One task is polled at a time, chosen from the ready list by the strategy; a choice among
 *   `n >= 2` ready tasks and every `random()` call is a *decision* and is recorded (schedule.ts).
 * - Virtual time moves only when no task is ready: the clock then jumps to the earliest timer.
 *   Outside work (`fromPromise`, announced through `beginExternal`) that is under way when the
 *   simulation stalls gets one turn of the host event loop to deliver its wake-up before time
 *   jumps; with no timer left, the run waits for it as long as it takes.
 * - Tasks waiting, nothing ready, no timer, no outside work (or outside work that can never
 *   finish: the host is about to exit while the run waits for it): `DeadlockError`. More than
 *   `maxSteps` polls: `LivelockError`. A replay that departs from its trace:
 *   `ScheduleDivergenceError`. All three end the run; leftover tasks are dropped.
 * - While the executor polls or drops, it is the current executor, its unhandled sink is active
 *   and its external tracker counts outside work.
 * - One root per executor: `run` may be called once.
 * @module
 */
import { assertFuture, type Future } from "../core/future.js";
import { enterRuntime, exitRuntime, RuntimeContext } from "../core/runtime.js";
import { DeadlockError } from "../executor/deadlock.js";
import type { Executor, SpawnOptions } from "../executor/executor.js";
import type { JoinHandle } from "../executor/join-handle.js";
import { OwnedTasks, type ScheduledTask } from "../executor/owned-tasks.js";
import type { TaskInfo } from "../executor/task.js";
import { ManualClock } from "../time/clock.js";
import { type TimerDriver, timerDriver } from "../time/timer-driver.js";
import { LivelockError, ScheduleDivergenceError } from "./errors.js";
import { outcome, UnhandledErrors } from "./outcome.js";
import { OutsideWork } from "./outside-work.js";
import { ReadyRing } from "./ready-ring.js";
import { DRAW, DRAW_LEVELS, drawValue, PICK, Schedule, ScheduleRecorder } from "./schedule.js";
import { checkOptions, type SimExecutorOptions } from "./sim-options.js";
import { createStrategy, type Strategy } from "./strategies.js";

const NEW = 0;
const RUNNING = 1;
const ENDED = 2;

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
  readonly #ready = new ReadyRing();
  readonly #strategy: Strategy;
  readonly #recorder = new ScheduleRecorder();
  readonly #clock = new ManualClock();
  readonly #driver: TimerDriver;
  readonly #maxSteps: number;
  readonly #errors: UnhandledErrors;
  readonly #outside = new OutsideWork();
  readonly #tasks: OwnedTasks;
  readonly #runtime: RuntimeContext;
  #polls = 0;
  #phase = NEW;
  #root: JoinHandle<unknown> | undefined = undefined;
  #rootDone = false;
  #polling = false;
  #last: ScheduledTask | undefined = undefined;
  #failure: Error | undefined = undefined;

  constructor(options: SimExecutorOptions = {}) {
    const o = checkOptions(options);
    this.#maxSteps = o.maxSteps;
    this.#errors = new UnhandledErrors(o.onUnhandledError);
    this.#strategy = createStrategy(o);
    this.#tasks = new OwnedTasks({
      schedule: (task) => this.#enqueue(task),
      unhandled: (error, task) => this.#errors.report(error, task),
      finished: (task) => {
        if (task === this.#root) this.#rootDone = true;
      },
    });
    this.#runtime = new RuntimeContext(this, {
      onUnhandled: this.#tasks.report,
      external: this.#outside,
      clock: this.#clock,
      random: () => this.random(),
    });
    const previous = enterRuntime(this.#runtime);
    try {
      this.#driver = timerDriver();
    } finally {
      exitRuntime(previous);
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
    return this.#recorder.toString();
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
    return this.#clock.now();
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
    return this.#polls;
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
    return this.#recorder.length;
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
    if (this.#phase === ENDED) {
      throw new Error("SimExecutor.spawn: this simulation has ended; create a new SimExecutor");
    }
    return this.#tasks.spawn(fut, options);
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
    if (this.#phase !== NEW) {
      return Promise.reject(
        new Error(
          "SimExecutor.run: a SimExecutor runs one root future; create a new SimExecutor " +
            "(SimExecutor.replay(sim.schedule) repeats this run)",
        ),
      );
    }
    const root = this.#tasks.spawnRoot(fut);
    this.#phase = RUNNING;
    this.#root = root as JoinHandle<unknown>;
    return this.#drive(root);
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
    let level = this.#strategy.draw();
    if (level < 0 || level >= DRAW_LEVELS) {
      this.#diverge(this.#strategy.problem());
      level = 0;
    }
    this.#recorder.push(DRAW, DRAW_LEVELS, level);
    return drawValue(level);
  }

  /**
   * A snapshot of every live task, oldest first: id, name, state, polls and what it waits on.
   *
   * @example
   * ```ts
   * console.table(sim.tasks());
   * ```
   */
  tasks(): TaskInfo[] {
    return this.#tasks.tasks();
  }

  /** A woken task joins the ready list. */
  #enqueue(task: ScheduledTask): void {
    this.#ready.push(task);
    if (!this.#polling) this.#outside.signal();
  }

  async #drive<T>(root: JoinHandle<T>): Promise<T> {
    let waitedOneTurn = false;
    try {
      for (;;) {
        if (this.#runReady() > 0) waitedOneTurn = false;
        if (this.#rootDone || this.#failure !== undefined) break;
        const timers = this.#driver.size > 0;
        if (this.#outside.count > 0 && (!timers || !waitedOneTurn)) {
          await this.#outside.wait(timers);
          waitedOneTurn = true;
          if (this.#outside.hostExiting) {
            this.#failure = new DeadlockError(this.tasks(), this.schedule, this.now, true);
          }
        } else if (timers) {
          this.#advanceTime();
        } else {
          this.#failure = new DeadlockError(this.tasks(), this.schedule, this.now);
        }
      }
      if (this.#failure === undefined) {
        const problem = this.#strategy.finish(this.#recorder.length, this.#recorder.checksum);
        if (problem !== undefined) this.#diverge(problem);
      }
    } catch (error) {
      if (this.#failure === undefined) throw error;
    } finally {
      this.#shutdown();
      this.#phase = ENDED;
    }
    const unhandled = this.#errors.take();
    return outcome(() => this.#tasks.takeOutcome(root), this.#failure, unhandled);
  }

  /** Polls ready tasks, one decision at a time, until none is ready. Returns the polls made. */
  #runReady(): number {
    const ready = this.#ready;
    const strategy = this.#strategy;
    const recorder = this.#recorder;
    const start = this.#polls;
    const tasks = this.#tasks;
    const previous = enterRuntime(this.#runtime);
    this.#polling = true;
    try {
      while (ready.count > 0 && !this.#rootDone && this.#failure === undefined) {
        if (this.#polls >= this.#maxSteps) {
          this.#failure = new LivelockError(this.#maxSteps, this.schedule);
          break;
        }
        let index = 0;
        const count = ready.count;
        if (count > 1) {
          index = strategy.pick(ready, this.#last);
          if (index < 0 || index >= count) {
            this.#diverge(strategy.problem());
            break;
          }
          recorder.push(PICK, count, index);
        }
        const task = ready.take(index);
        this.#polls++;
        tasks.run(task);
        this.#last = task;
      }
    } finally {
      this.#polling = false;
      exitRuntime(previous);
    }
    return this.#polls - start;
  }

  /** Jumps virtual time to the earliest timer, which fires (waking its tasks). */
  #advanceTime(): void {
    const previous = enterRuntime(this.#runtime);
    try {
      this.#clock.advanceTo(this.#driver.nextDeadline as number);
      this.#driver.fire();
    } finally {
      exitRuntime(previous);
    }
  }

  #diverge(problem: string): void {
    if (this.#failure === undefined) {
      this.#failure = new ScheduleDivergenceError(problem, this.schedule);
    }
  }

  /** Drops every live task (root included, when it has not finished), then reports failures. */
  #shutdown(): void {
    const previous = enterRuntime(this.#runtime);
    try {
      this.#tasks.shutdownAll();
    } finally {
      this.#ready.clear();
      exitRuntime(previous);
    }
  }
}
