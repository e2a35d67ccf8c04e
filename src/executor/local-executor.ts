import { assertFuture, type Future } from "../core/future.js";
import { enterExecutor, exitExecutor, hostReport, RuntimeContext } from "../core/runtime.js";
import type { Executor, SpawnOptions } from "./executor.js";
import { Handle } from "./handle.js";
import { type HostExit, hostExit, runIsolated } from "./host.js";
import { HostSlice, macrotask } from "./host-slice.js";
import type { JoinHandle } from "./join-handle.js";
import {
  type LocalExecutorOptions,
  positive,
  type UnhandledErrorHandler,
} from "./local-executor-options.js";
import { OwnedTasks, type ScheduledTask } from "./owned-tasks.js";
import { ReadyQueue } from "./ready-queue.js";
import type { TaskInfo } from "./task-info.js";

export type { LocalExecutorOptions, UnhandledErrorHandler } from "./local-executor-options.js";
export type { TaskInfo } from "./task-info.js";

interface Root {
  readonly task: JoinHandle<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The host's exit notice watching for a deadlock, where the host gives one (host.ts). */
  readonly exit: HostExit | undefined;
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
export class LocalExecutor implements Executor, Disposable {
  readonly #queue = new ReadyQueue();
  readonly #onUnhandled: UnhandledErrorHandler | undefined;
  readonly #slice: HostSlice;
  readonly #manual: boolean;
  readonly #tasks: OwnedTasks;
  readonly #runtime: RuntimeContext;
  #root: Root | undefined = undefined;
  #handle: Handle | undefined = undefined;
  #closed = false;
  #draining = false;
  #drainRequested = false;
  /** A batch of polls, outside the host context it was scheduled from (host.ts). */
  readonly #drain = (): void => runIsolated(this.#runDrain, this);
  readonly #onHostExit = (): void => this.#deadlock();

  constructor(options: LocalExecutorOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("LocalExecutor(options): expected an options object");
    }
    const { onUnhandledError, clock } = options;
    if (onUnhandledError !== undefined && typeof onUnhandledError !== "function") {
      throw new TypeError("LocalExecutor: onUnhandledError must be a function");
    }
    if (clock !== undefined && (typeof clock !== "object" || typeof clock?.now !== "function")) {
      throw new TypeError("LocalExecutor: clock must be a Clock (now() and setAlarm())");
    }
    this.#onUnhandled = onUnhandledError;
    this.#slice = new HostSlice(
      positive(options.budgetPolls, 1024, "budgetPolls"),
      positive(options.budgetMs, 5, "budgetMs"),
    );
    this.#manual = options.manual === true;
    this.#tasks = new OwnedTasks({
      schedule: this.#schedule,
      unhandled: (error, task) => this.#unhandled(error, task),
      finished: (task) => {
        if (task === this.#root?.task) this.#finishRoot();
      },
      now: clock === undefined ? undefined : () => clock.now(),
      // Only inside a drain: `runUntilStalled` and `tryRunOne` keep one poll per yield.
      repollNow: () => this.#draining && this.#queue.length === 0 && !this.#slice.spend(),
    });
    this.#runtime = new RuntimeContext(this, { onUnhandled: this.#tasks.report, clock });
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
    if (this.#closed) throw closedError("spawn");
    return this.#tasks.spawn(fut, options);
  }

  /**
   * A {@link Handle} for spawning onto this executor from outside it (host callbacks).
   *
   * @example
   * ```ts
   * const ex = new LocalExecutor();
   * process.on("message", (msg) => ex.handle.spawn(onMessage(msg)));
   * ```
   */
  get handle(): Handle {
    let handle = this.#handle;
    if (handle === undefined) {
      handle = new Handle(this);
      this.#handle = handle;
    }
    return handle;
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
    if (this.#closed) return Promise.reject(closedError("run"));
    if (this.#root !== undefined) {
      return Promise.reject(
        new Error("LocalExecutor.run: this executor is already running a root future"),
      );
    }
    const task = this.#tasks.spawnRoot(fut);
    return new Promise<T>((resolve, reject) => {
      const exit = hostExit();
      this.#root = { task, resolve: resolve as (v: unknown) => void, reject, exit };
      exit?.watch(this.#onHostExit);
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
    this.#tasks.tick();
    const previous = enterExecutor(this.#runtime);
    try {
      for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
        this.#tasks.run(task);
        polls++;
      }
    } finally {
      exitExecutor(previous);
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
    this.#tasks.tick();
    const previous = enterExecutor(this.#runtime);
    try {
      this.#tasks.run(task);
    } finally {
      exitExecutor(previous);
    }
    return true;
  }

  /**
   * A snapshot of every live task, oldest first: what to print when something hangs.
   *
   * @example
   * ```ts
   * console.table(ex.tasks()); // id, name, state, polls, waitingOn, parent, age, sinceLastPoll
   * ```
   */
  tasks(): TaskInfo[] {
    return this.#tasks.tasks();
  }

  /**
   * Drops every live task but a running root (their cleanup runs), reports failures nobody
   * observed, and closes the executor: `spawn`, `run` and its `handle` refuse new work from
   * then on. Also what `[Symbol.dispose]` does.
   *
   * @example
   * ```ts
   * using ex = new LocalExecutor();
   * ex.spawn(server());
   * // leaving the scope drops the server task
   * ```
   */
  shutdown(): void {
    this.#dropLeftovers(); // drops may spawn (a finally that spawns): those are dropped too
    this.#closed = true;
  }

  /** True once {@link LocalExecutor.shutdown} was called (or the `run()` that made it ended). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Drops every live task but a running root, inside this executor's runtime context. */
  #dropLeftovers(): void {
    const previous = enterExecutor(this.#runtime);
    try {
      this.#tasks.shutdown();
    } finally {
      exitExecutor(previous);
    }
  }

  /** Same as {@link LocalExecutor.shutdown}. */
  [Symbol.dispose](): void {
    this.shutdown();
  }

  /** A woken task enters the ready queue (called by every wake: kept to one call). */
  readonly #schedule = (task: ScheduledTask): void => {
    this.#queue.push(task);
    if (!this.#draining && !this.#drainRequested && (!this.#manual || this.#root !== undefined)) {
      this.#requestDrain();
    }
  };

  /** An error nobody can receive. */
  #unhandled(error: unknown, task: TaskInfo | undefined): void {
    const handler = this.#onUnhandled;
    if (handler === undefined) {
      hostReport(error);
      return;
    }
    try {
      handler(error, task);
    } catch (handlerError) {
      hostReport(handlerError);
    }
  }

  #finishRoot(): void {
    const root = this.#root as Root;
    root.exit?.unwatch(this.#onHostExit);
    this.#dropLeftovers();
    this.#root = undefined;
    if (ONE_SHOT.has(this)) this.#closed = true;
    let value: unknown;
    try {
      value = this.#tasks.takeOutcome(root.task);
    } catch (error) {
      root.reject(error);
      return;
    }
    root.resolve(value);
  }

  /** The host is about to exit with the root still pending: drop everything and reject. */
  #deadlock(): void {
    const root = this.#root;
    if (root === undefined) return;
    // Only an exit notice calls this, so the root was watched through one.
    const error = (root.exit as HostExit).deadlock(this.tasks());
    this.#root = undefined; // the root is dropped with the others, not finished as a root
    if (ONE_SHOT.has(this)) this.#closed = true;
    const previous = enterExecutor(this.#runtime);
    try {
      this.#tasks.shutdownAll();
    } finally {
      exitExecutor(previous);
    }
    root.reject(error);
  }

  #requestDrain(): void {
    if (this.#drainRequested || this.#draining) return;
    this.#drainRequested = true;
    if (this.#slice.spent) macrotask(this.#drain);
    else queueMicrotask(this.#drain);
  }

  #runDrain(): void {
    this.#drainRequested = false;
    if (this.#draining) return;
    const slice = this.#slice;
    slice.begin();
    this.#draining = true;
    const queue = this.#queue;
    const tasks = this.#tasks;
    tasks.tick();
    const previous = enterExecutor(this.#runtime);
    try {
      for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
        tasks.run(task);
        if (slice.spend()) break;
      }
    } finally {
      this.#draining = false;
      exitExecutor(previous);
    }
    if (queue.length > 0 && (!this.#manual || this.#root !== undefined)) {
      this.#drainRequested = true;
      macrotask(this.#drain);
    }
  }
}

/** Executors made by the free `run()`: closed once their root ends (see `closeAfterRun`). */
const ONE_SHOT = new WeakSet<LocalExecutor>();

/** @internal Marks `ex` as made for one `run()`: it closes when that root ends. */
export function closeAfterRun(ex: LocalExecutor): LocalExecutor {
  ONE_SHOT.add(ex);
  return ex;
}

function closedError(verb: string): Error {
  return new Error(
    `LocalExecutor.${verb}: this executor was shut down (or the run() that made it ended); ` +
      "spawn into a running executor instead",
  );
}
