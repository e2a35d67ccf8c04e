/**
 * `LocalExecutor`: a single-threaded executor with a channel ready queue and a cooperative
 * budget.
 *
 * Invariants:
 * - Every queued task is polled by a *drain*; a drain is requested at most once at a time
 *   (`#drainRequested`) and never while one runs (`#draining`): an external wake schedules
 *   the next drain, a wake during a drain just queues.
 * - Budget: a *slice* is the run of drains inside one turn of the host event loop. It ends after
 *   `budgetPolls` polls or `budgetMs` milliseconds; the remaining work then waits for a
 *   macrotask (`setImmediate`, else `MessageChannel`, else `setTimeout`), so timers and I/O
 *   get their turn. Drains inside a slice are scheduled as microtasks (no latency).
 * - `spawn` never polls on the spot; it queues.
 * - The live list holds exactly the unfinished tasks. When the root of `run` finishes, every
 *   other live task is dropped (its cleanup runs) and failures nobody observed are reported.
 * - While a root is pending, the executor watches for the host's exit (exit-watch.ts): if it
 *   comes first, nothing can wake the root any more, so every live task is dropped and `run`
 *   rejects with a `DeadlockError` listing them.
 * @module
 */
import { assertFuture, type Future } from "../core/future.js";
import { claimForTask } from "../core/ownership.js";
import { Budget, macrotask } from "./budget.js";
import { DeadlockError, taskInfo } from "./deadlock.js";
import { type Executor, enterExecutor, exitExecutor, type SpawnOptions } from "./executor.js";
import { unwatchExit, watchExit } from "./exit-watch.js";
import type { JoinHandle } from "./join-handle.js";
import { LiveTasks, ReadyQueue } from "./ready-queue.js";
import { dropLiveTasks } from "./shutdown.js";
import { Task, type TaskInfo, type TaskScheduler } from "./task.js";

export type { TaskInfo } from "./task.js";

/** Receives errors nobody can await: see {@link LocalExecutorOptions.onUnhandledError}. */
export type UnhandledErrorHandler = (error: unknown, task: TaskInfo | undefined) => void;

/** Options of {@link LocalExecutor} and `run()`. */
export interface LocalExecutorOptions {
  /**
   * Called with errors nobody can await: a task failure whose handle was dropped or never
   * awaited by the time the executor shuts down, and errors raised while dropping futures.
   * @default behave like an unhandled Promise rejection in the host
   * @example
   * ```ts
   * run(main(), { onUnhandledError: (e, task) => log.error({ task: task?.name }, e) });
   * ```
   */
  onUnhandledError?: UnhandledErrorHandler;
  /**
   * Polls per slice before control goes back to the host event loop.
   * @default 1024
   */
  budgetPolls?: number;
  /**
   * Milliseconds per slice before control goes back to the host event loop.
   * @default 5
   */
  budgetMs?: number;
  /**
   * When true, wakes queue tasks but nothing drains the queue until you call
   * {@link LocalExecutor.runUntilStalled} or {@link LocalExecutor.tryRunOne} (or `run`).
   * @default false
   */
  manual?: boolean;
}

interface Root {
  readonly task: Task<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0)) {
    throw new RangeError(`LocalExecutor: ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * A single-threaded executor: tasks are polled one at a time from a FIFO ready queue, in
 * slices that hand control back to the host event loop (see the budget options).
 *
 * @example
 * ```ts
 * const ex = new LocalExecutor();
 * const total = await ex.run(future(function* () {
 *   const a = spawn(compute(1));
 *   const b = spawn(compute(2));
 *   return (yield* a) + (yield* b);
 * }));
 * ```
 *
 * @example Stepping by hand, for deterministic tests:
 * ```ts
 * const ex = new LocalExecutor({ manual: true });
 * const h = ex.spawn(future(function* () { yield* yieldNow(); return 1; }));
 * ex.tryRunOne();      // true: polled once, the task yielded
 * ex.runUntilStalled(); // polls until nothing is ready
 * h.isFinished;        // true
 * ```
 */
export class LocalExecutor implements Executor, TaskScheduler, Disposable {
  readonly #queue = new ReadyQueue();
  readonly #live = new LiveTasks();
  readonly #onUnhandled: UnhandledErrorHandler | undefined;
  readonly #budget: Budget;
  readonly #manual: boolean;
  #nextId = 1;
  #failed: Task<unknown>[] = [];
  #root: Root | undefined = undefined;
  #current: Task<unknown> | undefined = undefined;
  #draining = false;
  #drainRequested = false;
  readonly #drain = (): void => this.#runDrain();
  readonly #sink = (error: unknown): void => this.unhandled(error, this.#current);
  readonly #enterTask = (task: Task<unknown>): void => {
    this.#current = task;
  };
  readonly #onHostExit = (): void => this.#deadlock();

  constructor(options: LocalExecutorOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("LocalExecutor(options): expected an options object");
    }
    const { onUnhandledError } = options;
    if (onUnhandledError !== undefined && typeof onUnhandledError !== "function") {
      throw new TypeError("LocalExecutor: onUnhandledError must be a function");
    }
    this.#onUnhandled = onUnhandledError;
    this.#budget = new Budget(
      positive(options.budgetPolls, 1024, "budgetPolls"),
      positive(options.budgetMs, 5, "budgetMs"),
    );
    this.#manual = options.manual === true;
  }

  /**
   * Queues `fut` as a new task and returns its handle. The task is not polled on the spot.
   *
   * @example
   * ```ts
   * const handle = ex.spawn(worker(), { name: "worker" });
   * ```
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    assertFuture(fut, "spawn(fut)");
    const name = options?.name;
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError("spawn(fut, options): options.name must be a string");
    }
    claimForTask(fut, "spawn(fut)");
    const task = new Task<T>(this.#nextId++, fut, this, name);
    this.#live.add(task as Task<unknown>);
    task.start();
    return task;
  }

  /**
   * Runs `fut` as the root task and resolves with its value (or rejects with its error). When
   * the root finishes, every other task still alive on this executor is dropped. When the host
   * is about to exit with the root still pending, every task is dropped and it rejects with a
   * `DeadlockError` listing them.
   *
   * @example
   * ```ts
   * const value = await new LocalExecutor().run(main());
   * ```
   */
  run<T>(fut: Future<T>): Promise<T> {
    assertFuture(fut, "run(fut)");
    if (this.#root !== undefined) {
      return Promise.reject(
        new Error("LocalExecutor.run: this executor is already running a root future"),
      );
    }
    claimForTask(fut, "run(fut)");
    return new Promise<T>((resolve, reject) => {
      const task = new Task<T>(this.#nextId++, fut, this, "root");
      this.#root = {
        task: task as Task<unknown>,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      this.#live.add(task as Task<unknown>);
      watchExit(this.#onHostExit);
      task.start();
      this.#requestDrain();
    });
  }

  /**
   * Polls ready tasks until none is ready, without yielding to the host. Returns how many polls
   * it made.
   *
   * @example
   * ```ts
   * ex.spawn(work());
   * ex.runUntilStalled(); // work() ran until it waits on something outside
   * ```
   */
  runUntilStalled(): number {
    let polls = 0;
    const scope = enterExecutor(this, this.#sink);
    try {
      for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
        this.#current = task;
        task.runOnce();
        polls++;
      }
    } finally {
      this.#current = undefined;
      exitExecutor(scope);
    }
    return polls;
  }

  /**
   * Polls the task at the front of the ready queue, if any. Returns whether it polled one.
   *
   * @example
   * ```ts
   * while (ex.tryRunOne()) steps++;
   * ```
   */
  tryRunOne(): boolean {
    const task = this.#queue.shift();
    if (task === undefined) return false;
    const scope = enterExecutor(this, this.#sink);
    try {
      this.#current = task;
      task.runOnce();
    } finally {
      this.#current = undefined;
      exitExecutor(scope);
    }
    return true;
  }

  /**
   * A snapshot of every live task, oldest first: what to print when something hangs.
   *
   * @example
   * ```ts
   * console.table(ex.tasks()); // id, name, state, polls, waitingOn
   * ```
   */
  tasks(): TaskInfo[] {
    return this.#live.toArray().map(taskInfo);
  }

  /**
   * Drops every live task (their cleanup runs) and reports failures nobody observed.
   * Also what `[Symbol.dispose]` does.
   *
   * @example
   * ```ts
   * using ex = new LocalExecutor();
   * ex.spawn(server());
   * // leaving the scope drops the server task
   * ```
   */
  shutdown(): void {
    const scope = enterExecutor(this, this.#sink);
    try {
      // Dropping a task may spawn more (a `finally` that spawns): shutdown.ts drops them all,
      // leaving the root if it is still live.
      const cycle = dropLiveTasks(this.#live, this.#root?.task, this.#enterTask);
      if (cycle !== undefined) this.unhandled(cycle, undefined);
      const failed = this.#failed;
      this.#failed = [];
      for (const task of failed) task.reportIfUnobserved();
    } finally {
      this.#current = undefined;
      exitExecutor(scope);
    }
  }

  /** Same as {@link LocalExecutor.shutdown}. */
  [Symbol.dispose](): void {
    this.shutdown();
  }

  /** @internal TaskScheduler: a woken task enters the ready queue. */
  schedule(task: Task<unknown>): void {
    this.#queue.push(task);
    if (!this.#draining && !this.#drainRequested && (!this.#manual || this.#root !== undefined)) {
      this.#requestDrain();
    }
  }

  /** @internal TaskScheduler: a task finished. */
  finished(task: Task<unknown>): void {
    this.#live.remove(task);
    // The root's outcome is delivered by `run`'s promise, never reported as unhandled.
    if (task.failedUnobserved && task !== this.#root?.task) {
      if (this.#failed.length >= 1024)
        this.#failed = this.#failed.filter((t) => t.failedUnobserved);
      this.#failed.push(task);
    }
    if (this.#root?.task === task) this.#finishRoot();
  }

  /** @internal TaskScheduler: an error nobody can receive. */
  unhandled(error: unknown, task: Task<unknown> | undefined): void {
    const handler = this.#onUnhandled;
    if (handler === undefined) {
      void Promise.reject(error);
      return;
    }
    try {
      handler(error, task === undefined ? undefined : taskInfo(task));
    } catch (handlerError) {
      void Promise.reject(handlerError);
    }
  }

  #finishRoot(): void {
    const root = this.#root as Root;
    unwatchExit(this.#onHostExit);
    this.shutdown();
    this.#root = undefined;
    try {
      const p = root.task.takeOutcome();
      root.resolve((p as { value: unknown }).value);
    } catch (error) {
      const cause =
        (error as { isPanic?: boolean }).isPanic === true ? (error as Error).cause : error;
      root.reject(cause);
    }
  }

  /** The host is about to exit with the root still pending: drop everything and reject. */
  #deadlock(): void {
    const root = this.#root;
    if (root === undefined) return;
    const error = new DeadlockError(this.tasks());
    this.#root = undefined; // the root is dropped with the others, not finished as a root
    this.shutdown();
    root.reject(error);
  }

  #requestDrain(): void {
    if (this.#drainRequested || this.#draining) return;
    this.#drainRequested = true;
    if (this.#budget.spent) macrotask(this.#drain);
    else queueMicrotask(this.#drain);
  }

  #runDrain(): void {
    this.#drainRequested = false;
    if (this.#draining) return;
    const budget = this.#budget;
    budget.begin();
    this.#draining = true;
    const queue = this.#queue;
    const scope = enterExecutor(this, this.#sink);
    try {
      for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
        this.#current = task;
        task.runOnce();
        if (budget.spend()) break;
      }
    } finally {
      this.#current = undefined;
      this.#draining = false;
      exitExecutor(scope);
    }
    if (queue.length > 0 && (!this.#manual || this.#root !== undefined)) {
      this.#drainRequested = true;
      macrotask(this.#drain);
    }
  }
}
