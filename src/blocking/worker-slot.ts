/**
 * `WorkerSlot`: one worker thread of a pool and the jobs it holds in flight.
 *
 * Invariants:
 * - `jobs` is a ring of `depth` entries; the entry at ring index `i` is the job occupying cell
 *   `i`. Entries from `head` (oldest) run `count` long, in the order the jobs were sent, which
 *   is the order the worker replies in (see `protocol.ts`). An entry is `null` when its job was
 *   taken back (dropped, stolen, failed by `close`) or dropped while running: the reply still
 *   comes and is ignored.
 * - The worker is `ref`'d exactly while `count > 0` (an in-flight job keeps the process alive;
 *   an idle pool never does).
 * - Once `gone` is set the slot is out of the pool: no job is sent to it again, and later
 *   events from its worker are ignored.
 * @module
 */
import type { BlockingJob } from "./job.js";
import type { NodeApis } from "./node-apis.js";
import {
  CELL_CANCELLED,
  CELL_EMPTY,
  CELL_QUEUED,
  CELL_STARTED,
  JOB_EXPORT,
  JOB_FUNCTION,
  type JobMessage,
  type ReplyMessage,
  type WorkerStartData,
} from "./protocol.js";
import type { WorkerScript } from "./worker-url.js";

type Worker = InstanceType<NodeApis["Worker"]>;

/** What the pool hears from a slot. */
export interface SlotOwner {
  onReply(slot: WorkerSlot, reply: ReplyMessage): void;
  onGone(slot: WorkerSlot, cause: unknown): void;
}

/** Settings for a slot's worker. */
export interface SlotSettings {
  readonly depth: number;
  readonly filename: string | undefined;
  readonly resourceLimits: object | undefined;
}

/** A worker thread and its in-flight jobs; see the module invariants. */
export class WorkerSlot {
  readonly worker: Worker;
  readonly cells: Int32Array;
  readonly jobs: (BlockingJob<unknown> | null)[];
  head = 0;
  count = 0;
  /** Replies received so far (0 when the worker dies = it failed to start). */
  replies = 0;
  gone = false;
  idleTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  readonly #sentFunctions = new Set<number>();

  constructor(owner: SlotOwner, apis: NodeApis, script: WorkerScript, settings: SlotSettings) {
    const depth = settings.depth;
    this.cells = new Int32Array(new SharedArrayBuffer(depth * 4));
    this.jobs = new Array<BlockingJob<unknown> | null>(depth).fill(null);
    const workerData: WorkerStartData = { cells: this.cells, filename: settings.filename };
    this.worker = new apis.Worker(script.filename, {
      eval: script.eval,
      workerData,
      ...(apis.execArgv === undefined ? {} : { execArgv: apis.execArgv as string[] }),
      ...(settings.resourceLimits === undefined ? {} : { resourceLimits: settings.resourceLimits }),
    });
    this.worker.unref();
    this.worker.on("message", (reply: ReplyMessage) => owner.onReply(this, reply));
    // A crash is handled on "exit", not on "error": Node delivers every message the worker
    // posted before it died ahead of "exit", but "error" travels on another port and can
    // overtake the last replies, which would blame a job that had in fact finished.
    let crash: unknown;
    this.worker.on("error", (error: unknown) => {
      crash ??= error;
    });
    this.worker.on("exit", (code: number) => owner.onGone(this, crash ?? new WorkerExit(code)));
  }

  /** True when another job fits in the worker's pipeline. */
  get hasRoom(): boolean {
    return this.count < this.jobs.length;
  }

  /**
   * Sends `job` to the worker; returns the error if its arguments could not be cloned (the
   * slot is then unchanged).
   */
  send(job: BlockingJob<unknown>): unknown {
    const depth = this.jobs.length;
    let cell = this.head + this.count;
    if (cell >= depth) cell -= depth;
    const fn = job.fn;
    let message: JobMessage;
    let firstSend = false;
    if (fn !== undefined) {
      firstSend = !this.#sentFunctions.has(fn.id);
      message = [JOB_FUNCTION, cell, fn.id, firstSend ? fn.source : null, job.args];
      if (firstSend) this.#sentFunctions.add(fn.id);
    } else {
      message = [JOB_EXPORT, cell, job.name, job.args];
    }
    Atomics.store(this.cells, cell, CELL_QUEUED);
    try {
      this.worker.postMessage(message, job.transfer as never);
    } catch (error) {
      Atomics.store(this.cells, cell, CELL_EMPTY);
      if (firstSend) this.#sentFunctions.delete((fn as { id: number }).id);
      return error;
    }
    if (this.count === 0) this.#busy();
    this.jobs[cell] = job;
    this.count++;
    job.slot = this;
    job.cell = cell;
    return undefined;
  }

  /** Removes and returns the entry the next reply belongs to. */
  takeHead(): BlockingJob<unknown> | null {
    const head = this.head;
    const job = this.jobs[head] as BlockingJob<unknown> | null;
    this.jobs[head] = null;
    this.head = head + 1 === this.jobs.length ? 0 : head + 1;
    this.replies++;
    if (--this.count === 0) this.worker.unref();
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
    return true;
  }

  /** Forgets the job in `cell`: its reply will be ignored. */
  forget(cell: number): void {
    this.jobs[cell] = null;
  }

  /** True when the job in `cell` has started running. */
  isStarted(cell: number): boolean {
    return Atomics.load(this.cells, cell) === CELL_STARTED;
  }

  /** The oldest in-flight job that has not started (an idle worker may steal it). */
  stealable(): BlockingJob<unknown> | undefined {
    const depth = this.jobs.length;
    for (
      let i = 0, cell = this.head;
      i < this.count;
      i++, cell = cell + 1 === depth ? 0 : cell + 1
    ) {
      const job = this.jobs[cell];
      if (job != null && Atomics.load(this.cells, cell) === CELL_QUEUED) return job;
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
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    this.worker.ref();
  }

  /** Takes the slot out of service and stops its thread. */
  retire(): Promise<unknown> {
    this.gone = true;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    return this.worker.terminate().catch(() => {});
  }
}

/** The cause attached when a worker thread exits on its own. */
export class WorkerExit extends Error {
  override readonly name = "WorkerExit";
  /** The thread's exit code. */
  readonly code: number;
  constructor(code: number) {
    super(`the worker thread exited with code ${code}`);
    this.code = code;
  }
}
