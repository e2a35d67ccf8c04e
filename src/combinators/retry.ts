/**
 * `retry(makeFuture, options)`: runs a fresh attempt until one succeeds, waiting by a back-off
 * schedule between failures (p-retry's semantics, with real cancellation).
 *
 * Invariants:
 * - At most one of `#attempt` (the attempt being polled) and `#wait` (the back-off sleep) is
 *   set; neither once the retry finished or was dropped. Dropping drops whichever is set, so
 *   dropping during a back-off cancels its timer and starts no further attempt.
 * - An attempt fails when `makeFuture` throws or the future it made throws. A failure is
 *   rethrown as is when no retries are left or `shouldRetry` says no; otherwise `onRetry` is
 *   called and the back-off wait starts. Errors thrown by `shouldRetry`, `onRetry` or
 *   `backoff` end the retry with that error.
 * - Delays are on the executor's clock (virtual under `SimExecutor`).
 * @module
 */
import type { Context } from "../core/context.js";
import { AbortedError, PollAfterReadyError } from "../core/errors.js";
import { Future, isFuture, typeName } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { checkMs, Sleep } from "../time/sleep.js";
import { type Backoff, exponentialBackoff } from "./backoff.js";

/**
 * What `shouldRetry` and `onRetry` are told about a failed attempt.
 *
 * @example
 * ```ts
 * const shouldRetry = ({ error, attempt, retriesLeft }: RetryContext) =>
 *   retriesLeft > 0 && attempt < 3 && !(error instanceof SyntaxError);
 * ```
 */
export interface RetryContext {
  /** The error the attempt failed with. */
  readonly error: unknown;
  /** The number of the attempt that failed (1 for the first). */
  readonly attempt: number;
  /** How many retries are left after this failure (before it is retried). */
  readonly retriesLeft: number;
}

/**
 * Options of {@link retry}; every one is optional.
 *
 * @example
 * ```ts
 * const options: RetryOptions = { retries: 5, backoff: exponentialBackoff({ initialMs: 100 }) };
 * ```
 */
export interface RetryOptions {
  /**
   * How many times to retry after the first attempt (an integer, or `Infinity`).
   * @default 10
   */
  retries?: number;
  /**
   * The delay in milliseconds before retry number `retry` (1-based).
   * @default exponentialBackoff() (1 s, doubling)
   */
  backoff?: Backoff;
  /**
   * Whether to retry after this failure; returning false rethrows the error at once.
   * @default retries every error except an `AbortedError` (a cancellation is not a failure)
   */
  shouldRetry?: (context: RetryContext) => boolean;
  /**
   * Called after each failure that will be retried, with how long the wait will be, before
   * it starts (log it, count it). Throwing from it ends the retry with that error.
   */
  onRetry?: (context: RetryContext & { readonly delayMs: number }) => void;
}

const WHERE = "retry(makeFuture, options)";

class Retry<T> extends Future<T> {
  readonly #make: (attempt: number) => Future<T>;
  readonly #options: RetryOptions;
  readonly #retries: number;
  readonly #backoff: Backoff;
  #attempt: Future<T> | undefined = undefined;
  #wait: Sleep | undefined = undefined;
  #attempts = 0;
  #done = false;

  constructor(make: (attempt: number) => Future<T>, options: RetryOptions, retries: number) {
    super();
    this.#make = make;
    this.#options = options;
    this.#retries = retries;
    this.#backoff = options.backoff ?? exponentialBackoff();
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("retry");
    for (;;) {
      const wait = this.#wait;
      if (wait !== undefined) {
        if (wait.poll(cx) === Poll.pending) return Poll.pending;
        this.#wait = undefined;
      }
      let p: Poll<T>;
      try {
        let attempt = this.#attempt;
        if (attempt === undefined) attempt = this.#start();
        p = attempt.poll(cx);
      } catch (error) {
        this.#attempt = undefined;
        this.#failed(error);
        continue;
      }
      if (p === Poll.pending) return p;
      this.#attempt = undefined;
      this.#done = true;
      return p;
    }
  }

  #start(): Future<T> {
    const n = ++this.#attempts;
    const fut = this.#make(n);
    if (!isFuture(fut)) {
      throw new TypeError(`${WHERE}: makeFuture must return a Future, got ${typeName(fut)}`);
    }
    this.#attempt = fut as Future<T>;
    return fut as Future<T>;
  }

  /** Rethrows `error`, or arms the back-off wait before the next attempt. */
  #failed(error: unknown): void {
    try {
      const attempt = this.#attempts;
      const retriesLeft = this.#retries - (attempt - 1);
      const context: RetryContext = { error, attempt, retriesLeft };
      const { shouldRetry, onRetry } = this.#options;
      const again =
        retriesLeft > 0 &&
        (shouldRetry === undefined ? !(error instanceof AbortedError) : shouldRetry(context));
      if (!again) throw error;
      const delayMs = checkMs(this.#backoff(attempt), `${WHERE}: options.backoff(${attempt})`);
      onRetry?.({ ...context, delayMs });
      this.#wait = new Sleep(delayMs, undefined);
    } catch (e) {
      this.#done = true;
      throw e;
    }
  }

  override drop(): void {
    this.#done = true;
    const attempt = this.#attempt;
    this.#attempt = undefined;
    this.#wait?.drop();
    this.#wait = undefined;
    attempt?.drop();
  }

  override describe(): string {
    if (this.#wait !== undefined) return `retry (waiting after attempt ${this.#attempts})`;
    const attempt = this.#attempt;
    if (attempt !== undefined) return `retry (attempt ${this.#attempts}: ${attempt.describe()})`;
    return this.#done ? "retry (done)" : "retry (not started)";
  }
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`${WHERE}: options.${name} must be a function, got ${typeName(value)}`);
  }
}

/**
 * Runs `makeFuture(attempt)` until an attempt succeeds, at most `retries + 1` times, waiting
 * `backoff(n)` milliseconds before retry `n`; gives the first success, or throws the last
 * failure as is. Each attempt is a fresh future, made when it starts. Like p-retry, but lazy
 * and cancellable: dropping the retry (a `timeout`, a `select`, a cancelled token) drops the
 * attempt in flight, or cancels the back-off timer, and no further attempt starts.
 *
 * Cancel safety: as safe as one attempt. Dropped during an attempt, that attempt is dropped
 * (its cleanup runs); dropped during a back-off wait, nothing is in flight and nothing is lost.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, fromPromise, retry, run, timeout } from "wakeful";
 *
 * const price = await run(
 *   timeout(
 *     10_000,
 *     retry(() => fromPromise((signal) => fetch("http://127.0.0.1:8080/price", { signal }).then((r) => r.json())), {
 *       retries: 5,
 *       backoff: exponentialBackoff({ initialMs: 100, maxMs: 2_000, jitter: 0.5 }),
 *       shouldRetry: ({ error }) => !(error instanceof SyntaxError),
 *       onRetry: ({ attempt, delayMs, error }) => console.warn(`attempt ${attempt} failed (${String(error)}), retrying in ${delayMs} ms`),
 *     }),
 *   ),
 * );
 * ```
 */
export function retry<T>(
  makeFuture: (attempt: number) => Future<T>,
  options: RetryOptions = {},
): Future<T> {
  if (typeof makeFuture !== "function") {
    throw new TypeError(
      `${WHERE}: makeFuture must be a function returning a Future, got ${typeName(makeFuture)}`,
    );
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${WHERE}: options must be an object, got ${typeName(options)}`);
  }
  const retries = options.retries ?? 10;
  if (
    typeof retries !== "number" ||
    !(Number.isInteger(retries) || retries === Number.POSITIVE_INFINITY) ||
    retries < 0
  ) {
    throw new RangeError(
      `${WHERE}: options.retries must be an integer >= 0 or Infinity, got ${String(retries)}`,
    );
  }
  checkFunction(options.backoff, "backoff");
  checkFunction(options.shouldRetry, "shouldRetry");
  checkFunction(options.onRetry, "onRetry");
  return new Retry(makeFuture, { ...options }, retries);
}
