/**
 * The core's errors, and those every layer above may throw (a future polled after it finished,
 * an await during a drop, an aborted wait, a channel closed under a sender or receiver).
 * Errors that belong to one layer live with it: `JoinError` in executor/, `TimeoutError` in
 * combinators/, `BlockingError`/`QueueFullError` in blocking/. Each class sets `name` so logs
 * and `util.inspect` show it.
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
