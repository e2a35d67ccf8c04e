/**
 * `WorkerSlot`: one thread of a pool, as the dispatcher sees it: the jobs it holds in flight
 * and what it has been handed. It posts through a {@link ThreadPort} and never decides where
 * a job goes (that is `dispatcher.ts`), so it runs the same over a real worker thread and over
 * the in-process threads of the tests.
 *
 * Invariants:
 * - `jobs` is a ring of `depth` entries; the entry at ring index `i` is the job occupying cell
 *   `i`. Entries from `head` (oldest) run `count` long, in the order the jobs were sent, which
 *   is the order the thread replies in (see `protocol.ts`). An entry is `null` when its job was
 *   taken back (dropped, stolen, failed by `close`) or dropped while running: the reply still
 *   comes and is ignored.
 * - The thread is `ref`'d exactly while `count > 0` (an in-flight job keeps the process alive;
 *   an idle pool never does).
 * - Once `gone` is set the slot is out of the pool: no job is sent to it again, and later
 *   events from its thread are ignored. Once `doomed` is set no job is sent to it either, but
 *   its replies are awaited until the doomed job is the oldest in flight.
 * - `#handed` holds the ids of the function sources this thread was handed: a source counts
 *   once a message carrying it was posted (the thread learns it from that message even if the
 *   job is then taken back), never merely because a job of that function was picked for it.
 * @module
 */

import type { AlarmHandle } from "../core/clock.js";
import type { BlockingJob } from "./job.js";
import {
  CELL_CANCELLED,
  CELL_EMPTY,
  CELL_KILLED,
  CELL_QUEUED,
  CELL_STARTED,
  JOB_EXPORT,
  JOB_FUNCTION,
  type JobMessage,
  type ReplyMessage,
  type TransferItem,
  type WorkerStartData,
} from "./protocol.js";

/** What the dispatcher hears from a slot. */
export interface SlotOwner {
  onReply(slot: WorkerSlot, reply: ReplyMessage): void;
  onGone(slot: WorkerSlot, cause: unknown): void;
}

/** A running thread, as a slot drives it (a `worker_threads` Worker, or a test's fake). */
export interface ThreadPort {
  /** Posts a job; throws (a `DataCloneError`) when the message cannot be sent. */
  post(message: JobMessage, transfer: readonly TransferItem[] | undefined): void;
  /** Lets the thread keep the process alive. */
  ref(): void;
  /** Stops the thread keeping the process alive. */
  unref(): void;
  /** Stops the thread; no event of it matters afterwards. */
  terminate(): Promise<unknown>;
}

/** Where a thread's replies and its end are delivered. */
export interface ThreadEvents {
  /** A reply, in job order. */
  reply(reply: ReplyMessage): void;
  /** The thread ended on its own; comes after every reply it posted. */
  exit(cause: unknown): void;
}

/** Starts a thread running the worker runtime with `data`; throws when the host refuses. */
export type StartThread = (data: WorkerStartData, events: ThreadEvents) => ThreadPort;

/** A thread and its in-flight jobs; see the module invariants. */
export class WorkerSlot {
  readonly port: ThreadPort;
  readonly cells: Int32Array;
  /** Set to 1 by the thread once it runs (see `protocol.ts`). */
  readonly #booted: Int32Array;
  readonly jobs: (BlockingJob<unknown> | null)[];
  head = 0;
  count = 0;
  /** Non-null entries among the `count` in flight. */
  live = 0;
  gone = false;
  /**
   * The cell of a job killed for `terminateOnDrop`, or -1: the thread runs nothing after it
   * and is terminated once the replies of the jobs ahead of it are in.
   */
  doomed = -1;
  /** Retires the slot after it sat idle long enough; armed by the dispatcher. */
  idleTimer: AlarmHandle | undefined = undefined;
  readonly #handed = new Set<number>();

  constructor(owner: SlotOwner, start: StartThread, depth: number, filename: string | undefined) {
    const shared = new SharedArrayBuffer((depth + 1) * 4);
    this.cells = new Int32Array(shared, 0, depth);
    this.#booted = new Int32Array(shared, depth * 4, 1);
    this.jobs = new Array<BlockingJob<unknown> | null>(depth).fill(null);
    this.port = start(
      { cells: this.cells, booted: this.#booted, filename },
      {
        reply: (reply) => owner.onReply(this, reply),
        exit: (cause) => owner.onGone(this, cause),
      },
    );
    this.port.unref();
  }

  /** True once the thread has run: if it dies now, it did not fail to start. */
  get booted(): boolean {
    return Atomics.load(this.#booted, 0) === 1;
  }

  /** True when another job fits in the thread's pipeline. */
  get hasRoom(): boolean {
    return this.count < this.jobs.length;
  }

  /**
   * Sends `job` to the thread; returns the error if its arguments could not be cloned (the
   * slot is then unchanged).
   */
  send(job: BlockingJob<unknown>): unknown {
    const depth = this.jobs.length;
    let cell = this.head + this.count;
    if (cell >= depth) cell -= depth;
    const fn = job.fn;
    let message: JobMessage;
    let handsSource = false;
    if (fn !== undefined) {
      handsSource = !this.#handed.has(fn.id);
      message = [JOB_FUNCTION, cell, fn.id, handsSource ? fn.source : null, job.args];
    } else {
      message = [JOB_EXPORT, cell, job.name, job.args];
    }
    Atomics.store(this.cells, cell, CELL_QUEUED);
    try {
      this.port.post(message, job.transfer);
    } catch (error) {
      Atomics.store(this.cells, cell, CELL_EMPTY);
      return error;
    }
    if (handsSource) this.#handed.add((fn as { id: number }).id);
    if (job.transfer !== undefined) job.moved = true;
    if (this.count === 0) this.#busy();
    this.jobs[cell] = job;
    this.count++;
    this.live++;
    job.slot = this;
    job.cell = cell;
    return undefined;
  }

  /** Removes and returns the entry the next reply belongs to. */
  takeHead(): BlockingJob<unknown> | null {
    const head = this.head;
    const job = this.jobs[head] as BlockingJob<unknown> | null;
    if (job !== null) this.live--;
    this.jobs[head] = null;
    this.head = head + 1 === this.jobs.length ? 0 : head + 1;
    if (--this.count === 0) this.port.unref();
    return job;
  }

  /**
   * Takes the job in `cell` back if it has not started (`QUEUED → CANCELLED`; its entry
   * becomes `null`); false when it has started, and then the entry is left alone.
   */
  release(cell: number): boolean {
    if (Atomics.compareExchange(this.cells, cell, CELL_QUEUED, CELL_CANCELLED) !== CELL_QUEUED) {
      return false;
    }
    this.jobs[cell] = null;
    this.live--;
    return true;
  }

  /** Forgets the (live) job in `cell`: its reply will be ignored. */
  forget(cell: number): void {
    this.jobs[cell] = null;
    this.live--;
  }

  /**
   * Jobs handed to this thread that wait behind the one it is on: every live entry but the
   * oldest in flight (its current job, even if not yet started while the thread boots).
   */
  get waiting(): number {
    if (this.count === 0) return 0;
    return this.jobs[this.head] === null ? this.live : this.live - 1;
  }

  /**
   * Claims the running job in `cell` for killing (`STARTED → KILLED`): true when it is still
   * running, so the thread will run nothing after it and may be terminated; false when it has
   * already ended (its reply is on the way, and the next job may be running).
   */
  kill(cell: number): boolean {
    return Atomics.compareExchange(this.cells, cell, CELL_STARTED, CELL_KILLED) === CELL_STARTED;
  }

  /**
   * The oldest job an idle thread may steal: one waiting, unstarted, behind the job this thread
   * is on (the oldest in flight), or that job itself while this thread is still booting; never
   * one that moved objects here. So a stolen job lands where it is the next to run and is never
   * stolen again: jobs cannot be passed around forever between threads that each give theirs
   * up before starting it.
   */
  stealable(): BlockingJob<unknown> | undefined {
    const depth = this.jobs.length;
    for (let i = this.booted ? 1 : 0; i < this.count; i++) {
      const cell = (this.head + i) % depth;
      const job = this.jobs[cell];
      if (job != null && !job.moved && Atomics.load(this.cells, cell) === CELL_QUEUED) return job;
    }
    return undefined;
  }

  /** Live in-flight entries, oldest first. */
  entries(): { job: BlockingJob<unknown>; cell: number }[] {
    const out: { job: BlockingJob<unknown>; cell: number }[] = [];
    const depth = this.jobs.length;
    for (
      let i = 0, cell = this.head;
      i < this.count;
      i++, cell = cell + 1 === depth ? 0 : cell + 1
    ) {
      const job = this.jobs[cell];
      if (job != null) out.push({ job, cell });
    }
    return out;
  }

  #busy(): void {
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    this.port.ref();
  }

  /** Takes the slot out of service and stops its thread. */
  retire(): Promise<unknown> {
    this.gone = true;
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    return this.port.terminate().catch(() => {});
  }
}
