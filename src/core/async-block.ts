/**
 * Async blocks: `future(function* () { … })` and `asyncFn(function* (a, b) { … })`.
 *
 * An async block drives a generator. `yield* fut` hands `fut` to the block, which polls it with
 * the block's own context and resumes the generator with its value (or throws its error into
 * it). A future that is ready on its first poll resumes the generator at once, so a chain of
 * ready futures costs no trip through the executor.
 *
 * States and who moves them:
 * - `Unstarted` → first `poll` creates the generator (the body has not run before that).
 *   Until then the block holds the body and its arguments; a single argument is held as is,
 *   since most async functions take one and an array per call is a measurable cost.
 * - `Running` only inside `poll`; a re-entrant poll is a bug and throws.
 * - `Suspended` holds `awaiting`, the one future the generator waits on; only `poll` and `drop`
 *   touch it. For a `yieldNow()` it holds a shared stand-in instead (see yield-once.ts).
 * - `Done` after the generator returned or threw; polling again throws `PollAfterReadyError`.
 * - `Dropped` after `drop()`: first `awaiting` is dropped, then the generator's `finally`
 *   blocks run (`return()`); a `finally` that tries to `yield*` gets `AwaitDuringDropError`,
 *   which goes to `reportUnhandled`, like any error raised while dropping.
 * @module
 */
import type { Context } from "./context.js";
import { AwaitDuringDropError, PollAfterReadyError } from "./errors.js";
import { clearPendingAwait, Future, typeName } from "./future.js";
import { Poll } from "./poll.js";
import { reportUnhandled } from "./unhandled.js";
import { YieldOnce } from "./yield-once.js";

/** The generator an async block runs: it yields futures (through `yield*`) and returns `T`. */
export type AsyncGenerator<T> = Generator<Future<unknown>, T, any>;

const SUSPENDED = 1;
const RUNNING = 2;
const DONE = 3;
const DROPPED = 4;
// The unstarted states say what the second slot holds until the first poll.
/** Unstarted; the body takes no arguments and no `this`. */
const UNSTARTED = 5;
/** Unstarted; the second slot is the body's one argument (no `this`). */
const UNSTARTED_ONE = 6;
/** Unstarted; the second slot is the argument array (no `this`). */
const UNSTARTED_ARGS = 7;
/** Unstarted; the second slot is the argument array, whose last element is the `this`. */
const UNSTARTED_WITH_SELF = 8;

/** How many times a `finally` that keeps awaiting during a drop is answered before giving up. */
const MAX_DROP_RETRIES = 16;

type Body<T> = (this: unknown, ...args: any[]) => AsyncGenerator<T>;

class AsyncBlock<T> extends Future<T> {
  // Methods are TS-private, not `#private`: a `#method` adds a hidden brand slot to every
  // instance, and parked blocks should stay small.
  // Two slots serve both phases, to keep a parked block small: before the first poll they hold
  // the body and its argument(s) (`#state` says in which shape); after it, the generator and the
  // future it awaits.
  #state: number;
  #bodyOrGen: Body<T> | AsyncGenerator<T> | undefined;
  #argsOrAwaiting: unknown;

  constructor(body: Body<T>, state: number, args: unknown) {
    super();
    this.#state = state;
    this.#bodyOrGen = body;
    this.#argsOrAwaiting = args;
  }

  poll(cx: Context): Poll<T> {
    let input: unknown;
    let threw = false;
    const state = this.#state;
    if (state === SUSPENDED) {
      const awaited = this.#argsOrAwaiting as Future<unknown>;
      try {
        const p = awaited.poll(cx);
        if (p === Poll.pending) return p;
        input = (p as { value: unknown }).value;
      } catch (error) {
        input = error;
        threw = true;
      }
      this.#argsOrAwaiting = undefined;
    } else if (state >= UNSTARTED) {
      const body = this.#bodyOrGen as Body<T>;
      const args = this.#argsOrAwaiting;
      this.#bodyOrGen = undefined;
      this.#argsOrAwaiting = undefined;
      this.#state = RUNNING;
      try {
        this.#bodyOrGen = start(body, state, args);
      } catch (error) {
        this.#state = DONE;
        throw error;
      }
    } else if (state === RUNNING) {
      throw new Error("async block polled re-entrantly from inside its own poll");
    } else {
      throw new PollAfterReadyError("async block");
    }
    this.#state = RUNNING;
    return this.resume_(cx, input, threw);
  }

  private resume_(cx: Context, input: unknown, threw: boolean): Poll<T> {
    const gen = this.#bodyOrGen as AsyncGenerator<T>;
    try {
      for (;;) {
        clearPendingAwait();
        const r = threw ? gen.throw(input) : gen.next(input);
        if (r.done === true) {
          this.finish_();
          // `r` is `{ value, done }`: already a valid Ready, so no allocation.
          return r;
        }
        const fut = r.value;
        if (!(fut instanceof Future)) {
          input = new TypeError(`yield* expects a Future, got ${typeName(fut)}`);
          threw = true;
          continue;
        }
        try {
          const p = fut.poll(cx);
          if (p === Poll.pending) {
            // A `yieldNow()` is Ready on its next poll come what may: hold the shared stand-in
            // instead, so the per-call future is not kept alive while the task waits its turn.
            this.#argsOrAwaiting = fut instanceof YieldOnce ? fut.release() : fut;
            this.#state = SUSPENDED;
            return p;
          }
          input = (p as { value: unknown }).value;
          threw = false;
        } catch (error) {
          input = error;
          threw = true;
        }
      }
    } catch (error) {
      this.finish_();
      throw error;
    }
  }

  private finish_(): void {
    this.#state = DONE;
    this.#bodyOrGen = undefined;
  }

  override drop(): void {
    const state = this.#state;
    if (state === DONE || state === DROPPED) return;
    this.#state = DROPPED;
    if (state >= UNSTARTED) {
      this.#bodyOrGen = undefined;
      this.#argsOrAwaiting = undefined;
      return;
    }
    if (state === RUNNING) {
      reportUnhandled(
        new Error("async block dropped from inside its own poll; it cannot run cleanup"),
      );
      return;
    }
    const awaited = this.#argsOrAwaiting as Future<unknown> | undefined;
    this.#argsOrAwaiting = undefined;
    if (awaited !== undefined) {
      try {
        awaited.drop();
      } catch (error) {
        reportUnhandled(error);
      }
    }
    const gen = this.#bodyOrGen as AsyncGenerator<T>;
    this.#bodyOrGen = undefined;
    try {
      let r = gen.return(undefined as T);
      for (let tries = 0; r.done !== true; tries++) {
        dropQuietly(r.value);
        if (tries >= MAX_DROP_RETRIES) {
          reportUnhandled(new AwaitDuringDropError());
          return;
        }
        r = gen.throw(new AwaitDuringDropError());
      }
    } catch (error) {
      reportUnhandled(error);
    }
  }

  override describe(): string {
    const state = this.#state;
    if (state === SUSPENDED) return (this.#argsOrAwaiting as Future<unknown>).describe();
    if (state >= UNSTARTED) {
      return `${(this.#bodyOrGen as Body<T>).name || "async block"} (not started)`;
    }
    switch (state) {
      case RUNNING:
        return "running";
      case DONE:
        return "done";
      default:
        return "dropped";
    }
  }
}

/** Calls the body with the arguments an unstarted block holds in the shape `state` names. */
function start<T>(body: Body<T>, state: number, args: unknown): AsyncGenerator<T> {
  switch (state) {
    case UNSTARTED:
      return body.call(undefined);
    case UNSTARTED_ONE:
      return body.call(undefined, args);
    case UNSTARTED_ARGS:
      return body.apply(undefined, args as unknown[]);
    default: {
      const list = args as unknown[];
      const self = list.pop();
      return body.apply(self, list);
    }
  }
}

function dropQuietly(value: unknown): void {
  if (value instanceof Future) {
    try {
      value.drop();
    } catch (error) {
      reportUnhandled(error);
    }
  }
}

/**
 * An async block: a lazy future that runs `body` when first polled. Inside, `yield* fut` awaits
 * any future and evaluates to its value with its static type.
 *
 * Dropping the block drops the future it is awaiting, then runs the generator's `finally`
 * blocks, innermost first. Cleanup is synchronous: a `finally` that tries to `yield*` during a
 * drop gets `AwaitDuringDropError` (reported to the executor's `onUnhandledError`).
 *
 * Cancel safety: whatever the body has done before the `yield*` it is suspended at is kept;
 * whatever it would have done after is not done. Wrap multi-step protocols accordingly.
 *
 * @example
 * ```ts
 * const greet = future(function* () {
 *   yield* sleep(100);
 *   return "hello";
 * });
 * console.log(await run(greet)); // "hello"
 * ```
 */
export function future<T>(body: () => AsyncGenerator<T>): Future<T> {
  if (typeof body !== "function") {
    throw new TypeError(
      "future(body): expected a generator function, e.g. future(function* () { … })",
    );
  }
  return new AsyncBlock<T>(body as Body<T>, UNSTARTED, undefined);
}

/**
 * Turns a generator function into an async function returning lazy futures: the analogue of
 * Rust's `async fn`. Define it once and call it many times (cheaper than a fresh closure per
 * call). `this` is passed through, so it works for methods too.
 *
 * Cancel safety: as for {@link future}.
 *
 * @example
 * ```ts
 * const fetchUser = asyncFn(function* (id: number) {
 *   const res = yield* fromPromise((signal) => fetch(`/users/${id}`, { signal }));
 *   return yield* fromPromise(() => res.json());
 * });
 * const user = await run(fetchUser(7));
 * ```
 */
export function asyncFn<A extends unknown[], T, This = unknown>(
  body: (this: This, ...args: A) => AsyncGenerator<T>,
): (this: This, ...args: A) => Future<T> {
  if (typeof body !== "function") {
    throw new TypeError(
      "asyncFn(body): expected a generator function, e.g. asyncFn(function* (x) { … })",
    );
  }
  return function (this: This, ...args: A): Future<T> {
    // V8 does not materialise `args` on the first two paths (it only reads its length and first
    // element), so the common calls allocate the block alone.
    if (this === undefined) {
      if (args.length === 1) return new AsyncBlock<T>(body as Body<T>, UNSTARTED_ONE, args[0]);
      if (args.length === 0) return new AsyncBlock<T>(body as Body<T>, UNSTARTED, undefined);
      return new AsyncBlock<T>(body as Body<T>, UNSTARTED_ARGS, args);
    }
    (args as unknown[]).push(this);
    return new AsyncBlock<T>(body as Body<T>, UNSTARTED_WITH_SELF, args);
  };
}
