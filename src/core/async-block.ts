/**
 * Async blocks: `future(function* () { … })` and `asyncFn(function* (a, b) { … })`.
 *
 * An async block drives a generator (block-body.ts does the stepping). `yield* fut` hands `fut`
 * to the block, which polls it with the block's own context and resumes the generator with its
 * value (or throws its error into it). A future that is ready on its first poll resumes the
 * generator at once, so a chain of ready futures costs no trip through the executor.
 *
 * States and who moves them:
 * - `Unstarted` → first `poll` creates the generator (the body has not run before that).
 *   Until then the block holds the body and its arguments, in one of block-body.ts's shapes.
 * - `Moved`: an executor took the unstarted body to run it inline in a task (`moveBlock`); the
 *   block is an empty shell, and polling it is a bug that throws.
 * - `Running` only inside `poll`; a re-entrant poll is a bug and throws.
 * - `Suspended` holds `awaiting`, the one future the generator waits on; only `poll` and `drop`
 *   touch it.
 * - `Done` after the generator returned or threw; polling again throws `PollAfterReadyError`.
 * - `Dropped` after `drop()`: first `awaiting` is dropped, then the generator's `finally`
 *   blocks run (`return()`); a `finally` that tries to `yield*` gets `AwaitDuringDropError`,
 *   which goes to `reportUnhandled`, like any error raised while dropping.
 * @module
 */
import {
  ARG_LIST,
  ARG_LIST_WITH_SELF,
  type AsyncGenerator,
  type Body,
  type BodyReady,
  continueBody,
  describeUnstarted,
  dropBody,
  NO_ARGS,
  ONE_ARG,
  resumeBody,
  startBody,
} from "./block-body.js";
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future, isFuture } from "./future.js";
import { Poll } from "./poll.js";
import { reportUnhandled } from "./unhandled.js";

export type { AsyncGenerator } from "./block-body.js";

// The unstarted states are block-body.ts's argument shapes (1–4), so `#state` is the shape.
const UNSTARTED_MAX = 4;
const SUSPENDED = 5;
const RUNNING = 6;
const DONE = 7;
const DROPPED = 8;
const MOVED = 9;

/** @internal Something that runs an unstarted async block's body in place of the block. */
export interface BlockHost {
  /** Receives the body and its arguments, held in the given block-body.ts shape. */
  adoptBody(body: Body<unknown>, shape: number, args: unknown): void;
}

class AsyncBlock<T> extends Future<T> {
  // Methods are TS-private, not `#private`: a `#method` adds a hidden brand slot to every
  // instance, and parked blocks should stay small.
  // Two slots serve both phases, to keep a parked block small: before the first poll they hold
  // the body and its argument(s) (`#state` is then their shape); after it, the generator and
  // the future it awaits.
  #state: number;
  #bodyOrGen: Body<T> | AsyncGenerator<T> | undefined;
  #argsOrAwaiting: unknown;

  constructor(body: Body<T>, shape: number, args: unknown) {
    super();
    this.#state = shape;
    this.#bodyOrGen = body;
    this.#argsOrAwaiting = args;
  }

  poll(cx: Context): Poll<T> {
    const state = this.#state;
    let step: BodyReady<T> | Future<unknown>;
    if (state === SUSPENDED) {
      const awaited = this.#argsOrAwaiting as Future<unknown>;
      this.#state = RUNNING;
      try {
        step = continueBody(this.#bodyOrGen as AsyncGenerator<T>, awaited, cx);
      } catch (error) {
        this.finish_();
        throw error;
      }
    } else if (state <= UNSTARTED_MAX) {
      const body = this.#bodyOrGen as Body<T>;
      const args = this.#argsOrAwaiting;
      this.#argsOrAwaiting = undefined;
      this.#state = RUNNING;
      try {
        const gen = startBody(body, state, args);
        this.#bodyOrGen = gen;
        step = resumeBody(gen, cx, undefined, false);
      } catch (error) {
        this.finish_();
        throw error;
      }
    } else if (state === RUNNING) {
      throw new Error("async block polled re-entrantly from inside its own poll");
    } else if (state === MOVED) {
      throw new Error(
        "async block polled after spawn() or run() moved it into a task: " +
          "await the task's JoinHandle (or run's promise) instead",
      );
    } else {
      throw new PollAfterReadyError("async block");
    }
    if (isFuture(step)) {
      this.#argsOrAwaiting = step;
      this.#state = SUSPENDED;
      return Poll.pending;
    }
    this.finish_();
    return step;
  }

  /** Hands an unstarted body to `host` (see {@link moveBlock}); false if it has started. */
  moveTo_(host: BlockHost): boolean {
    const state = this.#state;
    if (state > UNSTARTED_MAX) return false;
    host.adoptBody(this.#bodyOrGen as Body<unknown>, state, this.#argsOrAwaiting);
    this.#state = MOVED;
    this.#bodyOrGen = undefined;
    this.#argsOrAwaiting = undefined;
    return true;
  }

  /** Whether an executor took the block's body (it is an empty shell). */
  isMoved_(): boolean {
    return this.#state === MOVED;
  }

  private finish_(): void {
    this.#state = DONE;
    this.#bodyOrGen = undefined;
    this.#argsOrAwaiting = undefined;
  }

  override drop(): void {
    const state = this.#state;
    if (state === DONE || state === DROPPED || state === MOVED) return;
    this.#state = DROPPED;
    if (state === RUNNING) {
      reportUnhandled(
        new Error("async block dropped from inside its own poll; it cannot run cleanup"),
      );
      return;
    }
    const bodyOrGen = this.#bodyOrGen;
    const awaited = this.#argsOrAwaiting as Future<unknown> | undefined;
    this.#bodyOrGen = undefined;
    this.#argsOrAwaiting = undefined;
    if (state === SUSPENDED) dropBody(bodyOrGen as AsyncGenerator<T>, awaited);
  }

  override describe(): string {
    const state = this.#state;
    if (state <= UNSTARTED_MAX) return describeUnstarted(this.#bodyOrGen as Body<unknown>);
    switch (state) {
      case SUSPENDED:
        return (this.#argsOrAwaiting as Future<unknown>).describe();
      case RUNNING:
        return "running";
      case DONE:
        return "done";
      case MOVED:
        return "moved into a task";
      default:
        return "dropped";
    }
  }
}

/**
 * @internal
 * If `fut` is an async block that has never been polled, hands its body and arguments to
 * `host` (an executor's task, which then runs the body inline) and leaves the block an empty
 * shell. Returns whether it did.
 */
export function moveBlock(fut: Future<unknown>, host: BlockHost): boolean {
  return fut instanceof AsyncBlock && fut.moveTo_(host);
}

/** @internal Whether `fut` is an async block whose body `spawn()` or `run()` moved into a task. */
export function isMovedBlock(fut: unknown): boolean {
  return fut instanceof AsyncBlock && fut.isMoved_();
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
  return new AsyncBlock<T>(body as Body<T>, NO_ARGS, undefined);
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
 *   // headers and body in one chain, under the signal: a drop stops the download too
 *   const user = yield* fromPromise((signal) =>
 *     fetch(`/users/${id}`, { signal }).then((r) => r.json()),
 *   );
 *   return { ...user, fetchedAt: Date.now() };
 * });
 * const user = await run(timeout(5000, fetchUser(7)));
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
      if (args.length === 1) return new AsyncBlock<T>(body as Body<T>, ONE_ARG, args[0]);
      if (args.length === 0) return new AsyncBlock<T>(body as Body<T>, NO_ARGS, undefined);
      return new AsyncBlock<T>(body as Body<T>, ARG_LIST, args);
    }
    (args as unknown[]).push(this);
    return new AsyncBlock<T>(body as Body<T>, ARG_LIST_WITH_SELF, args);
  };
}
