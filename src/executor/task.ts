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
 * through the handle, or reported), SUPERVISED (a `JoinSet` delivers the outcome too, so a
 * dropped handle does not report a failure at once) and HANDLED (the `JoinSet` delivered the
 * failure: it is never reported as unhandled).
 *
 * Inline bodies: a task spawned with an async block nobody has polled takes the block's body
 * and runs it itself (INLINE), as tokio keeps a task's future inline in the task cell: one
 * object fewer per task. `#slot` then holds the body, then (STARTED) its generator; `#aux` holds
 * the arguments, then the future the body awaits. Otherwise `#slot` holds the future and `#aux`
 * is unused. Either way `#slot` holds the value or error once DONE.
 * @module
 */
import { type BlockHost, moveBlock } from "../core/async-block.js";
import {
  type AsyncGenerator,
  type Body,
  type BodyReady,
  continueBody,
  describeUnstarted,
  dropBody,
  resumeBody,
  startBody,
} from "../core/block-body.js";
import type { Context } from "../core/context.js";
import { beginTaskBudget, endTaskBudget, proceed, tryProceed } from "../core/coop.js";
import { JoinError, PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { JoinHandle } from "./join-handle.js";

// `#bits` packs the state (low 3 bits), the outcome once DONE (2 bits) and the flags, so that
// a parked task stays small.
const IDLE = 0;
const SCHEDULED = 1;
const RUNNING = 2;
const NOTIFIED = 3;
const DONE = 4;
const STATE = 7;

const VALUE = 8;
const PANIC = 16;
const CANCELLED = 24;
const OUTCOME = 24;
const ABORT = 32;
const DETACHED = 64;
const OBSERVED = 128;
const INLINE = 256;
const STARTED = 512;
const SUPERVISED = 1024;
const HANDLED = 2048;
/** A failure nobody has seen: PANIC without OBSERVED or HANDLED. */
const UNSEEN = OUTCOME | OBSERVED | HANDLED;
/** An inline body's argument shape (block-body.ts) sits above the flags. */
const SHAPE_SHIFT = 12;

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

/** A snapshot of one task, as listed by {@link LocalExecutor.tasks}. */
export interface TaskInfo {
  /** Unique id within the executor. */
  readonly id: number;
  /** The name given at spawn, if any. */
  readonly name: string | undefined;
  /** `"idle"` (waiting for a wake), `"scheduled"` (queued), `"running"` or `"done"`. */
  readonly state: TaskState;
  /** How many times the task's future has been polled. */
  readonly polls: number;
  /** What the task's future is waiting on (from `Future#describe`). */
  readonly waitingOn: string;
}

const STATE_NAMES: readonly TaskState[] = ["idle", "scheduled", "running", "running", "done"];

/** @internal */
export class Task<T> extends JoinHandle<T> implements Waker, Context, BlockHost {
  /** The id, or `{ id, name }` for a named task (one slot, since most tasks are unnamed). */
  readonly #ident: number | { readonly id: number; readonly name: string };
  readonly #scheduler: TaskScheduler;
  /** The future (or inline body, then generator) while the task runs; its outcome once DONE. */
  #slot: unknown;
  /** An inline body's arguments, then the future it awaits. */
  #aux: unknown = undefined;
  #bits = IDLE;
  #joinWaker: Waker | undefined = undefined;
  /** Number of times the future was polled. */
  polls = 0;
  /** Intrusive links owned by the scheduler's live list. */
  prevLive: Task<unknown> | undefined = undefined;
  nextLive: Task<unknown> | undefined = undefined;

  constructor(id: number, future: Future<T>, scheduler: TaskScheduler, name: string | undefined) {
    super();
    this.#ident = name === undefined ? id : { id, name };
    this.#scheduler = scheduler;
    if (!moveBlock(future as Future<unknown>, this)) this.#slot = future;
  }

  /** @internal BlockHost: the async block we were spawned with hands us its body. */
  adoptBody(body: Body<unknown>, shape: number, args: unknown): void {
    this.#slot = body;
    this.#aux = args;
    this.#bits |= INLINE | (shape << SHAPE_SHIFT);
  }

  /** Queues the task for its first poll. */
  start(): void {
    this.#bits = (this.#bits & ~STATE) | SCHEDULED;
    this.#scheduler.schedule(this as Task<unknown>);
  }

  get id(): number {
    const ident = this.#ident;
    return typeof ident === "number" ? ident : ident.id;
  }

  /** The name given at spawn, if any. */
  get name(): string | undefined {
    const ident = this.#ident;
    return typeof ident === "number" ? undefined : ident.name;
  }

  get isFinished(): boolean {
    return (this.#bits & STATE) === DONE;
  }

  /** The task is its own context: its waker is itself. */
  get waker(): Waker {
    return this;
  }

  get state(): TaskState {
    return STATE_NAMES[this.#bits & STATE] as TaskState;
  }

  /** What the task's future is waiting on, for task dumps. */
  get waitingOn(): string {
    const bits = this.#bits;
    if ((bits & STATE) === DONE) return "nothing";
    try {
      if ((bits & INLINE) === 0) return (this.#slot as Future<T>).describe();
      if ((bits & STARTED) === 0) return describeUnstarted(this.#slot as Body<unknown>);
      return this.#aux instanceof Future ? this.#aux.describe() : "running";
    } catch {
      return "unknown";
    }
  }

  get label(): string {
    const ident = this.#ident;
    return typeof ident === "number" ? `#${ident}` : `#${ident.id} (${ident.name})`;
  }

  wake(): void {
    const bits = this.#bits;
    const state = bits & STATE;
    if (state === IDLE) {
      this.#bits = bits | SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    } else if (state === RUNNING) {
      this.#bits = bits + (NOTIFIED - RUNNING);
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
    const bits = this.#bits;
    if ((bits & STATE) !== SCHEDULED) return;
    if ((bits & ABORT) !== 0) {
      this.cancel();
      return;
    }
    this.#bits = bits + (RUNNING - SCHEDULED);
    this.polls++;
    let p: Poll<T>;
    beginTaskBudget();
    try {
      p = (bits & INLINE) === 0 ? (this.#slot as Future<T>).poll(this) : this.stepBody_();
    } catch (error) {
      endTaskBudget();
      this.finish_(PANIC, error);
      return;
    }
    endTaskBudget();
    if (p !== Poll.pending) {
      this.finish_(VALUE, (p as { value: T }).value);
      return;
    }
    const after = this.#bits;
    if ((after & ABORT) !== 0) {
      this.#bits = (after & ~STATE) | SCHEDULED;
      this.cancel();
    } else if ((after & STATE) === NOTIFIED) {
      this.#bits = (after & ~STATE) | SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    } else {
      this.#bits = after & ~STATE;
    }
  }

  /** Polls an inline body: starts it on the first poll, else continues it. */
  private stepBody_(): Poll<T> {
    const bits = this.#bits;
    let step: BodyReady<T> | Future<unknown>;
    if ((bits & STARTED) === 0) {
      const args = this.#aux;
      this.#aux = undefined;
      this.#bits = bits | STARTED;
      const gen = startBody(this.#slot as Body<T>, bits >>> SHAPE_SHIFT, args);
      this.#slot = gen;
      step = resumeBody(gen, this, undefined, false);
    } else {
      const awaited = this.#aux as Future<unknown>;
      this.#aux = undefined;
      step = continueBody(this.#slot as AsyncGenerator<T>, awaited, this);
    }
    if (step instanceof Future) {
      this.#aux = step;
      return Poll.pending;
    }
    return step;
  }

  /** Drops the future now and finishes the task as cancelled (executor shutdown, abort). */
  cancel(): void {
    const bits = this.#bits;
    const state = bits & STATE;
    if (state === DONE) return;
    if (state === RUNNING || state === NOTIFIED) {
      this.#bits = bits | ABORT;
      return;
    }
    const slot = this.#slot;
    const aux = this.#aux;
    this.#bits = (bits & ~STATE) | DONE;
    this.#slot = undefined;
    this.#aux = undefined;
    if ((bits & INLINE) === 0) {
      try {
        (slot as Future<T>).drop();
      } catch (error) {
        this.#scheduler.unhandled(error, this as Task<unknown>);
      }
    } else if ((bits & STARTED) !== 0) {
      dropBody(slot as AsyncGenerator<T>, aux as Future<unknown> | undefined);
    }
    this.finish_(CANCELLED, undefined);
  }

  /**
   * Finishes the task as cancelled *without* dropping its future, whose cleanup therefore does
   * not run: only for a shutdown whose drops keep spawning tasks (shutdown.ts). A task that is
   * polling right now is left alone.
   */
  abandon(): void {
    const state = this.#bits & STATE;
    if (state === DONE || state === RUNNING || state === NOTIFIED) return;
    this.finish_(CANCELLED, undefined);
  }

  private finish_(outcome: number, result: unknown): void {
    const bits = (this.#bits & ~(STATE | OUTCOME)) | DONE | outcome;
    this.#bits = bits;
    this.#slot = result;
    this.#aux = undefined;
    if (outcome === PANIC && (bits & (DETACHED | SUPERVISED)) === DETACHED) {
      this.reportIfUnobserved();
    }
    const waker = this.#joinWaker;
    this.#joinWaker = undefined;
    this.#scheduler.finished(this as Task<unknown>);
    waker?.wake();
  }

  /** True when the task failed and nobody has seen the error yet. */
  get failedUnobserved(): boolean {
    return (this.#bits & UNSEEN) === PANIC;
  }

  /** Reports a failure nobody observed to `onUnhandledError`, once. */
  reportIfUnobserved(): void {
    if ((this.#bits & UNSEEN) !== PANIC) return;
    this.#bits |= OBSERVED;
    const error = this.#slot;
    this.#slot = undefined;
    this.#scheduler.unhandled(error, this as Task<unknown>);
  }

  /**
   * `yield* handle` on a finished task takes its outcome at once, while the awaiting task's
   * cooperative budget lasts (core/coop.ts); otherwise the handle is polled as usual.
   */
  override pollNow(): Poll<T> | undefined {
    return (this.#bits & STATE) === DONE && tryProceed() ? this.takeOutcome() : undefined;
  }

  poll(cx: Context): Poll<T> {
    if ((this.#bits & STATE) !== DONE) {
      const waker = this.#joinWaker;
      if (waker === undefined || !waker.willWake(cx.waker)) this.#joinWaker = cx.waker;
      return Poll.pending;
    }
    // Finished: hand over the outcome, unless the awaiting task must yield first.
    return proceed(cx) ? this.takeOutcome() : Poll.pending;
  }

  /**
   * @internal Delivers the outcome of a finished task, once: its value, or a `JoinError`
   * thrown. Executors read their root's outcome this way, whatever the budget.
   */
  takeOutcome(): Poll<T> {
    const bits = this.#bits;
    if ((bits & STATE) !== DONE) throw new Error("takeOutcome: the task has not finished");
    if ((bits & OBSERVED) !== 0) throw new PollAfterReadyError("join handle");
    this.#bits = bits | OBSERVED;
    const result = this.#slot;
    this.#slot = undefined;
    switch (bits & OUTCOME) {
      case VALUE:
        return { value: result as T };
      case PANIC:
        throw JoinError.panic(result, this.name ?? `#${this.id}`);
      default:
        throw JoinError.cancelled(this.name ?? `#${this.id}`);
    }
  }

  /** Dropping the handle detaches the task; an unobserved failure is reported now. */
  override drop(): void {
    this.#joinWaker = undefined;
    const bits = this.#bits | DETACHED;
    this.#bits = bits;
    if ((bits & (STATE | SUPERVISED)) === DONE) this.reportIfUnobserved();
  }

  /** @internal A `JoinSet` delivers this task's outcome too (see the SUPERVISED flag). */
  supervise(): void {
    this.#bits |= SUPERVISED;
  }

  /** @internal The `JoinSet` delivered this task's failure: never report it as unhandled. */
  markHandled(): void {
    this.#bits |= HANDLED;
  }

  abort(): void {
    const bits = this.#bits;
    const state = bits & STATE;
    if (state === DONE) return;
    this.#bits = bits | ABORT;
    if (state === IDLE) {
      this.#bits = bits | ABORT | SCHEDULED;
      this.#scheduler.schedule(this as Task<unknown>);
    }
  }

  override describe(): string {
    return `JoinHandle(${this.label})`;
  }
}
