/**
 * `BlockingPool`: worker threads for CPU-heavy or blocking work, driven by futures.
 *
 * Invariants:
 * - Lazy: no thread, and no `node:worker_threads`, until the first job is submitted (first
 *   poll of a job future). `minThreads` are started then, never earlier.
 * - Dispatch: a job goes to an idle thread if there is one, else to a new thread while fewer
 *   than `maxThreads` run, else it is pipelined onto the least-loaded thread with room (up to
 *   `pipelineDepth` jobs per thread), else it waits in the queue (`maxQueue` bounds the queue
 *   only). When a thread runs out of work and the queue is empty it steals the oldest job that
 *   waits, unstarted, behind another thread's running job — so a long CPU-bound job never
 *   holds shorter ones hostage while a thread is idle.
 * - Faults: when a thread dies (a job called `process.exit`, an uncaught asynchronous error,
 *   `resourceLimits` exceeded), the job it had started and not answered fails with
 *   `BlockingError`; the jobs waiting behind it go back to the front of the queue, in order;
 *   a new thread is started on demand. A thread that dies before answering anything and
 *   without starting a job failed to start: its jobs fail (no restart loop).
 * - Close: queued and unstarted jobs fail with `BlockingError`; running jobs finish; each
 *   thread is terminated when its last job answers; `close()` resolves once every thread has
 *   exited.
 * - Liveness: a thread is `ref`'d only while it holds jobs; idle threads exit after
 *   `idleTimeoutMs` (beyond `minThreads`).
 * @module
 */
import { BlockingError, describe, QueueFullError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import { functionInfo } from "./function-source.js";
import { BlockingJob, type JobHost, QUEUED, SENT } from "./job.js";
import { closedError, jobFailure, jobLabel, replyError, workerFailure } from "./job-errors.js";
import { JobQueue } from "./job-queue.js";
import { type NodeApis, nodeApis } from "./node-apis.js";
import {
  type BlockingPoolOptions,
  jobOptions,
  type PoolSettings,
  poolSettings,
  type RunOptions,
} from "./pool-options.js";
import { REPLY_OK, REPLY_SKIPPED, type ReplyMessage } from "./protocol.js";
import { type SlotOwner, WorkerSlot } from "./worker-slot.js";
import { type WorkerScript, workerScript } from "./worker-url.js";

let shared: BlockingPool | undefined;

/**
 * A pool of worker threads running jobs for futures: a task module's named exports with
 * {@link BlockingPool.run}, or self-contained functions with {@link BlockingPool.runFunction}
 * (what `spawnBlocking` uses, on {@link BlockingPool.shared}).
 *
 * @example
 * ```ts
 * // tasks.ts: export function resize(img: Uint8Array, w: number) { … }
 * await using pool = new BlockingPool({ filename: new URL("./tasks.js", import.meta.url) });
 * const small = await run(pool.run("resize", [img, 320], { transfer: [img.buffer] }));
 * ```
 */
export class BlockingPool implements JobHost, SlotOwner, AsyncDisposable {
  readonly #settings: PoolSettings;
  #maxThreads: number;
  #apis: NodeApis | undefined = undefined;
  #script: WorkerScript | undefined = undefined;
  readonly #slots: WorkerSlot[] = [];
  readonly #queue = new JobQueue<BlockingJob<unknown>>();
  #closing = false;
  #closed: Promise<void> | undefined = undefined;
  #resolveClosed: (() => void) | undefined = undefined;
  readonly #exits: Promise<unknown>[] = [];

  /**
   * Creates a pool; no thread starts until the first job is polled.
   *
   * @example
   * ```ts
   * const pool = new BlockingPool({ filename: "./dist/tasks.js", maxThreads: 4, maxQueue: 100 });
   * ```
   */
  constructor(options: BlockingPoolOptions = {}) {
    this.#settings = poolSettings(options);
    this.#maxThreads = this.#settings.maxThreads;
  }

  /**
   * The pool `spawnBlocking` uses, created on first use with the default options. Its idle
   * threads never keep the process alive. If it was closed, a new one replaces it.
   *
   * @example
   * ```ts
   * const n = await run(BlockingPool.shared.runFunction(fib, [30], { terminateOnDrop: true }));
   * ```
   */
  static get shared(): BlockingPool {
    if (shared === undefined || shared.#closing) shared = new BlockingPool();
    return shared;
  }

  /** Threads running now (started lazily, so 0 before the first job). */
  get threads(): number {
    return this.#slots.length;
  }

  /** Jobs waiting for a thread (what `maxQueue` bounds). */
  get queued(): number {
    return this.#queue.size;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#closing;
  }

  /**
   * Runs the task module's export `exportName` with `args` (structured-cloned, or moved when
   * listed in `options.transfer`) on a worker thread; resolves with what it returns (or
   * resolves to, for async exports). Lazy: submitted when first polled.
   *
   * Cancel safety: dropping the future before the job starts removes it (it never runs);
   * dropping it while the job runs discards the result (the job still finishes) unless
   * `terminateOnDrop` was set, which kills the job and replaces its thread.
   *
   * @example
   * ```ts
   * const hash = yield* pool.run("sha256", [bytes], { transfer: [bytes.buffer] });
   * ```
   */
  run<T = unknown>(exportName: string, args: unknown[] = [], options?: RunOptions): Future<T> {
    const where = "pool.run(exportName, args, options)";
    if (typeof exportName !== "string" || exportName.length === 0) {
      throw new TypeError(`${where}: exportName must be a non-empty string`);
    }
    if (this.#settings.filename === undefined) {
      throw new TypeError(
        `${where}: this pool has no task module; pass \`filename\` to new BlockingPool()`,
      );
    }
    const { transfer, terminateOnDrop } = jobOptions(where, args, options);
    return new BlockingJob<T>(this, undefined, exportName, args, transfer, terminateOnDrop);
  }

  /**
   * Runs a self-contained function `fn(...args)` on a worker thread, like `spawnBlocking` but
   * on this pool and with per-job options. `fn`'s source is sent once per thread and compiled
   * there: it cannot use anything from the code around it (no closures, no imports); pass data
   * through `args`.
   *
   * Cancel safety: as {@link BlockingPool.run}.
   *
   * @example
   * ```ts
   * const sum = yield* pool.runFunction((xs: number[]) => xs.reduce((a, b) => a + b, 0), [xs]);
   * ```
   */
  runFunction<A extends unknown[], R>(
    fn: (...args: A) => R,
    args: A = [] as unknown as A,
    options?: RunOptions,
  ): Future<Awaited<R>> {
    const info = functionInfo(fn, "pool.runFunction(fn, args, options)");
    const { transfer, terminateOnDrop } = jobOptions(
      "pool.runFunction(fn, args, options)",
      args,
      options,
    );
    return new BlockingJob<Awaited<R>>(this, info, info.name, args, transfer, terminateOnDrop);
  }

  /**
   * Stops the pool: jobs still waiting fail with `BlockingError`, running jobs finish, then
   * every thread exits; resolves when they have. Idempotent. Later jobs fail at once.
   *
   * @example
   * ```ts
   * process.on("SIGTERM", () => void pool.close());
   * ```
   */
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

  /**
   * Same as {@link BlockingPool.close}, for `await using pool = new BlockingPool(…)`.
   *
   * @example
   * ```ts
   * { await using pool = new BlockingPool({ filename }); … } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Takes a new job (first poll of its future). */
  submit(job: BlockingJob<unknown>): void {
    if (this.#closing) throw new BlockingError(`${jobLabel(job)}: the blocking pool is closed`);
    if (this.#apis === undefined) this.#boot();
    if (this.#queue.size === 0) {
      const slot = this.#pickSlot();
      if (slot !== undefined) {
        this.#send(slot, job);
        return;
      }
    }
    if (this.#queue.size >= this.#settings.maxQueue)
      throw new QueueFullError(this.#settings.maxQueue);
    job.state = QUEUED;
    this.#queue.push(job);
  }

  /** @internal Takes back a dropped job. */
  cancel(job: BlockingJob<unknown>): void {
    if (job.queued) {
      this.#queue.remove(job);
      return;
    }
    const slot = job.slot as WorkerSlot | undefined;
    job.slot = undefined;
    if (slot === undefined || slot.gone || slot.release(job.cell)) return;
    slot.forget(job.cell);
    if (job.terminateOnDrop) {
      this.#retire(slot);
      this.#pump();
      this.#checkClosed();
    }
  }

  /** @internal A worker answered its oldest job (replies come in job order). */
  onReply(slot: WorkerSlot, reply: ReplyMessage): void {
    if (slot.gone) return;
    const job = slot.takeHead();
    if (job !== null) {
      job.slot = undefined;
      if (reply[0] === REPLY_OK) job.settle(true, reply[1]);
      else if (reply[0] === REPLY_SKIPPED) this.#requeue([job]);
      else job.settle(false, replyError(job, reply[1], reply[2]));
    }
    if (slot.count === 0) this.#idle(slot);
    if (this.#queue.size > 0) this.#pump();
  }

  /** @internal A worker thread died (error event or exit). */
  onGone(slot: WorkerSlot, cause: unknown): void {
    if (slot.gone) return;
    this.#remove(slot, cause);
    slot.retire();
    this.#pump();
    this.#checkClosed();
  }

  #boot(): void {
    this.#apis = nodeApis();
    this.#script = workerScript();
    if (this.#maxThreads === 0) {
      this.#maxThreads = Math.max(1, this.#apis.availableParallelism(), this.#settings.minThreads);
    }
    while (this.#slots.length < this.#settings.minThreads) this.#spawnSlot();
  }

  /** Starts a thread; throws `BlockingError` when Node refuses to create one. */
  #spawnSlot(): WorkerSlot {
    const { pipelineDepth, filename, resourceLimits } = this.#settings;
    let slot: WorkerSlot;
    try {
      slot = new WorkerSlot(this, this.#apis as NodeApis, this.#script as WorkerScript, {
        depth: pipelineDepth,
        filename,
        resourceLimits,
      });
    } catch (error) {
      throw new BlockingError(
        `the blocking pool could not start a worker thread: ${describe(error)}`,
        error,
      );
    }
    this.#slots.push(slot);
    return slot;
  }

  /** An idle thread, else a new one, else the least-loaded thread with room. */
  #pickSlot(): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) {
      if (slot.count === 0) return slot;
      if (slot.hasRoom && (best === undefined || slot.count < best.count)) best = slot;
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
    while (this.#queue.size > 0) {
      let slot: WorkerSlot | undefined;
      try {
        slot = this.#pickSlot();
      } catch (error) {
        (this.#queue.shift() as BlockingJob<unknown>).settle(false, error);
        continue;
      }
      if (slot === undefined) return;
      this.#send(slot, this.#queue.shift() as BlockingJob<unknown>);
    }
  }

  /** `slot` holds no job: steal one, retire it (closing), or arm its idle timer. */
  #idle(slot: WorkerSlot): void {
    if (this.#closing) {
      this.#retire(slot);
      this.#checkClosed();
      return;
    }
    if (this.#queue.size === 0) {
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
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (slot.count === 0 && !slot.gone && this.#slots.length > minThreads) this.#retire(slot);
    }, idleTimeoutMs);
    (slot.idleTimer as { unref?: () => void }).unref?.();
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
    const entries = slot.entries();
    const failedToStart =
      cause !== undefined && slot.replies === 0 && !entries.some((e) => slot.isStarted(e.cell));
    const requeue: BlockingJob<unknown>[] = [];
    for (const { job, cell } of entries) {
      job.slot = undefined;
      if (!failedToStart && slot.release(cell)) requeue.push(job);
      else job.settle(false, workerFailure(job, cause, failedToStart));
    }
    this.#requeue(requeue);
  }

  /** Puts jobs that never started back at the front of the queue, keeping their order. */
  #requeue(jobs: BlockingJob<unknown>[]): void {
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i] as BlockingJob<unknown>;
      if (this.#closing) {
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
