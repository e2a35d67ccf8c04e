/**
 * `TaskTracker` (tokio-util's): counts tasks so a shutdown can wait for them, without keeping
 * their outcomes (use a `JoinSet` for those). The graceful shutdown sequence is: cancel a
 * `CancellationToken`, `close()` the tracker, `wait()` for the tasks to finish their async
 * cleanup under a deadline, then drop what is left.
 *
 * Invariants:
 * - `count` is the number of tracked futures that exist and have not finished: it goes up
 *   when `track` (or `spawn`) wraps a future, and down exactly once per wrapper, at its final
 *   poll (value or error) or at its drop, whichever comes first.
 * - `wait()` futures are queued in `waiters` only while they wait. They are all woken each time
 *   the tracker becomes closed-and-empty (the count reaching 0 while closed, or `close()` with
 *   a count of 0); a woken waiter re-checks, so a `reopen()` before it runs keeps it waiting.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { assertFuture, Future } from "../core/future.js";
import { IntrusiveList, type Linked } from "../core/intrusive-list.js";
import { assertUnowned } from "../core/ownership.js";
import { Poll, READY_VOID } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import { currentExecutor, type Executor, type SpawnOptions } from "../executor/executor.js";
import type { JoinHandle } from "../executor/join-handle.js";

/** A tracker's state, shared with its wrappers and waiters; never reachable from user code. */
class TrackerState {
  count = 0;
  closed = false;
  readonly waiters = new IntrusiveList<Wait>();

  get done(): boolean {
    return this.closed && this.count === 0;
  }

  release(): void {
    if (--this.count === 0 && this.closed) this.wakeAll();
  }

  wakeAll(): void {
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) w.wake();
  }
}

class Tracked<T> extends Future<T> {
  #inner: Future<T> | undefined;
  readonly #state: TrackerState;

  constructor(inner: Future<T>, state: TrackerState) {
    super();
    this.#inner = inner;
    this.#state = state;
    state.count++;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === undefined) throw new PollAfterReadyError("tracked future");
    let p: Poll<T>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#finish();
      throw error;
    }
    if (p !== Poll.pending) this.#finish();
    return p;
  }

  override drop(): void {
    const inner = this.#inner;
    if (inner === undefined) return;
    try {
      inner.drop();
    } finally {
      this.#finish();
    }
  }

  override describe(): string {
    return this.#inner?.describe() ?? "tracked future (done)";
  }

  #finish(): void {
    if (this.#inner === undefined) return;
    this.#inner = undefined;
    this.#state.release();
  }
}

class Wait extends Future<void> implements Linked {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  readonly #state: TrackerState;
  #waker: Waker | undefined = undefined;
  #finished = false;

  constructor(state: TrackerState) {
    super();
    this.#state = state;
  }

  poll(cx: Context): Poll<void> {
    if (this.#finished) throw new PollAfterReadyError("TaskTracker.wait()");
    const state = this.#state;
    if (state.done) {
      if (!proceed(cx)) return Poll.pending;
      state.waiters.remove(this);
      this.#finished = true;
      this.#waker = undefined;
      return READY_VOID;
    }
    const waker = this.#waker;
    this.#waker = registerWaker(waker, cx);
    if (!state.waiters.contains(this)) state.waiters.push(this);
    return Poll.pending;
  }

  wake(): void {
    const waker = this.#waker;
    this.#waker = undefined;
    waker?.wake();
  }

  override drop(): void {
    this.#state.waiters.remove(this);
    this.#waker = undefined;
    this.#finished = true;
  }

  override describe(): string {
    const s = this.#state;
    return `TaskTracker.wait() (${s.count} tasks, ${s.closed ? "closed" : "open"})`;
  }
}

/**
 * Tracks tasks so that a shutdown can wait for all of them: `wait()` completes once the
 * tracker is closed and every tracked task has finished (with a value, an error, or by being
 * dropped). Unlike a `JoinSet` it keeps no outcomes, so it suits long-lived servers that spawn
 * a task per request.
 *
 * @example Graceful shutdown: cancel, let tasks clean up, wait under a deadline.
 * ```ts
 * import { CancellationToken, future, run, sleep, TaskTracker, timeout } from "wakeful";
 *
 * const shutdown = new CancellationToken();
 * await run(future(function* () {
 *   const tracker = new TaskTracker();
 *   for (let i = 0; i < 3; i++) {
 *     tracker.spawn(future(function* () {
 *       yield* shutdown.cancelled();
 *       yield* sleep(10); // async cleanup, as an ordinary task
 *     }));
 *   }
 *   shutdown.cancel("SIGTERM");
 *   tracker.close();
 *   yield* timeout(5_000, tracker.wait()); // then run() drops whatever is left
 * }));
 * ```
 */
export class TaskTracker {
  readonly #executor: Executor | undefined;
  readonly #state = new TrackerState();

  /**
   * @param executor where `spawn` puts tasks; by default the executor polling the caller.
   */
  constructor(executor?: Executor) {
    if (
      executor !== undefined &&
      (executor === null || typeof executor !== "object" || typeof executor.spawn !== "function")
    ) {
      throw new TypeError("new TaskTracker(executor): expected an Executor or nothing");
    }
    this.#executor = executor;
  }

  /**
   * How many tracked futures have not finished yet.
   *
   * @example
   * ```ts
   * log.info(`draining ${tracker.size} requests`);
   * ```
   */
  get size(): number {
    return this.#state.count;
  }

  /**
   * True once {@link TaskTracker.close} was called (and not undone by `reopen`).
   *
   * @example
   * ```ts
   * if (tracker.isClosed) return refuse(res);
   * ```
   */
  get isClosed(): boolean {
    return this.#state.closed;
  }

  /**
   * Spawns `fut` as a tracked task, on the tracker's executor or the current one, and returns
   * its handle. Dropping the handle detaches the task; it stays tracked until it finishes.
   * Spawning into a closed tracker is allowed (as in tokio): closing only means `wait()` may
   * complete once the count reaches zero.
   *
   * @example
   * ```ts
   * tracker.spawn(serve(conn), { name: `conn ${conn.id}` });
   * ```
   */
  spawn<T>(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    assertFuture(fut, "TaskTracker.spawn(fut)");
    const executor = this.#executor ?? currentExecutor();
    if (executor === undefined) {
      throw new Error(
        "TaskTracker.spawn() was called outside an executor: pass an executor to " +
          "new TaskTracker(executor), or spawn tracker.track(fut) through a Handle",
      );
    }
    return executor.spawn(this.track(fut), options);
  }

  /**
   * Wraps `fut` so the tracker counts it from now until it finishes or is dropped; spawn the
   * result anywhere, e.g. through a `Handle` from a host callback. A wrapper that is never
   * polled to the end nor dropped keeps the tracker busy.
   *
   * Cancel safety: as safe as `fut`; dropping the wrapper drops `fut` and stops counting it.
   *
   * @example
   * ```ts
   * server.on("request", (req, res) => handle.spawn(tracker.track(serve(req, res))));
   * ```
   */
  track<T>(fut: Future<T>): Future<T> {
    assertUnowned(fut, "TaskTracker.track(fut)");
    return new Tracked(fut, this.#state);
  }

  /**
   * Closes the tracker, so that `wait()` completes once no tracked task is left. Returns true
   * if it was open.
   *
   * @example
   * ```ts
   * tracker.close();
   * yield* tracker.wait();
   * ```
   */
  close(): boolean {
    const state = this.#state;
    if (state.closed) return false;
    state.closed = true;
    if (state.count === 0) state.wakeAll();
    return true;
  }

  /**
   * Opens a closed tracker again; pending `wait()` futures keep waiting. Returns true if it
   * was closed.
   *
   * @example
   * ```ts
   * tracker.reopen(); // a new generation of workers
   * ```
   */
  reopen(): boolean {
    const state = this.#state;
    if (!state.closed) return false;
    state.closed = false;
    return true;
  }

  /**
   * A future that completes once the tracker is closed and every tracked task has finished;
   * at once if that is already so. Put it under `timeout` for a shutdown deadline.
   *
   * Cancel safety: safe. Dropping it only stops waiting; the tracker is unchanged.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget.
   *
   * @example
   * ```ts
   * tracker.close();
   * yield* timeout(10_000, tracker.wait());
   * ```
   */
  wait(): Future<void> {
    return new Wait(this.#state);
  }
}
