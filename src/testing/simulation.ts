/**
 * The simulation behind `SimExecutor` (sim-executor.ts, which only checks arguments and
 * documents): the ready list, the strategy that decides, the recorder of decisions, the virtual
 * clock and the drive loop of one run.
 *
 * Invariants:
 * - One task is polled at a time, chosen from the ready list by the strategy; a choice among
 *   `n >= 2` ready tasks and every `random()` call is a *decision* and is recorded (schedule.ts).
 * - Virtual time moves only when no task is ready: the clock then jumps to the earliest timer.
 *   Outside work (`fromPromise`, announced through `beginExternal`) that is under way when the
 *   simulation stalls gets one turn of the host event loop to deliver its wake-up before time
 *   jumps; with no timer left, the run waits for it as long as it takes.
 * - Calls of functions wrapped by `sim.external` (external-calls.ts) are options of every pick
 *   while they are pending (choices.ts): delivering one is a decision like polling a task.
 *   With no task ready, a pending call is delivered or time moves, as the strategy decides. A
 *   delivery waits for the call's own outcome, hands it over, then gives the host one whole
 *   turn so the promise chains it settles run to the end before the next decision.
 * - A fault point with a probability strictly between 0 and 1 is a decision (0: no fault).
 * - The observer, when set, sees every poll, wake and outside step (observer.ts).
 * - Tasks waiting, nothing ready, no timer, no outside work (or outside work that can never
 *   finish: the host is about to exit while the run waits for it): `DeadlockError`. More than
 *   `maxSteps` polls: `LivelockError`. A replay that departs from its trace:
 *   `ScheduleDivergenceError`. All three end the run; leftover tasks are dropped.
 * - While the simulation polls, fires timers or drops, its runtime context is entered: the
 *   executor is current, its unhandled sink is active and its tracker counts outside work.
 * - One root per simulation: `run` starts once; after the run, nothing can be spawned.
 * @module
 */
import type { Future } from "../core/future.js";
import { enterExecutor, exitExecutor, RuntimeContext } from "../core/runtime.js";
import { DeadlockError } from "../executor/deadlock.js";
import type { SpawnOptions } from "../executor/executor.js";
import type { JoinHandle } from "../executor/join-handle.js";
import { OwnedTasks, type ScheduledTask } from "../executor/owned-tasks.js";
import type { Task } from "../executor/task.js";
import type { TaskInfo } from "../executor/task-info.js";
import { ManualClock } from "../time/clock.js";
import { type TimerDriver, timerDriver } from "../time/timer-driver.js";
import { Choices } from "./choices.js";
import { Decisions } from "./decisions.js";
import { LivelockError, ScheduleDivergenceError } from "./errors.js";
import { type ExternalCall, ExternalCalls } from "./external-calls.js";
import { checkFaultPoint } from "./fault-args.js";
import { DELIVERY, HOST_TURN, type SimObserver, TIMERS } from "./observer.js";
import { outcome, UnhandledErrors } from "./outcome.js";
import { OutsideWork } from "./outside-work.js";
import { ReadyRing } from "./ready-ring.js";
import { registerSimulation, type SimulationHooks } from "./registry.js";
import type { ResolvedOptions } from "./sim-options.js";
import { createStrategy, type Strategy } from "./strategies.js";

const NEW = 0;
const RUNNING = 1;
const ENDED = 2;

/** @internal One simulated run, driven by `SimExecutor`. */
export class Simulation implements SimulationHooks {
  readonly #ready = new ReadyRing();
  readonly #calls = new ExternalCalls();
  readonly #choices = new Choices(this.#ready, this.#calls);
  readonly #faults: string[] = [];
  #observer: SimObserver | undefined = undefined;
  /** A pending call a pick chose to deliver, while tasks were still ready. */
  #chosen: ExternalCall | undefined = undefined;
  readonly #decisions: Decisions;
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
  /** The task polled last (during a poll: the task being polled). */
  #last: ScheduledTask | undefined = undefined;
  #failure: Error | undefined = undefined;

  /**
   * `executor` is what `spawn()` and `currentExecutor()` see while the simulation polls;
   * `strategy`, when given, replaces the one the options ask for (explore's search).
   */
  constructor(executor: object, o: ResolvedOptions, strategy?: Strategy) {
    this.#maxSteps = o.maxSteps;
    this.#errors = new UnhandledErrors(o.onUnhandledError);
    this.#decisions = new Decisions(strategy ?? createStrategy(o), (problem) =>
      this.#diverge(problem),
    );
    this.#tasks = new OwnedTasks({
      schedule: (task) => this.#enqueue(task),
      unhandled: (error, task) => this.#errors.report(error, task),
      finished: (task) => {
        if (task === this.#root) this.#rootDone = true;
      },
      now: () => this.#clock.now(),
    });
    this.#runtime = new RuntimeContext(executor, {
      onUnhandled: this.#tasks.report,
      external: this.#outside,
      clock: this.#clock,
      random: () => this.random(),
    });
    const previous = enterExecutor(this.#runtime);
    try {
      this.#driver = timerDriver();
    } finally {
      exitExecutor(previous);
    }
    registerSimulation(executor, this);
  }

  /** Watches the run from now on (the timeline recorder, the explorer). */
  observe(observer: SimObserver): void {
    this.#observer = observer;
  }

  /** The names of the fault points that fired so far, in order. */
  get faults(): readonly string[] {
    return this.#faults;
  }

  /** `fn` wrapped so that delivering each call's result is a decision (checked by the caller). */
  external<A extends unknown[], R>(
    fn: (...args: A) => PromiseLike<R> | R,
    name: string,
  ): (...args: A) => Promise<R> {
    return this.#calls.wrap(
      fn,
      name,
      () => (this.#polling && this.#last !== undefined ? this.#last.id : 0),
      () => this.#phase === ENDED,
    );
  }

  /** A fault point's outcome: a recorded decision when `probability` is in (0, 1). */
  fault(name: string, probability: number): boolean {
    checkFaultPoint(name, probability);
    const fired =
      probability > 0 && probability < 1 ? this.#decisions.fault(probability) : probability >= 1;
    if (fired) this.#faults.push(name);
    this.#observer?.faulted(name, fired);
    return fired;
  }

  /** The current step read (or wrote) a shared cell. */
  access(cell: object, write: boolean): void {
    this.#observer?.access(cell, write);
  }

  /** The current step made a shared cell. */
  created(cell: object): void {
    this.#observer?.created(cell);
  }

  /** Runs `fn` in this simulation's runtime context (explore builds its programs so). */
  enter<R>(fn: () => R): R {
    const previous = enterExecutor(this.#runtime);
    try {
      return fn();
    } finally {
      exitExecutor(previous);
    }
  }

  /** The decisions recorded so far, as a trace. */
  get schedule(): string {
    return this.#decisions.recorder.toString();
  }

  /** Virtual time (ms). */
  get now(): number {
    return this.#clock.now();
  }

  /** Task polls so far. */
  get polls(): number {
    return this.#polls;
  }

  /** Decisions recorded so far. */
  get decisions(): number {
    return this.#decisions.recorder.length;
  }

  /** True until `run` was called. */
  get isNew(): boolean {
    return this.#phase === NEW;
  }

  /** True once the run has ended (its tasks are dropped). */
  get isEnded(): boolean {
    return this.#phase === ENDED;
  }

  /** Queues `fut` as a new task (checked by the caller). */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    return this.#tasks.spawn(fut, options);
  }

  /** Runs `fut` as the root until the run ends; call once, while `isNew`. */
  run<T>(fut: Future<T>): Promise<T> {
    const root = this.#tasks.spawnRoot(fut);
    this.#phase = RUNNING;
    this.#root = root as JoinHandle<unknown>;
    return this.#drive(root);
  }

  /** A recorded draw: one of `DRAW_LEVELS` values in [0, 1). */
  random(): number {
    return this.#decisions.draw();
  }

  /** A snapshot of the live tasks, oldest first. */
  tasks(): TaskInfo[] {
    return this.#tasks.tasks();
  }

  /** A woken task joins the ready list. */
  #enqueue(task: ScheduledTask): void {
    this.#ready.push(task);
    this.#observer?.woke(task as Task<unknown>);
    if (!this.#polling) this.#outside.signal();
  }

  async #drive<T>(root: JoinHandle<T>): Promise<T> {
    let waitedOneTurn = false;
    try {
      for (;;) {
        if (this.#runReady() > 0) waitedOneTurn = false;
        if (this.#rootDone || this.#failure !== undefined) break;
        const timers = this.#driver.size > 0;
        let call = this.#chosen;
        this.#chosen = undefined;
        if (call === undefined && this.#calls.count > 0) {
          if (this.#outside.count > 0 && !waitedOneTurn) {
            this.#observer?.outside(HOST_TURN, this.now, undefined);
            await this.#outside.wait(true);
            waitedOneTurn = true;
            continue;
          }
          const index = this.#pickStalled(timers);
          if (index < 0) break;
          if (index === this.#calls.count) {
            this.#advanceTime();
            continue;
          }
          call = this.#calls.take(index);
        }
        if (call !== undefined) {
          await this.#deliver(call);
          waitedOneTurn = true;
          continue;
        }
        if (this.#outside.count > 0 && (!timers || !waitedOneTurn)) {
          this.#observer?.outside(HOST_TURN, this.now, undefined);
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
        const problem = this.#decisions.finish();
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

  /**
   * Polls ready tasks, one decision at a time, until none is ready or a pick chose to deliver
   * a pending call (`#chosen`). Returns the polls made.
   */
  #runReady(): number {
    const ready = this.#ready;
    const calls = this.#calls;
    const decisions = this.#decisions;
    const observer = this.#observer;
    const start = this.#polls;
    const tasks = this.#tasks;
    tasks.tick(); // virtual time stands still while tasks are ready
    const previous = enterExecutor(this.#runtime);
    this.#polling = true;
    try {
      while (ready.count > 0 && !this.#rootDone && this.#failure === undefined) {
        if (this.#polls >= this.#maxSteps) {
          this.#failure = new LivelockError(this.#maxSteps, this.schedule);
          break;
        }
        let index = 0;
        const count = ready.count + calls.count;
        if (count > 1) {
          index = decisions.pick(
            calls.count === 0 ? ready : this.#choices.withClock(false),
            this.#last,
            count,
          );
          if (index < 0) break;
          if (index >= ready.count) {
            this.#chosen = calls.take(index - ready.count);
            break;
          }
        }
        const task = ready.take(index);
        this.#polls++;
        this.#last = task;
        if (observer !== undefined) observer.beforePoll(task as Task<unknown>, this.now);
        tasks.run(task);
        if (observer !== undefined) observer.afterPoll(task as Task<unknown>);
      }
    } finally {
      this.#polling = false;
      exitExecutor(previous);
    }
    return this.#polls - start;
  }

  /**
   * With no task ready and calls pending: which call to deliver (its index), or
   * `calls.count` to let time move; -1 when the run departs from its schedule.
   */
  #pickStalled(timers: boolean): number {
    const count = this.#calls.count + (timers ? 1 : 0);
    if (count < 2) return 0;
    return this.#decisions.pick(this.#choices.withClock(timers), this.#last, count);
  }

  /**
   * Delivers `call`: waits for its outcome (as long as it takes; a host about to exit first is
   * a deadlock), hands it over, then lets the host run one whole turn.
   */
  async #deliver(call: ExternalCall): Promise<void> {
    const outside = this.#outside;
    while (!call.isSettled && !outside.hostExiting) {
      call.onSettled = () => outside.signal();
      await outside.wait(false);
    }
    if (!call.isSettled) {
      this.#failure = new DeadlockError(this.tasks(), this.schedule, this.now, true);
      return;
    }
    this.#observer?.outside(DELIVERY, this.now, call);
    call.release();
    await outside.turn();
  }

  /** Jumps virtual time to the earliest timer, which fires (waking its tasks). */
  #advanceTime(): void {
    const previous = enterExecutor(this.#runtime);
    try {
      this.#clock.advanceTo(this.#driver.nextDeadline as number);
      this.#observer?.outside(TIMERS, this.now, undefined);
      this.#driver.fire();
    } finally {
      exitExecutor(previous);
    }
  }

  #diverge(problem: string): void {
    if (this.#failure === undefined) {
      this.#failure = new ScheduleDivergenceError(problem, this.schedule);
    }
  }

  /** Drops every live task (root included, when it has not finished), then reports failures. */
  #shutdown(): void {
    const previous = enterExecutor(this.#runtime);
    try {
      this.#tasks.shutdownAll();
    } finally {
      this.#ready.clear();
      exitExecutor(previous);
      // Nobody in the simulation waits for them any more: their promises settle as fn's do.
      while (this.#calls.count > 0) this.#calls.take(0).release();
    }
  }
}
