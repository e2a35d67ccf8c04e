/**
 * Every `BlockingError` a job can fail with, built in one place so messages stay consistent:
 * each names the job by the call that created it (`spawnBlocking(fib)`, `pool.run("resize")`,
 * `pool.runFunction(fib)`, see `BlockingJob#label`), says what happened, and
 * carries the underlying error as `cause`.
 * @module
 */
import { describe } from "../core/errors.js";
import { BlockingError } from "./errors.js";
import { type BlockingJob, VIA_RUN_FUNCTION } from "./job.js";
import { ERROR_NOT_CLONEABLE, ERROR_NOT_SELF_CONTAINED } from "./protocol.js";

/**
 * A job failed for `why`, caused by `cause`.
 *
 * @example
 * ```ts
 * jobFailure(job, "its arguments could not be sent to the worker", dataCloneError);
 * ```
 */
export function jobFailure(job: BlockingJob<unknown>, why: string, cause: unknown): BlockingError {
  return new BlockingError(`${job.label()} failed: ${why}: ${describe(cause)}`, cause);
}

/**
 * The error for a job whose worker replied with an error (`flag` from `protocol.ts`).
 *
 * @example
 * ```ts
 * replyError(job, new RangeError("n < 0"), ERROR_PLAIN).message; // "spawnBlocking(fib) threw: n < 0"
 * ```
 */
export function replyError(job: BlockingJob<unknown>, error: unknown, flag: number): BlockingError {
  if (flag === ERROR_NOT_SELF_CONTAINED) {
    return new BlockingError(
      `${job.label()} threw ${describeError(error)}. A function run by ` +
        `${job.via === VIA_RUN_FUNCTION ? "pool.runFunction" : "spawnBlocking"} must be ` +
        "self-contained: it runs on another thread and cannot use variables, imports or helpers " +
        "from the code around it. Pass what it needs as arguments, or put it in a task module " +
        "(new BlockingPool({ filename }))",
      error,
    );
  }
  if (flag === ERROR_NOT_CLONEABLE)
    return new BlockingError(`${job.label()} failed: ${describe(error)}`, error);
  return new BlockingError(`${job.label()} threw ${describeError(error)}`, error);
}

/**
 * The error for a job whose worker thread died while running it, was terminated, or never
 * started (`failedToStart`).
 *
 * @example
 * ```ts
 * workerFailure(job, new WorkerExit(3), false).message;
 * // "spawnBlocking(work) failed: its worker thread exited with code 3 while running it"
 * ```
 */
export function workerFailure(
  job: BlockingJob<unknown>,
  cause: unknown,
  failedToStart: boolean,
): BlockingError {
  let why: string;
  if (failedToStart) why = `the worker thread could not start: ${describe(cause)}`;
  else if (cause === undefined) why = "its worker thread was terminated";
  else if (cause instanceof WorkerExit)
    why = `its worker thread exited with code ${cause.code} while running it (process.exit?)`;
  else if ((cause as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY")
    why = `its worker thread ran out of memory (resourceLimits): ${describe(cause)}`;
  else why = `its worker thread crashed with an uncaught error: ${describe(cause)}`;
  return new BlockingError(`${job.label()} failed: ${why}`, cause);
}

/**
 * The error for a job whose thread died before starting it after the job's transfer list had
 * been moved to that thread: the objects died with it and cannot be sent again.
 *
 * @example
 * ```ts
 * lostTransfer(job, new WorkerExit(1)).message;
 * // "pool.run(\"resize\") failed: its worker thread died before starting it, and the objects …"
 * ```
 */
export function lostTransfer(job: BlockingJob<unknown>, cause: unknown): BlockingError {
  return new BlockingError(
    `${job.label()} failed: its worker thread died before starting it, and the objects in ` +
      `its transfer list, already moved there, died with it (a moved object cannot be sent ` +
      `again)${cause === undefined ? "" : `: ${describe(cause)}`}`,
    cause,
  );
}

/**
 * The error for a job that was still waiting when its pool was closed.
 *
 * @example
 * ```ts
 * closedError(job).message; // "pool.run(\"resize\"): the blocking pool was closed before this job started"
 * ```
 */
export function closedError(job: BlockingJob<unknown>): BlockingError {
  return new BlockingError(`${job.label()}: the blocking pool was closed before this job started`);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return describe(error);
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
