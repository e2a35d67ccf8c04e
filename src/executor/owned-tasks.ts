/**
 * `OwnedTasks` (tokio's `OwnedTasks`): the tasks one executor owns. It makes them (checking what
 * it is given), numbers them, keeps the live ones, runs one when asked (so an error can be
 * blamed on the task that raised it), keeps the failures nobody has seen yet, and drops what
 * is left at shutdown. `LocalExecutor` and `SimExecutor` are built on it; so can a user-written
 * executor, which then only keeps a ready queue and decides what runs next.
 *
 * Invariants:
 * - The live list holds exactly the unfinished tasks; ids are unique and increasing.
 * - `hooks.schedule(task)` is called, as a method of `hooks`, when a task becomes ready: once at
 *   spawn, then once per wake until it runs again. The executor calls `run(task)` for it,
 *   later, inside its runtime context; a task that finished meanwhile is skipped there.
 * - A failure whose handle was dropped goes to `hooks.unhandled` at once; one whose handle is
 *   held but never awaited goes there at `shutdown()`. The root's outcome is the executor's to
 *   deliver: it is never reported.
 * - `shutdown()` drops every live task but the root, in rounds until none is left (a drop may
 *   spawn), and reports a cycle of spawning drops instead of looping for ever (shutdown.ts).
 * - Task-dump stamps (`tasks()`: parent, age, time since last poll) cost no clock read per poll:
 *   the executor calls `tick()` before each batch of polls, and every task polled (or spawned
 *   by a task) in the batch gets that reading. A spawn from outside any task reads the clock.
 *   Readings are whole milliseconds since the first reading (the epoch), small integers for
 *   12 days, so a parked task does not grow by a boxed number.
 * @module
 */
import { assertFuture, type Future } from "../core/future.js";
import { IntrusiveList } from "../core/intrusive-list.js";
import { claimForTask } from "../core/ownership.js";
import { RT } from "../core/runtime.js";
import type { TaskScope } from "../core/task-scope.js";
import type { SpawnOptions } from "./executor.js";
import { externalScope } from "./host.js";
import type { JoinHandle } from "./join-handle.js";
import { dropLiveTasks } from "./shutdown.js";
import { Task } from "./task.js";
import type { TaskHome, TaskOwner } from "./task-home.js";
import { type TaskInfo, taskInfo } from "./task-info.js";

/** A task handed to the executor to run: it only passes it back to {@link OwnedTasks.run}. */
export interface ScheduledTask {
  /** The task's id, unique within its executor. */
  readonly id: number;
}

/**
 * What an executor tells {@link OwnedTasks}. They are called as methods of the object given
 * (`hooks.schedule(task)`), so an object of arrow functions and an instance of a class of the
 * executor's both work; the class makes every wake a monomorphic method call.
 */
export interface TaskHooks {
  /** `task` is ready: queue it, and call `owned.run(task)` for it later. */
  schedule(task: ScheduledTask): void;
  /** An error nobody can receive, with the task it came from when there is one. */
  unhandled(error: unknown, task: TaskInfo | undefined): void;
  /** A task finished (it has left the live list); the root's end, typically. */
  finished?(task: ScheduledTask): void;
  /**
   * A task that yielded (`yieldNow()`) while being polled asks whether it may go on at once
   * instead of being queued: answer true only when the executor would poll it next with nothing
   * in between (no other task is ready, the executor's time slice has room), and count it as a
   * poll. Saves a round trip through the ready queue for a task yielding alone.
   * @default never: every yield goes through `schedule`
   */
  repollNow?(): boolean;
  /**
   * The executor's clock in milliseconds, read by `tick()` and `tasks()` for task ages.
   * @default `performance.now()`
   */
  now?(): number;
}

/** Readings below this stay small integers (V8 Smis on every platform). */
const SMALL = 2 ** 30;

/** `performance.now()` where the host has it, else `Date.now()`; chosen once, at load. */
const hostNow: () => number = /* @__PURE__ */ (() =>
  typeof performance === "object" && typeof performance.now === "function"
    ? () => performance.now()
    : () => Date.now())();

/** Unobserved failures kept for shutdown before the list is pruned of observed ones. */
const FAILED_PRUNE_AT = 1024;

/**
 * The tasks of one executor; see the module invariants.
 *
 * @example A minimal executor on it:
 * ```ts
 * class FifoExecutor implements Executor {
 *   readonly #ready: ScheduledTask[] = [];
 *   readonly #tasks = new OwnedTasks({
 *     schedule: (task) => this.#ready.push(task),
 *     unhandled: (error) => console.error(error),
 *   });
 *   readonly #runtime = new RuntimeContext(this, { onUnhandled: this.#tasks.report });
 *   spawn<T>(fut: Future<T>): JoinHandle<T> { return this.#tasks.spawn(fut); }
 *   runAll(): void {
 *     const previous = enterExecutor(this.#runtime);
 *     try { for (let t = this.#ready.shift(); t; t = this.#ready.shift()) this.#tasks.run(t); }
 *     finally { exitExecutor(previous); }
 *   }
 *   …
 * }
 * ```
 */
export class OwnedTasks {
  readonly #live = new IntrusiveList<Task<unknown>>();
  readonly #hooks: TaskHooks;
  readonly #owner: TaskOwner<Task<unknown>> = {
    finished: (task) => this.#finished(task),
    unhandled: (error, task) => this.#unhandled(error, task),
  };
  #nextId = 1;
  /** The home of the latest spawn, shared by the next ones from the same task, batch and scope. */
  #home: TaskHome<Task<unknown>> | undefined = undefined;
  #failed: Task<unknown>[] = [];
  #current: Task<unknown> | undefined = undefined;
  #root: Task<unknown> | undefined = undefined;
  readonly #clock: () => number;
  #epoch = Number.NaN;
  /** The reading of the latest `tick()` (whole ms since the epoch). */
  #now = 0;
  readonly #enter = (task: Task<unknown>): void => {
    this.#current = task;
  };
  /**
   * Reports `error` as raised by the task running right now (if any): the `onUnhandled` to
   * give the executor's runtime context.
   */
  readonly report = (error: unknown): void => this.#unhandled(error, this.#current);

  constructor(hooks: TaskHooks) {
    if (hooks === null || typeof hooks !== "object" || typeof hooks.schedule !== "function") {
      throw new TypeError("new OwnedTasks(hooks): expected { schedule, unhandled, finished? }");
    }
    if (typeof hooks.unhandled !== "function") {
      throw new TypeError("new OwnedTasks(hooks): hooks.unhandled must be a function");
    }
    if (hooks.now !== undefined && typeof hooks.now !== "function") {
      throw new TypeError("new OwnedTasks(hooks): hooks.now must be a function");
    }
    if (hooks.repollNow !== undefined && typeof hooks.repollNow !== "function") {
      throw new TypeError("new OwnedTasks(hooks): hooks.repollNow must be a function");
    }
    this.#hooks = hooks;
    this.#clock = hooks.now === undefined ? hostNow : () => (hooks.now as () => number)();
  }

  /** How many tasks are alive (spawned and unfinished), the root included. */
  get size(): number {
    return this.#live.length;
  }

  /** The root task, once {@link OwnedTasks.spawnRoot} made it, until it finishes. */
  get root(): JoinHandle<unknown> | undefined {
    return this.#root;
  }

  /**
   * Makes a task of `fut` and queues it (`hooks.schedule`); it is not polled on the spot.
   * Throws a `TypeError` naming `where` for a non-Future, a future a task already runs, or a
   * bad `options.name`.
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions, where = "spawn(fut)"): JoinHandle<T> {
    return this.#spawn(fut, options?.name, where, false);
  }

  /** Like {@link OwnedTasks.spawn}, for the root task of `run`: its outcome is never reported. */
  spawnRoot<T>(fut: Future<T>, where = "run(fut)"): JoinHandle<T> {
    return this.#spawn(fut, "root", where, true);
  }

  #spawn<T>(fut: Future<T>, name: unknown, where: string, root: boolean): JoinHandle<T> {
    assertFuture(fut, where);
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError(`${where.replace(")", ", options)")}: options.name must be a string`);
    }
    claimForTask(fut, where);
    const task = new Task<T>(this.#nextId++, fut, this.#homeForSpawn(), name);
    this.#live.push(task as Task<unknown>);
    if (root) this.#root = task as Task<unknown>;
    task.start();
    return task;
  }

  /**
   * What a task spawned now shares with the one spawned before it, when they come from the same
   * task in the same batch with the same scope (a loop of spawns); otherwise a new home. A task
   * inherits the scope of the task polling now (task-locals, host context); one spawned from
   * outside any task captures the caller's host context, if any.
   */
  #homeForSpawn(): TaskHome<Task<unknown>> {
    const scope = (RT.scope as TaskScope | undefined) ?? externalScope();
    const spawner = this.#current;
    const parent = spawner === undefined ? 0 : spawner.id;
    const spawnedAt = spawner === undefined ? this.#read() : this.#now;
    const last = this.#home;
    if (
      last !== undefined &&
      last.scope === scope &&
      last.parent === parent &&
      last.spawnedAt === spawnedAt
    ) {
      return last;
    }
    // A wake calls `hooks.schedule` straight through, as a method (the hot path: no wrapper).
    const home: TaskHome<Task<unknown>> = {
      scheduler: this.#hooks,
      owner: this.#owner,
      scope,
      parent,
      spawnedAt,
    };
    this.#home = home;
    return home;
  }

  /** Polls `task` once (or drops it if it was aborted); see the module invariants. */
  run(task: ScheduledTask): void {
    const t = task as Task<unknown>;
    t.polledAt = this.#now;
    this.#current = t;
    t.runOnce(); // never throws: a task's own errors end the task (task.ts)
    this.#current = undefined;
  }

  /**
   * The outcome of a finished task of this set, taken once and unwrapped as `run` delivers a
   * root's: its value, or the error it threw itself (not wrapped in a `JoinError`); a task that
   * was cancelled throws its `JoinError`. Ignores the cooperative budget.
   */
  takeOutcome<T>(handle: JoinHandle<T>): T {
    try {
      return ((handle as Task<T>).takeOutcome() as { value: T }).value;
    } catch (error) {
      throw (error as { isPanic?: boolean }).isPanic === true ? (error as Error).cause : error;
    }
  }

  /**
   * Reads the executor's clock for the task-dump stamps: the tasks run (and spawned by them)
   * until the next `tick()` count as polled (spawned) at this reading. Call it before each
   * batch of polls, and again whenever the clock may have moved.
   */
  tick(): void {
    this.#now = this.#read();
  }

  /** A snapshot of every live task, oldest first. */
  tasks(): TaskInfo[] {
    const now = this.#read();
    return this.#live.toArray().map((task) => taskInfo(task, now));
  }

  /**
   * The clock in whole ms since the first reading. `| 0` makes it a small integer, which V8
   * stores in the task unboxed (a fractional or boxed first value would box the field in every
   * task); past 2^30 ms (12 days) it stays a plain number, still correct.
   */
  #read(): number {
    const now = Math.floor(this.#clock());
    if (Number.isNaN(this.#epoch)) this.#epoch = now;
    const since = now - this.#epoch;
    return since < SMALL ? since | 0 : since;
  }

  /**
   * Drops every live task except the root (round after round: a drop may spawn), then reports
   * the failures nobody observed. Call it inside the executor's runtime context.
   */
  shutdown(): void {
    try {
      const cycle = dropLiveTasks(this.#live, this.#root, this.#enter);
      if (cycle !== undefined) this.#unhandled(cycle, undefined);
      const failed = this.#failed;
      this.#failed = [];
      for (const task of failed) task.reportIfUnobserved();
    } finally {
      this.#current = undefined;
      this.#home = undefined; // holds the latest spawn's scope (a request's context, say)
    }
  }

  /** Drops the root too (when a run ends without it finishing), then as {@link shutdown}. */
  shutdownAll(): void {
    this.#root = undefined;
    this.shutdown();
  }

  #finished(task: Task<unknown>): void {
    this.#live.remove(task);
    const root = task === this.#root;
    if (root) this.#root = undefined;
    else if (task.failedUnobserved) {
      if (this.#failed.length >= FAILED_PRUNE_AT) {
        this.#failed = this.#failed.filter((t) => t.failedUnobserved);
      }
      this.#failed.push(task);
    }
    this.#hooks.finished?.(task);
  }

  #unhandled(error: unknown, task: Task<unknown> | undefined): void {
    this.#hooks.unhandled(error, task === undefined ? undefined : taskInfo(task, this.#read()));
  }
}
