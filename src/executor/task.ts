/**
 * A task: a future owned by an executor, which is at once its JoinHandle, its Waker and the
 * Context it is polled with (one object per task, nothing allocated per poll or per wake).
 *
 * The state word `#bits` (lifecycle state, outcome, flags) and its named transitions are in
 * task-state.ts, with the state machine written out.
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
  type YieldHost,
} from "../core/block-body.js";
import type { Context } from "../core/context.js";
import { beginTaskBudget, endTaskBudget, proceed, tryProceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { type Future, isFuture } from "../core/future.js";
import type { Linked } from "../core/intrusive-list.js";
import { Poll } from "../core/poll.js";
import { RT } from "../core/runtime.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import { runInHost } from "./host.js";
import { JoinError } from "./join-error.js";
import { JoinHandle } from "./join-handle.js";
import type { TaskHome } from "./task-home.js";
import {
  ABORT,
  CANCELLED,
  DETACHED,
  HANDLED,
  IDLE,
  INLINE,
  isDone,
  isPolling,
  isScheduled,
  mustQueue,
  OBSERVED,
  OUTCOME,
  onWake,
  PANIC,
  SHAPE_SHIFT,
  STARTED,
  SUPERVISED,
  stateName,
  type TaskState,
  toAborting,
  toDone,
  toIdle,
  toRepolled,
  toRunning,
  toScheduled,
  UNSEEN,
  VALUE,
} from "./task-state.js";

type Home = TaskHome<Task<unknown>>; // what tasks spawned together share (task-home.ts)

/** @internal */
export class Task<T> extends JoinHandle<T> implements Waker, Context, BlockHost, YieldHost {
  /** Its scheduler, what it inherited, who spawned it and when (see {@link TaskHome}). */
  readonly #home: Home;
  /** The id, or `{ id, name }` for a named task (one slot, since most tasks are unnamed). */
  readonly #ident: number | { readonly id: number; readonly name: string };
  /** The future (or inline body, then generator) while the task runs; its outcome once DONE. */
  #slot: unknown;
  /** An inline body's arguments, then the future it awaits. */
  #aux: unknown = undefined;
  #bits: number = IDLE;
  #joinWaker: Waker | undefined = undefined;
  /** Number of times the future was polled. */
  polls = 0;
  /** Task-dump stamp (owned-tasks.ts): the owner's clock in whole ms at the latest poll. */
  polledAt = 0;
  /** @internal Intrusive links owned by the executor's live list (an `IntrusiveList`). */
  linkPrev: Linked | undefined = undefined;
  /** @internal */
  linkNext: Linked | undefined = undefined;

  constructor(id: number, future: Future<T>, home: Home, name: string | undefined) {
    super();
    this.#ident = name === undefined ? id : { id, name };
    this.#home = home;
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
    this.#bits = toScheduled(this.#bits);
    this.#home.scheduler.schedule(this as Task<unknown>);
  }

  /** Who spawned the task (`parent`: a task id, or 0) and when (`spawnedAt`), for task dumps. */
  get home(): Home {
    return this.#home;
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
    return isDone(this.#bits);
  }

  /** The task is its own context: its waker is itself. */
  get waker(): Waker {
    return this;
  }

  get state(): TaskState {
    return stateName(this.#bits);
  }

  /** What the task's future is waiting on, for task dumps. */
  get waitingOn(): string {
    const bits = this.#bits;
    if (isDone(bits)) return "nothing";
    try {
      if ((bits & INLINE) === 0) return (this.#slot as Future<T>).describe();
      if ((bits & STARTED) === 0) return describeUnstarted(this.#slot as Body<unknown>);
      return isFuture(this.#aux) ? this.#aux.describe() : "running";
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
    const next = onWake(bits);
    this.#bits = next;
    if (mustQueue(bits, next)) this.#home.scheduler.schedule(this as Task<unknown>);
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
    if (!isScheduled(bits)) return;
    if ((bits & ABORT) !== 0) {
      this.cancel();
      return;
    }
    this.#bits = toRunning(bits);
    this.polls++;
    const scope = this.#home.scope;
    const outer = RT.scope;
    RT.scope = scope;
    let p: Poll<T>;
    beginTaskBudget();
    try {
      p =
        scope.host === undefined
          ? this.pollFuture_()
          : runInHost(scope.host, this.pollFuture_, this);
    } catch (error) {
      endTaskBudget();
      RT.scope = outer;
      this.finish_(PANIC, error);
      return;
    }
    endTaskBudget();
    RT.scope = outer;
    if (p !== Poll.pending) {
      this.finish_(VALUE, (p as { value: T }).value);
      return;
    }
    const after = toIdle(this.#bits);
    this.#bits = after;
    if ((after & ABORT) !== 0) this.cancel();
    else if (isScheduled(after)) this.#home.scheduler.schedule(this as Task<unknown>);
  }

  /** Polls the future (or the inline body) once. */
  private pollFuture_(): Poll<T> {
    return (this.#bits & INLINE) === 0 ? (this.#slot as Future<T>).poll(this) : this.stepBody_();
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
      step = resumeBody(gen, this, undefined, false, this);
    } else {
      const awaited = this.#aux as Future<unknown>;
      this.#aux = undefined;
      step = continueBody(this.#slot as AsyncGenerator<T>, awaited, this, this);
    }
    if (isFuture(step)) {
      this.#aux = step;
      return Poll.pending;
    }
    return step;
  }

  /**
   * @internal YieldHost: the inline body yielded. Go on at once when the executor would poll
   * this task next anyway; the repoll counts as a poll (fresh coop budget, `polls + 1`).
   */
  yieldInPlace(): boolean {
    const bits = this.#bits;
    if ((bits & ABORT) !== 0 || this.#home.scheduler.repollNow?.() !== true) return false;
    this.#bits = toRepolled(bits);
    this.polls++;
    beginTaskBudget();
    return true;
  }

  /** Drops the future now and finishes the task as cancelled (executor shutdown, abort). */
  cancel(): void {
    const bits = this.#bits;
    if (isDone(bits)) return;
    if (isPolling(bits)) {
      this.#bits = bits | ABORT;
      return;
    }
    const slot = this.#slot;
    const aux = this.#aux;
    this.#bits = toDone(bits, CANCELLED);
    this.#slot = undefined;
    this.#aux = undefined;
    // Cleanup runs in the task's scope too: a `finally` that logs sees the request's context.
    const scope = this.#home.scope;
    const outer = RT.scope;
    RT.scope = scope;
    try {
      if (scope.host === undefined) this.dropFuture_(bits, slot, aux);
      else runInHost(scope.host, () => this.dropFuture_(bits, slot, aux), this);
    } finally {
      RT.scope = outer;
    }
    this.finish_(CANCELLED, undefined);
  }

  private dropFuture_(bits: number, slot: unknown, aux: unknown): void {
    if ((bits & INLINE) === 0) {
      try {
        (slot as Future<T>).drop();
      } catch (error) {
        this.#home.owner.unhandled(error, this as Task<unknown>);
      }
    } else if ((bits & STARTED) !== 0) {
      dropBody(slot as AsyncGenerator<T>, aux as Future<unknown> | undefined);
    }
  }

  /**
   * Finishes the task as cancelled *without* dropping its future, whose cleanup therefore does
   * not run: only for a shutdown whose drops keep spawning tasks (shutdown.ts). A task that is
   * polling right now is left alone.
   */
  abandon(): void {
    const bits = this.#bits;
    if (isDone(bits) || isPolling(bits)) return;
    this.finish_(CANCELLED, undefined);
  }

  private finish_(outcome: number, result: unknown): void {
    const current = this.#bits;
    // `cancel` has already moved the word to DONE(CANCELLED) before dropping the future.
    const bits = isDone(current) ? current : toDone(current, outcome);
    this.#bits = bits;
    this.#slot = result;
    this.#aux = undefined;
    if (outcome === PANIC && (bits & (DETACHED | SUPERVISED)) === DETACHED) {
      this.reportIfUnobserved();
    }
    const waker = this.#joinWaker;
    this.#joinWaker = undefined;
    this.#home.owner.finished(this as Task<unknown>);
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
    this.#home.owner.unhandled(error, this as Task<unknown>);
  }

  /**
   * `yield* handle` on a finished task takes its outcome at once, while the awaiting task's
   * cooperative budget lasts (core/coop.ts); otherwise the handle is polled as usual.
   */
  override pollNow(): Poll<T> | undefined {
    return isDone(this.#bits) && tryProceed() ? this.takeOutcome() : undefined;
  }

  poll(cx: Context): Poll<T> {
    if (!isDone(this.#bits)) {
      const waker = this.#joinWaker;
      this.#joinWaker = registerWaker(waker, cx);
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
    if (!isDone(bits)) throw new Error("takeOutcome: the task has not finished");
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
    if (isDone(bits) && (bits & SUPERVISED) === 0) this.reportIfUnobserved();
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
    const next = toAborting(bits);
    this.#bits = next;
    if (mustQueue(bits, next)) this.#home.scheduler.schedule(this as Task<unknown>);
  }

  override describe(): string {
    return `JoinHandle(${this.label})`;
  }
}
