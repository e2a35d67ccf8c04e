/**
 * The errors of the blocking pool (job-errors.ts builds the per-job ones).
 * @module
 */

/**
 * A job on the blocking pool failed: it threw, its worker crashed or exited, it exceeded its
 * resource limits, or the pool was closed before it ran. The underlying error is `cause`.
 *
 * @example
 * ```ts
 * try { yield* spawnBlocking(parse, text); }
 * catch (e) { if (e instanceof BlockingError) console.error(e.cause); }
 * ```
 */
export class BlockingError extends Error {
  /** Always `"BlockingError"`. */
  override readonly name = "BlockingError";
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/**
 * The blocking pool's queue of jobs waiting for a thread is full (`maxQueue`).
 *
 * @example
 * ```ts
 * try { yield* pool.run("resize", [img]); }
 * catch (e) { if (e instanceof QueueFullError) respond(503); }
 * ```
 */
export class QueueFullError extends Error {
  /** Always `"QueueFullError"`. */
  override readonly name = "QueueFullError";
  /** The `maxQueue` that was reached. */
  readonly maxQueue: number;
  constructor(maxQueue: number) {
    super(`the blocking pool queue is full (maxQueue = ${maxQueue})`);
    this.maxQueue = maxQueue;
  }
}
