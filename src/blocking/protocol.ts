/**
 * The wire protocol between a {@link BlockingPool} and its worker threads: every message type,
 * the shared "cell" states, and what the worker is started with. Both sides import this file and
 * nothing else of each other.
 *
 * Invariants:
 * - A worker runs the jobs it is sent one at a time, in the order they arrived, and answers each
 *   with exactly one reply, in the same order. So the pool matches a reply to the oldest job it
 *   sent that worker without an id on the wire.
 * - Every job sent to a worker occupies one *cell* of that worker's `Int32Array` (over a
 *   `SharedArrayBuffer`), the cell named in the job message. The pool writes `CELL_QUEUED` before
 *   sending; before running the job the worker moves the cell `QUEUED → STARTED` with a
 *   compare-and-swap; a pool that wants the job back (dropped, stolen by an idle worker, pool
 *   closing) moves it `QUEUED → CANCELLED` with a compare-and-swap. Exactly one side wins, so a
 *   cancelled job never starts, and after a crash the one `STARTED` cell without a reply names
 *   the culprit. A worker answers a cancelled job with `REPLY_SKIPPED`.
 * - When the job ends the worker moves its cell `STARTED → DONE` before replying. A pool that
 *   wants a running job killed (`terminateOnDrop`) moves it `STARTED → KILLED` and then
 *   terminates the worker. Exactly one side wins: a worker that loses stops there (no reply,
 *   no further job), so a kill never lands on a job that started after the one meant; a pool
 *   that loses lets the job's reply come.
 * - A cell is reused only after the reply for its previous job arrived.
 * - The worker sets `booted[0]` to 1 as soon as it runs: a worker that dies with it still 0
 *   failed to start, and nothing it was sent ever ran.
 * @module
 */

/** Cell states, see the module invariants. */
export const CELL_EMPTY = 0;
export const CELL_QUEUED = 1;
export const CELL_STARTED = 2;
export const CELL_CANCELLED = 3;
export const CELL_DONE = 4;
export const CELL_KILLED = 5;

/** Job kinds (first element of a job message). */
export const JOB_FUNCTION = 0;
export const JOB_EXPORT = 1;

/**
 * Run a self-contained function: `[JOB_FUNCTION, cell, fnId, source, args]`. `source` is sent
 * only with the first job of `fnId` the pool posts to this worker (otherwise `null`); the worker
 * keeps it under `fnId` as soon as it takes that message in turn, even if it skips that job.
 */
export type FunctionJobMessage = [
  kind: typeof JOB_FUNCTION,
  cell: number,
  fnId: number,
  source: string | null,
  args: unknown[],
];

/** Run a named export of the pool's task module: `[JOB_EXPORT, cell, exportName, args]`. */
export type ExportJobMessage = [
  kind: typeof JOB_EXPORT,
  cell: number,
  exportName: string,
  args: unknown[],
];

/** What the pool sends a worker. */
export type JobMessage = FunctionJobMessage | ExportJobMessage;

/** Reply kinds (first element of a reply). */
export const REPLY_OK = 0;
export const REPLY_ERROR = 1;
export const REPLY_SKIPPED = 2;

/** Error flags carried by `REPLY_ERROR`. */
export const ERROR_PLAIN = 0;
/** A function job hit a `ReferenceError`: most likely it is not self-contained. */
export const ERROR_NOT_SELF_CONTAINED = 1;
/** The job's result (or what it threw) could not be structured-cloned back. */
export const ERROR_NOT_CLONEABLE = 2;

/** What a worker sends back, one per job, in job order. */
export type ReplyMessage =
  | [kind: typeof REPLY_OK, value: unknown]
  | [kind: typeof REPLY_ERROR, error: unknown, flag: number]
  | [kind: typeof REPLY_SKIPPED];

/** The `workerData` every pool worker starts with. */
export interface WorkerStartData {
  /** One cell per job the worker may hold in flight (see the module invariants). */
  readonly cells: Int32Array;
  /** One flag, set to 1 by the worker once it runs (see the module invariants). */
  readonly booted: Int32Array;
  /** The task module for `pool.run(exportName, …)`: a path or a `file:` URL. */
  readonly filename: string | undefined;
}

/** The key under which {@link transferResult} marks a value; shared by realms via `Symbol.for`. */
export const TRANSFER_MARK: unique symbol = Symbol.for("wakeful.blocking.transfer") as never;

/**
 * Something a job can move instead of copy: an `ArrayBuffer`, a `MessagePort`, …
 * (`worker_threads`' `TransferListItem`).
 */
export type TransferItem = object;

/** A job result with a transfer list, as built by {@link transferResult}. */
export interface TransferredResult<T> {
  /** The objects to move (not copy) to the caller. */
  readonly [TRANSFER_MARK]: readonly TransferItem[];
  /** The job's result. */
  readonly value: T;
}

/**
 * Marks a result to be *moved* back to the caller instead of copied: the listed `ArrayBuffer`s
 * (and other transferables) are detached in the worker and arrive without a copy. Return it
 * from a task module export; the awaiting future receives `value`.
 *
 * @example
 * ```ts
 * // tasks.ts, the pool's task module
 * import { transferResult } from "wakeful";
 * export function render(width: number, height: number) {
 *   const pixels = new Uint8Array(width * height * 4);
 *   // …fill pixels…
 *   return transferResult(pixels, [pixels.buffer]);
 * }
 * ```
 */
export function transferResult<T>(
  value: T,
  transferList: readonly TransferItem[],
): TransferredResult<T> {
  if (!Array.isArray(transferList)) {
    throw new TypeError("transferResult(value, transferList): transferList must be an array");
  }
  return { [TRANSFER_MARK]: transferList, value };
}

/** True when `value` was built by {@link transferResult} (in any realm). */
export function isTransferredResult(value: unknown): value is TransferredResult<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as Partial<TransferredResult<unknown>>)[TRANSFER_MARK])
  );
}
