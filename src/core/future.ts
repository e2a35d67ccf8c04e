/**
 * The `Future` abstract class: a lazy computation polled to completion by an executor.
 *
 * Contract every subclass keeps (the same as Rust's `Future`):
 * - Nothing happens until the first `poll`.
 * - `poll` returns `Poll.pending` only after arranging for the *latest* `cx.waker` to be woken
 *   when progress is possible. Spurious polls are allowed and must be harmless.
 * - After `poll` returned `Ready` the future is finished: polling again throws
 *   `PollAfterReadyError`.
 * - `drop()` is called at most once, by the owner of an unfinished future it discards. It is
 *   synchronous, releases everything the future holds and never throws into its caller
 *   (errors go to `reportUnhandled`). A dropped future is never polled again.
 * - `yield* fut` inside `future(function* …)` awaits it: the iterator yields the future itself
 *   to the driving async block and returns the value the block resumes it with. Every such
 *   yield hands the block one shared result object, `YIELDED` (a generator passes the result
 *   of the iterator it delegates to through unchanged), so a result that is not `YIELDED` came
 *   from a plain `yield`, which the block rejects. Statically, the yield is typed
 *   {@link Awaiting}, which a `Future` is not, so a plain `yield fut` does not compile.
 * @module
 */
import type { Context } from "./context.js";
import { Poll } from "./poll.js";
import { RT } from "./runtime.js";

declare const awaitWithYieldStarNotYield: unique symbol;

/**
 * What an async block's generator yields, as TypeScript sees it: only `yield* fut` produces it
 * (at run time it is the awaited future itself, read by the block alone). A `Future` lacks the
 * brand, so a plain `yield fut` (without the star) makes the generator's yield type wrong and
 * the block does not compile; TypeScript then reports the missing
 * `[awaitWithYieldStarNotYield]` property. Without types, the block throws a `TypeError` into the
 * generator at that `yield`.
 *
 * @example
 * ```ts
 * future(function* () {
 *   yield* sleep(100); // awaits: the generator yields an Awaiting
 *   yield sleep(100); // compile error: a Future is not an Awaiting
 * });
 * ```
 */
export interface Awaiting {
  /** The brand that no `Future` has; its name and type are what a type error shows. */
  readonly [awaitWithYieldStarNotYield]: "await a future with yield*, not yield";
}

/** The key of {@link Future}'s brand, shared by every copy of wakeful in the realm. */
const FUTURE_BRAND: unique symbol = Symbol.for("wakeful.future") as never;

/**
 * A lazy, cancellable computation producing a `T`. Subclasses implement {@link Future.poll} and
 * may override {@link Future.drop} to release resources when discarded unfinished.
 *
 * @example
 * ```ts
 * class Countdown extends Future<string> {
 *   constructor(private n: number) { super(); }
 *   poll(cx: Context): Poll<string> {
 *     if (this.n-- > 0) { cx.waker.wake(); return Poll.pending; }
 *     return Poll.ready("liftoff");
 *   }
 * }
 * const msg = await run(new Countdown(3));
 * ```
 */
export abstract class Future<T> implements Disposable {
  /**
   * @internal The brand that tells a Future of any copy of wakeful (the ESM and CommonJS
   * builds, or two installed versions) from other objects, where `instanceof` sees only its
   * own copy's class.
   */
  get [FUTURE_BRAND](): true {
    return true;
  }

  /**
   * Makes as much progress as possible without blocking.
   * Returns `Poll.ready(value)` when finished, or `Poll.pending` after arranging for
   * `cx.waker` to be woken.
   *
   * @example
   * ```ts
   * const p = fut.poll(Context.from(Waker.noop()));
   * ```
   */
  abstract poll(cx: Context): Poll<T>;

  /**
   * Discards an unfinished future, synchronously releasing what it holds (Rust's `Drop`).
   * The default does nothing.
   *
   * @example
   * ```ts
   * override drop(): void { clearTimeout(this.timer); }
   * ```
   */
  drop(): void {}

  /**
   * A short label for task dumps and deadlock reports: what this future is waiting on.
   *
   * @example
   * ```ts
   * override describe(): string { return `sleep(${this.ms})`; }
   * ```
   */
  describe(): string {
    return this.constructor.name;
  }

  /**
   * Same as `drop()`, so `using fut = …` drops a future at the end of a scope.
   *
   * @example
   * ```ts
   * { using fut = fromPromise((signal) => fetch(url, { signal }).then((r) => r.json())); }
   * ```
   */
  [Symbol.dispose](): void {
    this.drop();
  }

  /**
   * Lets an async block await the future with `yield*`, typed as `T`.
   *
   * @example
   * ```ts
   * const body = future(function* () { const res = yield* fetchJson(url); return res.id; });
   * ```
   */
  [Symbol.iterator](): Iterator<Awaiting, T, any> {
    awaitedNext = this;
    return AWAIT as unknown as Iterator<Awaiting, T, any>;
  }
}

/*
 * The iterator behind `yield* fut`, shared by every await so that awaiting allocates nothing.
 *
 * `yield* fut` calls `fut[Symbol.iterator]()` and then, at once, `next()`: the first call sets
 * `awaitedNext`, the second consumes it and yields the future to the driving async block
 * (nothing can run in between). `InlineFuture`s use `AWAIT_NOW` instead, which first tries to
 * finish the future on the spot. When the block resumes the generator, `next(value)` finds
 * `awaitedNext` empty and completes the `yield*` with `value`; `throw` rethrows into the
 * generator; `return` lets a dropped generator run its `finally` blocks. Both result objects
 * are reused: the engine reads `done` and `value` immediately and keeps neither. `YIELDED`
 * lives in the runtime state, shared by every copy of wakeful in the realm, so a block of one
 * copy recognises the `yield*` of another copy's future; the hand-over itself stays within
 * one copy (its iterator's `next` reads what its `[Symbol.iterator]` just set), so
 * `awaitedNext` is this module's own.
 */
let awaitedNext: Future<unknown> | undefined;
/** @internal The one result every `yield* fut` yields; async blocks reject any other. */
export const YIELDED = RT.yielded as { done: false; value: Future<unknown> | undefined };
const RETURNED: { done: true; value: unknown } = { done: true, value: undefined };

/**
 * Forgets a future whose iterator was requested but never stepped (e.g. by a deep-equality
 * helper walking iterables), so it cannot leak into the next resume. Async blocks call it
 * before every resume of their generator; at that point no `yield*` is half-way.
 * @internal
 */
export function clearPendingAwait(): void {
  awaitedNext = undefined;
}

const AWAIT = {
  next(value?: unknown): IteratorResult<Future<unknown> | undefined, unknown> {
    const future = awaitedNext;
    if (future !== undefined) {
      awaitedNext = undefined;
      YIELDED.value = future;
      return YIELDED;
    }
    RETURNED.value = value;
    return RETURNED;
  },
  throw(error: unknown): never {
    throw error;
  },
  return(value?: unknown): IteratorResult<never, unknown> {
    awaitedNext = undefined;
    return { done: true, value };
  },
};

const AWAIT_NOW = {
  next(value?: unknown): IteratorResult<Future<unknown> | undefined, unknown> {
    const future = awaitedNext as InlineFuture<unknown> | undefined;
    if (future !== undefined) {
      awaitedNext = undefined;
      const now = future.pollNow();
      if (now !== undefined && now !== Poll.pending) {
        RETURNED.value = (now as { value: unknown }).value;
        return RETURNED;
      }
      YIELDED.value = future;
      return YIELDED;
    }
    RETURNED.value = value;
    return RETURNED;
  },
  throw: AWAIT.throw,
  return: AWAIT.return,
};

/**
 * A leaf future that `yield*` can often finish on the spot (a buffered message, a free slot or
 * permit): awaiting it first calls {@link InlineFuture.pollNow}, and only if that cannot finish
 * is the future handed to the async block to be polled as usual. Only futures that opt in by
 * extending this class pay for the extra call.
 *
 * @example
 * ```ts
 * class TakeOne<T> extends InlineFuture<T> {
 *   constructor(private queue: T[]) { super(); }
 *   pollNow(): Poll<T> | undefined {
 *     return this.queue.length > 0 ? Poll.ready(this.queue.shift() as T) : undefined;
 *   }
 *   poll(cx: Context): Poll<T> { … }
 * }
 * ```
 */
export abstract class InlineFuture<T> extends Future<T> {
  /**
   * Called on a fresh, never-polled future when an async block awaits it: return its `Ready`
   * (or throw its error) to complete the `yield*` at once; return `Poll.pending` or `undefined`
   * to be polled as usual. It must not register a waker or change anything unless it completes
   * the future.
   */
  abstract pollNow(): Poll<T> | undefined;

  override [Symbol.iterator](): Iterator<Awaiting, T, any> {
    awaitedNext = this;
    return AWAIT_NOW as unknown as Iterator<Awaiting, T, any>;
  }
}

/**
 * True when `value` is a {@link Future}.
 *
 * @example
 * ```ts
 * if (!isFuture(x)) throw new TypeError("expected a Future");
 * ```
 */
export function isFuture(value: unknown): value is Future<unknown> {
  return (
    value instanceof Future ||
    (typeof value === "object" &&
      value !== null &&
      (value as { [FUTURE_BRAND]?: unknown })[FUTURE_BRAND] === true)
  );
}

/**
 * Throws a `TypeError` naming `argument` unless `value` is a Future. For eager validation in
 * functions that take futures.
 *
 * @example
 * ```ts
 * assertFuture(fut, "spawn(fut)");
 * ```
 */
export function assertFuture(value: unknown, argument: string): asserts value is Future<unknown> {
  if (!isFuture(value)) {
    throw new TypeError(`${argument}: expected a Future, got ${typeName(value)}`);
  }
}

/**
 * A readable name for the type of `value`, for error messages; for the values people pass by
 * mistake where a Future is due, it also says what to do instead. Never throws.
 */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  const type = typeof value;
  if (type !== "object" && type !== "function") return type;
  let tag: string;
  try {
    tag = Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    tag = type;
  }
  if (type === "function") {
    const name = (value as { name?: unknown }).name;
    const shown = typeof name === "string" && name !== "" ? name : "(anonymous)";
    switch (tag) {
      case "GeneratorFunction":
        return `generator function ${shown} (wrap it with future(fn) or asyncFn(fn) to get a Future)`;
      case "AsyncFunction":
        return `async function ${shown} (wrap its call with fromPromise(() => fn()))`;
      case "AsyncGeneratorFunction":
        return `async generator function ${shown}`;
      default:
        return `function ${shown}`;
    }
  }
  if (value instanceof Promise) return "a Promise (wrap it with fromPromise)";
  if (tag === "Generator") {
    return "a generator object (a generator function was called: pass future(fn) instead of fn())";
  }
  if (tag === "AsyncGenerator") return "an async generator object";
  try {
    if (typeof (value as { then?: unknown }).then === "function") {
      return "a thenable (wrap it with fromPromise)";
    }
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && name !== "") return name;
  } catch {
    // A throwing getter: fall back to the tag.
  }
  return tag === "Object" ? "object" : tag;
}
