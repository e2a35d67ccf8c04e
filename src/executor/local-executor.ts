import { assertFuture, type Future } from "../core/future.js";
import type { Executor, SpawnOptions } from "./executor.js";
import { Handle } from "./handle.js";
import { type HostExit, hostExit } from "./host.js";
import type { JoinHandle } from "./join-handle.js";
import { type LocalExecutorOptions, positive } from "./local-executor-options.js";
import { LocalLoop } from "./local-loop.js";
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
  /** The ready queue, its drains and the task set (local-loop.ts). */
  readonly #loop: LocalLoop;
  #root: Root | undefined = undefined;
  #handle: Handle | undefined = undefined;
  #closed = false;
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
    this.#loop = new LocalLoop(this, {
      budgetPolls: positive(options.budgetPolls, 1024, "budgetPolls"),
      budgetMs: positive(options.budgetMs, 5, "budgetMs"),
      manual: options.manual === true,
      clock,
      onUnhandled: onUnhandledError,
      onRootFinished: () => this.#finishRoot(),
    });
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
    return this.#loop.tasks.spawn(fut, options);
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
    const loop = this.#loop;
    const task = loop.tasks.spawnRoot(fut);
    return new Promise<T>((resolve, reject) => {
      const exit = hostExit();
      this.#root = { task, resolve: resolve as (v: unknown) => void, reject, exit };
      loop.root = task;
      exit?.watch(this.#onHostExit);
      loop.requestDrain();
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
    return this.#loop.runUntilStalled();
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
    return this.#loop.tryRunOne();
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
    return this.#loop.tasks.tasks();
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
    this.#loop.dropTasks(false); // drops may spawn (a finally that spawns): those are dropped too
    this.#closed = true;
  }

  /** True once {@link LocalExecutor.shutdown} was called (or the `run()` that made it ended). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Same as {@link LocalExecutor.shutdown}. */
  [Symbol.dispose](): void {
    this.shutdown();
  }

  #finishRoot(): void {
    const root = this.#root as Root;
    root.exit?.unwatch(this.#onHostExit);
    this.#loop.dropTasks(false);
    this.#root = undefined;
    this.#loop.root = undefined;
    if (ONE_SHOT.has(this)) this.#closed = true;
    let value: unknown;
    try {
      value = this.#loop.tasks.takeOutcome(root.task);
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
    this.#loop.root = undefined;
    if (ONE_SHOT.has(this)) this.#closed = true;
    this.#loop.dropTasks(true);
    root.reject(error);
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
