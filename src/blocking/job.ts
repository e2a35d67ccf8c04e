/**
 * `BlockingJob`: the future returned by `spawnBlocking` and `BlockingPool#run`. It is lazy:
 * nothing is sent to the pool until the first poll.
 *
 * States, and who moves them:
 * - NEW → (first poll) the pool's `submit`: QUEUED (waiting for a thread) or SENT (handed to a
 *   worker; it may still wait there behind other jobs). `submit` may throw (full queue, closed
 *   pool): the job is then DONE and the error goes to the poller.
 * - QUEUED ⇄ SENT: a worker that died, or an idle worker stealing it, can hand a SENT job that
 *   had not started back to the queue or to another worker — unless it `moved` objects (its
 *   transfer list went with the first message, so it can never be posted again).
 * - QUEUED/SENT → OK/FAILED: the pool settles it (`settle`) and wakes the latest waker.
 * - OK/FAILED → DONE: `poll` hands out the outcome once.
 * - any state but DONE → DONE by `drop()`: the pool takes it back (never runs if it had not
 *   started; a running job's result is discarded, or its worker terminated if asked).
 * Outside work: `beginExternal()` is called when the job is submitted and its end function
 * when the job settles or is dropped, whichever comes first.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { beginExternal } from "../core/external.js";
import { Future } from "../core/future.js";
import type { Linked } from "../core/intrusive-list.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import type { FunctionInfo } from "./function-source.js";
import type { TransferItem } from "./protocol.js";

export const NEW = 0;
export const QUEUED = 1;
export const SENT = 2;
export const OK = 3;
export const FAILED = 4;
export const DONE = 5;

/** How a job was created, for its label: `pool.run(…)`, `pool.runFunction(…)`, `spawnBlocking(…)`. */
export const VIA_RUN = 0;
export const VIA_RUN_FUNCTION = 1;
export const VIA_SPAWN_BLOCKING = 2;
export type JobOrigin = typeof VIA_RUN | typeof VIA_RUN_FUNCTION | typeof VIA_SPAWN_BLOCKING;

/** What a job needs from its pool. */
export interface JobHost {
  /** Takes a new job; throws `QueueFullError` or `BlockingError` (closed) to refuse it. */
  submit(job: BlockingJob<unknown>): void;
  /** Takes back a job that was dropped while QUEUED or SENT. */
  cancel(job: BlockingJob<unknown>): void;
}

/** A job running a self-contained function, or a named export of the pool's task module. */
export class BlockingJob<T> extends Future<T> {
  state = NEW;
  /** @internal Links in the pool's queue (an intrusive list) while the job waits for a thread. */
  linkPrev: Linked | undefined = undefined;
  /** @internal */
  linkNext: Linked | undefined = undefined;
  /** The worker slot holding it while SENT, and the cell it occupies there. */
  slot: unknown = undefined;
  cell = -1;
  readonly #host: JobHost;
  /** The API that created it (`VIA_*`), for its label. */
  readonly via: JobOrigin;
  /** The function to run, or `undefined` for an export job. */
  readonly fn: FunctionInfo | undefined;
  /** The export to run (export jobs), or the function's name (for messages). */
  readonly name: string;
  args: unknown[];
  transfer: readonly TransferItem[] | undefined;
  /** True once a message moved its transfer list to a thread: it cannot be posted again. */
  moved = false;
  readonly terminateOnDrop: boolean;
  #waker: Waker | undefined = undefined;
  #result: unknown = undefined;
  #endExternal: (() => void) | undefined = undefined;

  constructor(
    host: JobHost,
    via: JobOrigin,
    fn: FunctionInfo | undefined,
    name: string,
    args: unknown[],
    transfer: readonly TransferItem[] | undefined,
    terminateOnDrop: boolean,
  ) {
    super();
    this.#host = host;
    this.via = via;
    this.fn = fn;
    this.name = name;
    this.args = args;
    this.transfer = transfer;
    this.terminateOnDrop = terminateOnDrop;
  }

  poll(cx: Context): Poll<T> {
    switch (this.state) {
      case NEW:
        this.#waker = cx.waker;
        this.#endExternal = beginExternal();
        try {
          this.#host.submit(this as BlockingJob<unknown>);
        } catch (error) {
          this.#finish();
          throw error;
        }
        return Poll.pending;
      case QUEUED:
      case SENT:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case OK: {
        const value = this.#result as T;
        this.#finish();
        return { value };
      }
      case FAILED: {
        const error = this.#result;
        this.#finish();
        throw error;
      }
      default:
        throw new PollAfterReadyError(this.describe());
    }
  }

  /** Called by the pool with the job's outcome; wakes the poller. */
  settle(ok: boolean, result: unknown): void {
    if (this.state !== QUEUED && this.state !== SENT) return;
    this.state = ok ? OK : FAILED;
    this.#result = result;
    this.slot = undefined;
    this.args = EMPTY;
    this.transfer = undefined;
    this.#endExternal?.();
    this.#endExternal = undefined;
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    const state = this.state;
    if (state === QUEUED || state === SENT) this.#host.cancel(this as BlockingJob<unknown>);
    this.#finish();
  }

  #finish(): void {
    this.state = DONE;
    this.#result = undefined;
    this.#waker = undefined;
    this.args = EMPTY;
    this.transfer = undefined;
    this.#endExternal?.();
    this.#endExternal = undefined;
  }

  /**
   * How the job is named in messages and errors: the call that created it.
   *
   * @example
   * ```ts
   * pool.run("resize", [img]).label(); // 'pool.run("resize")'
   * ```
   */
  label(): string {
    if (this.via === VIA_RUN) return `pool.run("${this.name}")`;
    return `${this.via === VIA_RUN_FUNCTION ? "pool.runFunction" : "spawnBlocking"}(${this.name})`;
  }

  override describe(): string {
    const what = this.label();
    if (this.state === QUEUED) return `${what}: waiting for a thread`;
    if (this.state === SENT) return `${what}: on a worker thread`;
    return what;
  }
}

const EMPTY: unknown[] = [];
