/**
 * The `Dispatcher`: everything a {@link BlockingPool} decides about its jobs and threads —
 * which thread a job goes to, when it waits, what happens when a thread idles, crashes or is
 * closed. It owns no Node API: threads and timers come from a {@link Platform}, so the same
 * code is model-tested in-process over fake threads.
 *
 * Invariants:
 * - Lazy: no thread, and no platform, until the first job is submitted (first poll of a job
 *   future). `minThreads` are started then, never earlier.
 * - Dispatch: a job goes to an idle thread if there is one, else to a new thread while fewer
 *   than `maxThreads` run, else it is pipelined onto the least-loaded thread with room (up to
 *   `pipelineDepth` jobs per thread), else it waits in the queue. The queue is served in order.
 *   When a thread runs out of work and the queue is empty it steals the oldest job that waits,
 *   unstarted, behind another thread's current job (the oldest it holds; or that job itself
 *   while that thread still boots) — so a long CPU-bound job never holds shorter ones hostage
 *   while a thread is idle, and a stolen job, now current where it lands, is never stolen again.
 * - `maxQueue` bounds the jobs that wait: those in the queue plus, on each thread, those
 *   behind its current job. A job that would wait when that many already do is refused
 *   (`QueueFullError`) before anything changes; a job that runs at once is never refused.
 * - Every job is posted so that it runs at most once, as if posted once: a job that moves
 *   objects (a transfer list) goes only to a thread with nothing in flight — never pipelined,
 *   so never stolen — because its objects leave this thread with the first message. If that
 *   thread dies before starting it, the job fails (`lostTransfer`) rather than run on
 *   detached, empty buffers.
 * - Faults: when a thread dies (a job called `process.exit`, an uncaught asynchronous error,
 *   `resourceLimits` exceeded), the job it had started and not answered fails with
 *   `BlockingError`; the jobs waiting behind it go back to the front of the queue, in order;
 *   a new thread is started on demand. A thread that dies before it ever ran (its `booted`
 *   flag, set by the thread itself, is still 0) failed to start: its jobs fail (no restart
 *   loop). Whether a dropped job is still tracked has no bearing on either.
 * - `terminateOnDrop` terminates a thread only after claiming the dropped job as still
 *   running (`kill`), so it never kills the job that started after it; the jobs behind it go
 *   back to the queue at once, and the thread is terminated only when the replies of the jobs
 *   ahead of it (finished, their replies on the way) are in, so none of those is lost.
 * - Close: queued and unstarted jobs fail with `BlockingError`; running jobs finish; each
 *   thread is terminated when its last job answers; `close()` resolves once every thread has
 *   exited.
 * - Liveness: a thread is `ref`'d only while it holds jobs; idle threads exit after
 *   `idleTimeoutMs` (beyond `minThreads`), however long: the wait is an alarm of the
 *   platform's clock (the system clock chains host timers past their 2^31−1 ms limit), which
 *   never keeps the process alive.
 * @module
 */
import type { Clock } from "../core/clock.js";
import { describe } from "../core/errors.js";
import { IntrusiveList } from "../core/intrusive-list.js";
import { BlockingError, QueueFullError } from "./errors.js";
import { type BlockingJob, type JobHost, QUEUED, SENT } from "./job.js";
import { closedError, jobFailure, lostTransfer, replyError, workerFailure } from "./job-errors.js";
import type { PoolSettings } from "./pool-options.js";
import { REPLY_OK, REPLY_SKIPPED, type ReplyMessage } from "./protocol.js";
import { type SlotOwner, type StartThread, WorkerSlot } from "./worker-slot.js";

/** What the dispatcher needs from the host: threads, the core count, a clock for idle timers. */
export interface Platform {
  readonly startThread: StartThread;
  availableParallelism(): number;
  readonly clock: Clock;
}

/** Dispatches jobs onto threads; see the module invariants. */
export class Dispatcher implements JobHost, SlotOwner {
  readonly #settings: PoolSettings;
  readonly #load: () => Platform;
  #platform: Platform | undefined = undefined;
  #maxThreads: number;
  readonly #slots: WorkerSlot[] = [];
  readonly #queue = new IntrusiveList<BlockingJob<unknown>>();
  #closing = false;
  #closed: Promise<void> | undefined = undefined;
  #resolveClosed: (() => void) | undefined = undefined;
  readonly #exits: Promise<unknown>[] = [];

  /** `load` is called once, on the first job. */
  constructor(settings: PoolSettings, load: () => Platform) {
    this.#settings = settings;
    this.#load = load;
    this.#maxThreads = settings.maxThreads;
  }

  /** Threads running now. */
  get threads(): number {
    return this.#slots.length;
  }

  /** Jobs submitted and not yet started, in the queue or behind a thread's current job. */
  get waiting(): number {
    let n = this.#queue.length;
    for (const slot of this.#slots) n += slot.waiting;
    return n;
  }

  /** True once `close()` was called. */
  get isClosing(): boolean {
    return this.#closing;
  }

  /** Fails what waits, lets running jobs finish, then stops every thread. Idempotent. */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    this.#closing = true;
    this.#closed = new Promise<void>((resolve) => {
      this.#resolveClosed = resolve;
    });
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      job.settle(false, closedError(job));
    }
    for (const slot of [...this.#slots]) {
      for (const { job, cell } of slot.entries()) {
        if (slot.release(cell)) job.settle(false, closedError(job));
      }
      if (slot.count === 0) this.#retire(slot);
    }
    this.#checkClosed();
    return this.#closed;
  }

  /** Takes a new job (first poll of its future); throws to refuse it. */
  submit(job: BlockingJob<unknown>): void {
    if (this.#closing) throw new BlockingError(`${job.label()}: the blocking pool is closed`);
    if (this.#platform === undefined) this.#boot();
    const slot = this.#queue.length === 0 ? this.#pickSlot(job) : undefined;
    const maxQueue = this.#settings.maxQueue;
    if (
      (slot === undefined || slot.count > 0) &&
      maxQueue !== Number.POSITIVE_INFINITY &&
      this.waiting >= maxQueue
    ) {
      throw new QueueFullError(maxQueue);
    }
    if (slot !== undefined) {
      this.#send(slot, job);
      return;
    }
    job.state = QUEUED;
    this.#queue.push(job);
  }

  /** Takes back a dropped job. */
  cancel(job: BlockingJob<unknown>): void {
    if (this.#queue.remove(job)) return;
    const slot = job.slot as WorkerSlot | undefined;
    job.slot = undefined;
    if (slot === undefined || slot.gone || slot.release(job.cell)) return;
    slot.forget(job.cell);
    if (job.terminateOnDrop && slot.kill(job.cell)) this.#doom(slot, job.cell);
  }

  /** A thread answered its oldest job (replies come in job order). */
  onReply(slot: WorkerSlot, reply: ReplyMessage): void {
    if (slot.gone) return;
    const job = slot.takeHead();
    if (job !== null) {
      job.slot = undefined;
      if (reply[0] === REPLY_OK) job.settle(true, reply[1]);
      else if (reply[0] === REPLY_SKIPPED) this.#requeue([job], undefined);
      else job.settle(false, replyError(job, reply[1], reply[2]));
    }
    if (slot.head === slot.doomed) {
      this.#retire(slot);
      this.#checkClosed();
    } else if (slot.count === 0) {
      this.#idle(slot);
    }
    if (this.#queue.length > 0) this.#pump();
  }

  /** A thread died (crashed or exited on its own). */
  onGone(slot: WorkerSlot, cause: unknown): void {
    if (slot.gone) return;
    this.#remove(slot, cause);
    slot.retire();
    this.#pump();
    this.#checkClosed();
  }

  #boot(): void {
    const platform = this.#load();
    this.#platform = platform;
    if (this.#maxThreads === 0) {
      this.#maxThreads = Math.max(1, platform.availableParallelism(), this.#settings.minThreads);
    }
    while (this.#slots.length < this.#settings.minThreads) this.#spawnSlot();
  }

  /** Starts a thread; throws `BlockingError` when the host refuses to create one. */
  #spawnSlot(): WorkerSlot {
    const { pipelineDepth, filename } = this.#settings;
    let slot: WorkerSlot;
    try {
      const start = (this.#platform as Platform).startThread;
      slot = new WorkerSlot(this, start, pipelineDepth, filename);
    } catch (error) {
      throw new BlockingError(
        `the blocking pool could not start a worker thread: ${describe(error)}`,
        error,
      );
    }
    this.#slots.push(slot);
    return slot;
  }

  /**
   * An idle thread, else a new one, else (unless `job` moves objects) the least-loaded thread
   * with room.
   */
  #pickSlot(job: BlockingJob<unknown>): WorkerSlot | undefined {
    const pipelined = job.transfer === undefined;
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) {
      if (slot.doomed >= 0) continue;
      if (slot.count === 0) return slot;
      if (pipelined && slot.hasRoom && (best === undefined || slot.count < best.count)) {
        best = slot;
      }
    }
    if (this.#slots.length < this.#maxThreads) return this.#spawnSlot();
    return best;
  }

  #send(slot: WorkerSlot, job: BlockingJob<unknown>): void {
    job.state = SENT;
    const error = slot.send(job);
    if (error !== undefined) {
      job.settle(false, jobFailure(job, "its arguments could not be sent to the worker", error));
    }
  }

  #pump(): void {
    for (let job = this.#queue.peek(); job !== undefined; job = this.#queue.peek()) {
      let slot: WorkerSlot | undefined;
      try {
        slot = this.#pickSlot(job);
      } catch (error) {
        this.#queue.shift();
        job.settle(false, error);
        continue;
      }
      if (slot === undefined) return;
      this.#queue.shift();
      this.#send(slot, job);
    }
  }

  /**
   * The job in `cell` of `slot` was killed: the thread will run nothing more. The jobs behind
   * it go back to the queue now; the thread is terminated now if the killed job is its oldest
   * in flight, else once the replies ahead of it are in (see `onReply`).
   */
  #doom(slot: WorkerSlot, cell: number): void {
    slot.doomed = cell;
    const behind: BlockingJob<unknown>[] = [];
    for (const entry of slot.entries()) {
      if (!slot.release(entry.cell)) continue;
      entry.job.slot = undefined;
      behind.push(entry.job);
    }
    this.#requeue(behind, undefined);
    if (slot.head === cell) this.#retire(slot);
    this.#pump();
    this.#checkClosed();
  }

  /** `slot` holds no job: steal one, retire it (closing), or arm its idle timer. */
  #idle(slot: WorkerSlot): void {
    if (this.#closing) {
      this.#retire(slot);
      this.#checkClosed();
      return;
    }
    if (this.#queue.length === 0) {
      for (const other of this.#slots) {
        if (other === slot || other.count === 0) continue;
        const job = other.stealable();
        if (job !== undefined && other.release(job.cell)) {
          this.#send(slot, job);
          return;
        }
      }
    }
    const { idleTimeoutMs, minThreads } = this.#settings;
    if (idleTimeoutMs === Number.POSITIVE_INFINITY || this.#slots.length <= minThreads) return;
    const clock = (this.#platform as Platform).clock;
    slot.idleTimer = clock.setAlarm(clock.now() + idleTimeoutMs, () => {
      slot.idleTimer = undefined;
      if (slot.count === 0 && !slot.gone && this.#slots.length > minThreads) this.#retire(slot);
    });
    slot.idleTimer.keepAlive(false); // an idle pool never keeps the process alive
  }

  #retire(slot: WorkerSlot): void {
    if (slot.gone) return;
    this.#remove(slot, undefined);
    this.#exits.push(slot.retire());
  }

  /**
   * Takes `slot` out of the pool. Its started job (the culprit, when `cause` says it died)
   * fails; its unstarted jobs go back to the front of the queue.
   */
  #remove(slot: WorkerSlot, cause: unknown): void {
    slot.gone = true;
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
    const failedToStart = cause !== undefined && !slot.booted;
    const requeue: BlockingJob<unknown>[] = [];
    for (const { job, cell } of slot.entries()) {
      job.slot = undefined;
      if (!failedToStart && slot.release(cell)) requeue.push(job);
      else job.settle(false, workerFailure(job, cause, failedToStart));
    }
    this.#requeue(requeue, cause);
  }

  /**
   * Puts jobs that never started back at the front of the queue, keeping their order; a job
   * whose objects were moved to the thread that gave it back fails instead.
   */
  #requeue(jobs: BlockingJob<unknown>[], cause: unknown): void {
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i] as BlockingJob<unknown>;
      if (job.moved) {
        job.settle(false, lostTransfer(job, cause));
      } else if (this.#closing) {
        job.settle(false, closedError(job));
      } else {
        job.state = QUEUED;
        this.#queue.unshift(job);
      }
    }
  }

  #checkClosed(): void {
    if (!this.#closing || this.#slots.length > 0 || this.#resolveClosed === undefined) return;
    const resolve = this.#resolveClosed;
    this.#resolveClosed = undefined;
    void Promise.all(this.#exits).then(() => resolve());
  }
}
