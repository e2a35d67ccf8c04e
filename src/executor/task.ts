/**
 * A task: a future owned by an executor, which is at once its JoinHandle, its Waker and the
 * Context it is polled with (one object per task, nothing allocated per poll or per wake).
 *
 * States (`state`), and who moves them:
 * - IDLE: not queued, waiting for a wake. `wake()` → SCHEDULED and hands the task to the
 *   scheduler exactly once.
 * - SCHEDULED: in the scheduler's ready queue. `wake()` does nothing (a task is never queued
 *   twice). The scheduler calls `runOnce()`.
 * - RUNNING: inside `runOnce`, polling the future. `wake()` → NOTIFIED (the wake is remembered,
 *   never lost).
 * - NOTIFIED: woken while running; after the poll returns Pending the task goes back to
 *   SCHEDULED and to the queue, so it is polled once more.
 * - DONE: finished with a value, an error (panic) or cancellation. `wake()` and `abort()` do
 *   nothing; the future has been released.
 *
 * Flags: ABORT (abort requested: the next opportunity drops the future), DETACHED (the handle
 * was dropped: failures go straight to `onUnhandledError`), OBSERVED (the outcome was delivered
 * through the handle, or reported).
 * @module
 */
import type { Context } from "../core/context.js";
import { JoinError, PollAfterReadyError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { JoinHandle } from "./join-handle.js";

const IDLE = 0;
const SCHEDULED = 1;
const RUNNING = 2;
const NOTIFIED = 3;
const DONE = 4;

const VALUE = 1;
const PANIC = 2;
const CANCELLED = 3;
const OUTCOME = 3;
const ABORT = 4;
const DETACHED = 8;
const OBSERVED = 16;

/** What an executor provides to the tasks it owns. */
export interface TaskScheduler {
  /** Put `task` (now SCHEDULED) on the ready queue. Called at most once until it runs again. */
  schedule(task: Task<unknown>): void;
  /** `task` reached DONE. */
  finished(task: Task<unknown>): void;
  /** An error nobody can receive: a detached task's failure, or an error raised while dropping. */
  unhandled(error: unknown, task: Task<unknown>): void;
}

/** The state names shown by `tasks()`. */
export type TaskState = "idle" | "scheduled" | "running" | "done";

const STATE_NAMES: readonly TaskState[] = ["idle", "scheduled", "running", "running", "done"];

/** @internal */
export class Task<T> extends JoinHandle<T> implements Waker, Context {
  readonly #id: number;
  readonly name: string | undefined;
  readonly #scheduler: TaskScheduler;
  #future: Future<T> | undefined;
  #state = IDLE;
  #flags = 0;
  #result: unknown = undefined;
  #joinWaker: Waker | undefined = undefined;
  /** Number of times the future was polled. */
  polls = 0;
  /** Intrusive links owned by the scheduler's ready queue and live list. */
  nextReady: Task<unknown> | undefined = undefined;
  prevLive: Task<unknown> | undefined = undefined;
  nextLive: Task<unknown> | undefined = undefined;

  constructor(id: number, future: Future<T>, scheduler: TaskScheduler, name: string | undefined) {
    super();
    this.#id = id;
    this.#future = future;
    this.#scheduler = scheduler;
    this.name = name;
  }

  /** Queues the task for its first poll. */
  start(): void {
    this.#state = SCHEDULED;
    this.#scheduler.schedule(this as Task<unknown>);
  }

  get id(): number {
    return this.#id;
  }

  get isFinished(): boolean {
    return this.#state === DONE;
  }

  /** The task is its own context: its waker is itself. */
  get waker(): Waker {
    return this;
  }

  get state(): TaskState {
    return STATE_NAMES[this.#state] as TaskState;
  }

  /** What the task's future is waiting on, for task dumps. */
  get waitingOn(): string {
    const f = this.#future;
    if (f === undefined) return "nothing";
    try {
      return f.describe();
    } catch {
      return "unknown";
    }
  }

  get label(): string {
    return this.name === undefined ? `#${this.#id}` : `#${this.#id} (${this.name})`;
  }

  wake(): void {
    const state = this.#state;
    if (state === IDLE) {
      this.#state = SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    } else if (state === RUNNING) {
      this.#state = NOTIFIED;
    }
  }

  willWake(other: Waker): boolean {
    return other === this;
  }

  /**
   * Polls the future once (or drops it if an abort was requested). Called by the scheduler on a
   * task it took off its ready queue; a task that finished meanwhile is skipped.
   */
  runOnce(): void {
    if (this.#state !== SCHEDULED) return;
    if ((this.#flags & ABORT) !== 0) {
      this.cancel();
      return;
    }
    this.#state = RUNNING;
    this.polls++;
    let p: Poll<T>;
    try {
      p = (this.#future as Future<T>).poll(this);
    } catch (error) {
      this.#complete(PANIC, error);
      return;
    }
    if (p !== Poll.pending) {
      this.#complete(VALUE, (p as { value: T }).value);
    } else if ((this.#flags & ABORT) !== 0) {
      this.#state = SCHEDULED;
      this.cancel();
    } else if (this.#state === NOTIFIED) {
      this.#state = SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    } else {
      this.#state = IDLE;
    }
  }

  /** Drops the future now and finishes the task as cancelled (executor shutdown, abort). */
  cancel(): void {
    const state = this.#state;
    if (state === DONE) return;
    if (state === RUNNING || state === NOTIFIED) {
      this.#flags |= ABORT;
      return;
    }
    const future = this.#future as Future<T>;
    this.#state = DONE;
    this.#future = undefined;
    try {
      future.drop();
    } catch (error) {
      this.#scheduler.unhandled(error, this as Task<unknown>);
    }
    this.#finish(CANCELLED, undefined);
  }

  #complete(outcome: number, result: unknown): void {
    this.#state = DONE;
    this.#future = undefined;
    this.#finish(outcome, result);
  }

  #finish(outcome: number, result: unknown): void {
    this.#flags = (this.#flags & ~OUTCOME) | outcome;
    this.#result = result;
    if (outcome === PANIC && (this.#flags & DETACHED) !== 0) this.reportIfUnobserved();
    const waker = this.#joinWaker;
    this.#joinWaker = undefined;
    this.#scheduler.finished(this as Task<unknown>);
    waker?.wake();
  }

  /** True when the task failed and nobody has seen the error yet. */
  get failedUnobserved(): boolean {
    return (this.#flags & (OUTCOME | OBSERVED)) === PANIC;
  }

  /** Reports a failure nobody observed to `onUnhandledError`, once. */
  reportIfUnobserved(): void {
    if ((this.#flags & (OUTCOME | OBSERVED)) !== PANIC) return;
    this.#flags |= OBSERVED;
    const error = this.#result;
    this.#result = undefined;
    this.#scheduler.unhandled(error, this as Task<unknown>);
  }

  poll(cx: Context): Poll<T> {
    if (this.#state !== DONE) {
      const waker = this.#joinWaker;
      if (waker === undefined || !waker.willWake(cx.waker)) this.#joinWaker = cx.waker;
      return Poll.pending;
    }
    const flags = this.#flags;
    if ((flags & OBSERVED) !== 0) throw new PollAfterReadyError("join handle");
    this.#flags = flags | OBSERVED;
    const result = this.#result;
    this.#result = undefined;
    switch (flags & OUTCOME) {
      case VALUE:
        return { value: result as T };
      case PANIC:
        throw JoinError.panic(result, this.name ?? `#${this.#id}`);
      default:
        throw JoinError.cancelled(this.name ?? `#${this.#id}`);
    }
  }

  /** Dropping the handle detaches the task; an unobserved failure is reported now. */
  override drop(): void {
    this.#joinWaker = undefined;
    this.#flags |= DETACHED;
    if (this.#state === DONE) this.reportIfUnobserved();
  }

  abort(): void {
    const state = this.#state;
    if (state === DONE) return;
    this.#flags |= ABORT;
    if (state === IDLE) {
      this.#state = SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    }
  }

  override describe(): string {
    return `JoinHandle(${this.label})`;
  }
}
