/**
 * Every error class wakeful throws, in one place, so that `instanceof` checks and messages stay
 * consistent across layers. Each class sets `name` so logs and `util.inspect` show it.
 * @module
 */

/**
 * Thrown when a future is polled again after it returned `Ready` (or after it was dropped).
 *
 * @example
 * ```ts
 * fut.poll(cx); // Ready
 * fut.poll(cx); // throws PollAfterReadyError
 * ```
 */
export class PollAfterReadyError extends Error {
  /** Always `"PollAfterReadyError"`. */
  override readonly name = "PollAfterReadyError";
  constructor(what = "future") {
    super(`${what} was polled after it completed or was dropped`);
  }
}

/**
 * Thrown into a generator whose `finally` block tries to `yield*` while the future is being
 * dropped: drop is synchronous, like Rust's `Drop`, so cleanup cannot wait. The error is then
 * reported to the executor's `onUnhandledError`, never thrown at whoever dropped the future.
 *
 * @example
 * ```ts
 * future(function* () {
 *   try { yield* sleep(1000); }
 *   finally { yield* flush(); } // AwaitDuringDropError if the block is dropped mid-sleep
 * });
 * ```
 */
export class AwaitDuringDropError extends Error {
  /** Always `"AwaitDuringDropError"`. */
  override readonly name = "AwaitDuringDropError";
  constructor() {
    super(
      "cannot yield* inside a finally block while the future is being dropped: drop is synchronous; " +
        "do asynchronous cleanup in a spawned task instead",
    );
  }
}

/**
 * Why a task did not produce a value: it was cancelled (aborted, or dropped when its executor
 * shut down), or its future threw (a "panic", kept as `cause`).
 *
 * @example
 * ```ts
 * try { yield* handle; } catch (e) {
 *   if (e instanceof JoinError && e.isCancelled) console.log("task was aborted");
 * }
 * ```
 */
export class JoinError extends Error {
  /** Always `"JoinError"`. */
  override readonly name = "JoinError";
  readonly #cancelled: boolean;

  /** Prefer {@link JoinError.cancelled} and {@link JoinError.panic}. */
  constructor(cancelled: boolean, cause: unknown, task?: string) {
    const who = task === undefined ? "task" : `task ${task}`;
    super(cancelled ? `${who} was cancelled` : `${who} failed: ${describe(cause)}`, { cause });
    this.#cancelled = cancelled;
  }

  /** The task was aborted or dropped before it finished. */
  get isCancelled(): boolean {
    return this.#cancelled;
  }

  /** The task's future threw; the thrown value is `cause`. */
  get isPanic(): boolean {
    return !this.#cancelled;
  }

  /**
   * A cancellation error.
   *
   * @example
   * ```ts
   * throw JoinError.cancelled("worker-1");
   * ```
   */
  static cancelled(task?: string): JoinError {
    return new JoinError(true, undefined, task);
  }

  /**
   * A failure error wrapping what the task threw.
   *
   * @example
   * ```ts
   * throw JoinError.panic(new Error("boom"), "worker-1");
   * ```
   */
  static panic(cause: unknown, task?: string): JoinError {
    return new JoinError(false, cause, task);
  }
}

/**
 * Thrown by `timeout(ms, fut)` when the time ran out; `fut` has been dropped by then.
 *
 * @example
 * ```ts
 * try { yield* timeout(5000, fetchUser(id)); }
 * catch (e) { if (e instanceof TimeoutError) console.log(e.ms); }
 * ```
 */
export class TimeoutError extends Error {
  /** Always `"TimeoutError"`. */
  override readonly name = "TimeoutError";
  /** The deadline that elapsed, in milliseconds. */
  readonly ms: number;
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/**
 * Thrown by a future made `abortable` (or cancelled through a token) once it is aborted.
 *
 * @example
 * ```ts
 * const [fut, handle] = abortable(work());
 * handle.abort("shutting down");
 * ```
 */
export class AbortedError extends Error {
  /** Always `"AbortedError"`. */
  override readonly name = "AbortedError";
  constructor(reason?: unknown) {
    super(reason === undefined ? "aborted" : `aborted: ${describe(reason)}`, { cause: reason });
  }
}

/**
 * A send failed because every receiver is gone; the value that was not delivered is returned
 * in `value`, so nothing is lost.
 *
 * @example
 * ```ts
 * try { yield* tx.send(msg); } catch (e) { if (e instanceof SendError) retry(e.value); }
 * ```
 */
export class SendError<T = unknown> extends Error {
  /** Always `"SendError"`. */
  override readonly name = "SendError";
  /** The value that could not be delivered. */
  readonly value: T;
  constructor(value: T, message = "the receiving side is closed") {
    super(message);
    this.value = value;
  }
}

/**
 * A receive failed because the sending side was closed without sending (oneshot).
 *
 * @example
 * ```ts
 * try { yield* rx; } catch (e) { if (e instanceof RecvError) console.log("sender went away"); }
 * ```
 */
export class RecvError extends Error {
  /** Always `"RecvError"`. */
  override readonly name = "RecvError";
  constructor(message = "the sending side was closed without sending a value") {
    super(message);
  }
}

/**
 * An acquire failed because the semaphore (or the lock built on it) was closed.
 *
 * @example
 * ```ts
 * sem.close();
 * yield* sem.acquire(); // throws AcquireError
 * ```
 */
export class AcquireError extends Error {
  /** Always `"AcquireError"`. */
  override readonly name = "AcquireError";
  constructor(message = "the semaphore is closed") {
    super(message);
  }
}

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

/** A short description of an unknown thrown value, for messages. */
export function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
