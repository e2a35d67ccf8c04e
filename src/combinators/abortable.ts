/**
 * `abortable(fut)`: a future plus a handle that can stop it from anywhere.
 *
 * Invariants:
 * - `abort()` drops the inner future at once (synchronously, innermost cleanup first) and wakes
 *   the task awaiting it, which then throws `AbortedError` on its next poll. The one exception:
 *   when `abort()` is called from inside the inner future's own poll (the future aborts
 *   itself), the drop is deferred until that poll returns, since a future cannot be dropped
 *   while it runs.
 * - If the inner future finished before the abort took effect, its value (or error) stands:
 *   nothing is lost, and `isAborted` is still true.
 * - `#inner` is set while the inner future is unfinished and not dropped; after `#done` the
 *   future throws `PollAfterReadyError`.
 * @module
 */
import type { Context } from "../core/context.js";
import { AbortedError, PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { assertUnowned } from "../core/ownership.js";
import { Poll } from "../core/poll.js";
import { dropQuietly } from "../core/unhandled.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";

/** @internal The future `abortable` returns; also behind `token.runUntilCancelled`. */
export class Abortable<T> extends Future<T> {
  #inner: Future<T> | undefined;
  #waker: Waker | undefined = undefined;
  #aborted = false;
  #reason: unknown = undefined;
  #polling = false;
  #done = false;

  constructor(inner: Future<T>) {
    super();
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("abortable future");
    const inner = this.#inner;
    if (inner === undefined) {
      this.#done = true;
      throw new AbortedError(this.#reason);
    }
    let p: Poll<T>;
    this.#polling = true;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#finish();
      throw error;
    } finally {
      this.#polling = false;
    }
    if (p !== Poll.pending) {
      this.#finish();
      return p;
    }
    if (this.#aborted) {
      this.#finish();
      dropQuietly(inner);
      throw new AbortedError(this.#reason);
    }
    const waker = this.#waker;
    this.#waker = registerWaker(waker, cx);
    return p;
  }

  #finish(): void {
    this.#done = true;
    this.#inner = undefined;
    this.#waker = undefined;
  }

  /** True once `abort` was called. */
  get isAborted(): boolean {
    return this.#aborted;
  }

  /** Aborts: drops the inner future now (after its poll, if polling) and wakes the task. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    if (this.#done || this.#polling) return;
    const inner = this.#inner;
    this.#inner = undefined;
    const waker = this.#waker;
    this.#waker = undefined;
    if (inner !== undefined) dropQuietly(inner);
    waker?.wake();
  }

  override drop(): void {
    const inner = this.#inner;
    this.#finish();
    if (inner !== undefined) dropQuietly(inner);
  }

  override describe(): string {
    const inner = this.#inner;
    if (inner !== undefined) return `abortable(${inner.describe()})`;
    return this.#done ? "abortable (done)" : "abortable (aborted)";
  }
}

/**
 * Stops the future returned with it by {@link abortable}.
 *
 * @example
 * ```ts
 * const [job, handle] = abortable(longJob());
 * spawn(job);
 * onShutdown(() => handle.abort("shutting down"));
 * ```
 */
export class AbortHandle {
  readonly #target: Abortable<unknown>;

  /** Made by {@link abortable}. */
  private constructor(target: Abortable<unknown>) {
    if (!(target instanceof Abortable)) {
      throw new TypeError("AbortHandle: use abortable(fut) to make one");
    }
    this.#target = target;
  }

  /**
   * Aborts the future: it is dropped now (its cleanup runs), and the task awaiting it is woken
   * and gets `AbortedError` (with `reason` as its `cause`). Idempotent; does nothing to a future
   * that already finished.
   *
   * @example
   * ```ts
   * handle.abort(new Error("user cancelled"));
   * ```
   */
  abort(reason?: unknown): void {
    this.#target.abort(reason);
  }

  /**
   * True once {@link AbortHandle.abort} has been called.
   *
   * @example
   * ```ts
   * if (!handle.isAborted) handle.abort();
   * ```
   */
  get isAborted(): boolean {
    return this.#target.isAborted;
  }
}

/**
 * Wraps `fut` so that it can be stopped from outside: returns the wrapped future and its
 * {@link AbortHandle}. After `handle.abort()` the inner future is dropped at once (its
 * `finally` blocks run, its timers and requests are cancelled) and the wrapped future throws
 * `AbortedError` when next polled; the awaiting task is woken for that. If `fut` had already
 * finished, its result stands. Aborting before the first poll means `fut` never starts.
 *
 * Cancel safety: as safe as `fut`: aborting (or dropping the wrapper) drops `fut` mid-way.
 *
 * @example
 * ```ts
 * const [download, handle] = abortable(fetchAll(urls));
 * const task = spawn(download);
 * setTimeout(() => handle.abort("user pressed cancel"), 1000);
 * try { yield* task; } catch (e) { if (e instanceof JoinError) console.log(e.cause); }
 * ```
 */
export function abortable<T>(fut: Future<T>): [Future<T>, AbortHandle] {
  assertUnowned(fut, "abortable(fut)");
  const wrapped = new Abortable<T>(fut);
  const handle = new (AbortHandle as unknown as new (t: Abortable<T>) => AbortHandle)(wrapped);
  return [wrapped, handle];
}
