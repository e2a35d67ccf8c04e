/**
 * Promise interop: `fromPromise` turns a promise factory into a lazy, abortable future.
 *
 * States: unstarted → waiting (the promise is pending, `waker` holds the latest waker) →
 * settled (value or error stored, waker woken) → done (taken by `poll`, or dropped).
 * Invariants:
 * - The promise's settlement is always observed by our own handlers, so a rejection after a
 *   drop is never reported as unhandled.
 * - A thenable is adopted as `Promise.resolve` would: the first call of either callback wins,
 *   and a `then()` that throws before settling rejects with what it threw (so it is woken and
 *   fails on its next poll, exactly like a `then()` that calls `reject` synchronously). A
 *   factory's result has its `then` read once.
 * - The outside work announced when waiting starts (`beginExternal`) is ended exactly once:
 *   on settlement, on drop, or when `then()` throws.
 * @module
 */
import type { Context } from "./context.js";
import { AbortedError, PollAfterReadyError } from "./errors.js";
import { beginExternal } from "./external.js";
import { Future } from "./future.js";
import { Poll } from "./poll.js";
import type { Waker } from "./waker.js";
import { registerWaker } from "./waker-slot.js";

const UNSTARTED = 0;
const WAITING = 1;
const FULFILLED = 2;
const REJECTED = 3;
const DONE = 4;

type Factory<T> = (signal: AbortSignal) => PromiseLike<T> | T;

class FromPromise<T> extends Future<T> {
  #state = UNSTARTED;
  #factory: Factory<T> | undefined;
  #promise: PromiseLike<T> | undefined;
  #controller: AbortController | undefined = undefined;
  #waker: Waker | undefined = undefined;
  #result: unknown = undefined;
  #endExternal: (() => void) | undefined = undefined;

  constructor(factory: Factory<T> | undefined, promise: PromiseLike<T> | undefined) {
    super();
    this.#factory = factory;
    this.#promise = promise;
  }

  poll(cx: Context): Poll<T> {
    switch (this.#state) {
      case UNSTARTED:
        return this.start_(cx);
      case WAITING:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case FULFILLED:
        this.#state = DONE;
        return { value: this.take_() as T };
      case REJECTED:
        this.#state = DONE;
        throw this.take_();
      default:
        throw new PollAfterReadyError("fromPromise future");
    }
  }

  private start_(cx: Context): Poll<T> {
    const promise = this.#promise;
    const factory = this.#factory;
    this.#factory = undefined;
    this.#promise = undefined;
    if (factory !== undefined) {
      let produced: PromiseLike<T> | T;
      this.#state = DONE;
      if (factory.length > 0) {
        this.#controller = new AbortController();
        produced = factory(this.#controller.signal);
      } else {
        produced = (factory as () => PromiseLike<T> | T)();
      }
      const then = thenOf(produced);
      if (then === undefined) return { value: produced as T };
      return this.adopt_(produced as PromiseLike<T>, then, cx);
    }
    const source = promise as PromiseLike<T>;
    return this.adopt_(source, source.then as PromiseLike<unknown>["then"], cx);
  }

  private adopt_(
    thenable: PromiseLike<T>,
    then: PromiseLike<unknown>["then"],
    cx: Context,
  ): Poll<T> {
    this.#state = WAITING;
    this.#waker = cx.waker;
    this.#endExternal = beginExternal();
    try {
      then.call(
        thenable,
        (value) => this.settle_(FULFILLED, value),
        (error: unknown) => this.settle_(REJECTED, error),
      );
    } catch (error) {
      // As `Promise.resolve(thenable)`: a throw rejects, unless a callback came first.
      this.settle_(REJECTED, error);
    }
    // Settled synchronously or not, the outcome is taken on the poll after the wake.
    return Poll.pending;
  }

  private settle_(state: number, result: unknown): void {
    if (this.#state !== WAITING) return;
    this.#endExternal?.();
    this.#endExternal = undefined;
    this.#state = state;
    this.#result = result;
    this.#controller = undefined;
    const waker = this.#waker;
    this.#waker = undefined;
    waker?.wake();
  }

  private take_(): unknown {
    const result = this.#result;
    this.#result = undefined;
    return result;
  }

  override drop(): void {
    const wasWaiting = this.#state === WAITING;
    this.#state = DONE;
    this.#endExternal?.();
    this.#endExternal = undefined;
    this.#factory = undefined;
    this.#promise = undefined;
    this.#waker = undefined;
    this.#result = undefined;
    const controller = this.#controller;
    this.#controller = undefined;
    if (wasWaiting)
      controller?.abort(new AbortedError("the future awaiting this promise was dropped"));
  }

  override describe(): string {
    return this.#state === WAITING ? "promise" : "fromPromise";
  }
}

/** The `then` method of a thenable (read once, as `Promise.resolve` does), else undefined. */
function thenOf(value: unknown): PromiseLike<unknown>["then"] | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) {
    return undefined;
  }
  const then = (value as PromiseLike<unknown>).then;
  return typeof then === "function" ? then : undefined;
}

/**
 * Awaits a promise as a future. Pass a factory to keep it lazy and cancellable: the factory runs
 * on the first poll and receives an `AbortSignal` that is aborted if the future is dropped
 * before the promise settles. Passing a promise directly also works, but that promise has
 * already started and cannot be stopped.
 *
 * Cancel safety: dropping it aborts the signal; whether the underlying operation stops (and
 * whether its effect is lost) is up to the promise's producer, e.g. `fetch` stops the request.
 * Only what the one factory's promise covers is stopped: once the future is ready its signal is
 * never aborted, so read a `fetch` body in the same promise chain, not in a second
 * `fromPromise` after the first returned the response (that body would keep downloading after
 * a timeout).
 *
 * @example
 * ```ts
 * const user = fromPromise((signal) => fetch(url, { signal }).then((r) => r.json()));
 * const u = await run(timeout(5000, user)); // a timeout stops the download, mid-body too
 * ```
 */
export function fromPromise<T>(
  source: ((signal: AbortSignal) => PromiseLike<T> | T) | PromiseLike<T>,
): Future<T> {
  if (typeof source === "function") return new FromPromise<T>(source, undefined);
  if (thenOf(source) !== undefined) {
    return new FromPromise<T>(undefined, source as PromiseLike<T>);
  }
  throw new TypeError("fromPromise(source): expected a function returning a promise, or a promise");
}
