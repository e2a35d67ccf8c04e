/**
 * The ready queue of a `LocalExecutor`, and the drains that empty it: what the executor does
 * between a wake and a poll. The executor keeps its public API (run, spawn, shutdown) and the
 * root's promise; this loop keeps the queue, the host time slice and the task set.
 *
 * Invariants:
 * - It is the executor's `TaskHooks`: tasks call `schedule` and `repollNow` as methods of this
 *   one class, a monomorphic call on every wake (a closure there cost about 4% of a task switch).
 * - At most one drain is requested at a time, and none while one runs: a microtask, or a
 *   macrotask once the host time slice is spent, so timers and I/O get their turn. A manual
 *   loop requests drains only while a root runs; otherwise it is stepped by hand.
 * - A drain polls tasks in FIFO order inside the executor's runtime context, outside any host
 *   context it was requested from (host.ts), until the queue is empty or the slice is spent.
 * - A task may go on in place after a yield (`repollNow`) only inside a drain, with nothing else
 *   ready and room in the slice: stepping by hand keeps one poll per yield.
 * @module
 */
import type { Clock } from "../core/clock.js";
import {
  enterExecutor,
  exitExecutor,
  hostReport,
  RuntimeContext,
  withExecutor,
} from "../core/runtime.js";
import type { Executor } from "./executor.js";
import { runIsolated } from "./host.js";
import { HostSlice, macrotask } from "./host-slice.js";
import type { UnhandledErrorHandler } from "./local-executor-options.js";
import { OwnedTasks, type ScheduledTask, type TaskHooks } from "./owned-tasks.js";
import { ReadyQueue } from "./ready-queue.js";
import type { TaskInfo } from "./task-info.js";

/** @internal What a {@link LocalLoop} is made with (its executor's checked options). */
export interface LocalLoopOptions {
  readonly budgetPolls: number;
  readonly budgetMs: number;
  readonly manual: boolean;
  readonly clock: Clock | undefined;
  readonly onUnhandled: UnhandledErrorHandler | undefined;
  /** Called when the root task finishes. */
  readonly onRootFinished: () => void;
}

/** @internal The ready queue and drains of one `LocalExecutor`; see the module invariants. */
export class LocalLoop implements TaskHooks {
  readonly tasks: OwnedTasks;
  readonly runtime: RuntimeContext;
  /** The root task while one runs (a manual loop drains only then). */
  root: ScheduledTask | undefined = undefined;
  /** The executor's clock, for task ages; `undefined`: the host's. */
  readonly now: (() => number) | undefined;
  readonly #queue = new ReadyQueue();
  readonly #slice: HostSlice;
  readonly #manual: boolean;
  readonly #onUnhandled: UnhandledErrorHandler | undefined;
  readonly #onRootFinished: () => void;
  #draining = false;
  #drainRequested = false;
  /** A batch of polls, outside the host context it was scheduled from (host.ts). */
  readonly #drain = (): void => runIsolated(this.#runDrain, this);

  constructor(executor: Executor, options: LocalLoopOptions) {
    const { clock } = options;
    this.#slice = new HostSlice(options.budgetPolls, options.budgetMs);
    this.#manual = options.manual;
    this.#onUnhandled = options.onUnhandled;
    this.#onRootFinished = options.onRootFinished;
    this.now = clock === undefined ? undefined : () => clock.now();
    this.tasks = new OwnedTasks(this);
    this.runtime = new RuntimeContext(executor, { onUnhandled: this.tasks.report, clock });
  }

  /** A woken task enters the ready queue (called by every wake: kept to one call). */
  schedule(task: ScheduledTask): void {
    this.#queue.push(task);
    if (!this.#draining && !this.#drainRequested && (!this.#manual || this.root !== undefined)) {
      this.requestDrain();
    }
  }

  /** Only inside a drain: `runUntilStalled` and `tryRunOne` keep one poll per yield. */
  repollNow(): boolean {
    return this.#draining && this.#queue.length === 0 && !this.#slice.spend();
  }

  /** A task finished: the end of the root ends the executor's run. */
  finished(task: ScheduledTask): void {
    if (task === this.root) this.#onRootFinished();
  }

  /** An error nobody can receive. */
  unhandled(error: unknown, task: TaskInfo | undefined): void {
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

  /** Asks the host for a drain soon, unless one is requested or running. */
  requestDrain(): void {
    if (this.#drainRequested || this.#draining) return;
    this.#drainRequested = true;
    if (this.#slice.spent) macrotask(this.#drain);
    else queueMicrotask(this.#drain);
  }

  /** Polls ready tasks until none is ready, without yielding to the host; returns the count. */
  runUntilStalled(): number {
    let polls = 0;
    this.tasks.tick();
    const previous = enterExecutor(this.runtime);
    try {
      for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
        this.tasks.run(task);
        polls++;
      }
    } finally {
      exitExecutor(previous);
    }
    return polls;
  }

  /** Polls the task at the front of the ready queue, if any; returns whether it polled one. */
  tryRunOne(): boolean {
    const task = this.#queue.shift();
    if (task === undefined) return false;
    this.tasks.tick();
    const previous = enterExecutor(this.runtime);
    try {
      this.tasks.run(task);
    } finally {
      exitExecutor(previous);
    }
    return true;
  }

  /** Drops every live task but a running root (all of them with `all`), in the runtime context. */
  dropTasks(all: boolean): void {
    const tasks = this.tasks;
    withExecutor(this.runtime, all ? () => tasks.shutdownAll() : () => tasks.shutdown());
  }

  #runDrain(): void {
    this.#drainRequested = false;
    if (this.#draining) return;
    const slice = this.#slice;
    slice.begin();
    this.#draining = true;
    const queue = this.#queue;
    const tasks = this.tasks;
    tasks.tick();
    const previous = enterExecutor(this.runtime);
    try {
      for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
        tasks.run(task);
        if (slice.spend()) break;
      }
    } finally {
      this.#draining = false;
      exitExecutor(previous);
    }
    if (queue.length > 0 && (!this.#manual || this.root !== undefined)) {
      this.#drainRequested = true;
      macrotask(this.#drain);
    }
  }
}
