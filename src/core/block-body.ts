/**
 * Driving the body of an async block: the generator stepping shared by `AsyncBlock` and by any
 * host that runs a block inline (a task stores a spawned block's generator in itself, as tokio
 * stores a task's future inline in the task cell, so a spawned block costs no object of its
 * own).
 *
 * Invariants the host keeps, and these functions rely on:
 * - A body is started (`startBody`) at most once, on the first poll, never before.
 * - While the body runs, the host holds the generator; while it is suspended, also the one
 *   future it awaits, which only `continueBody` and `dropBody` touch.
 * - The body awaits only with `yield* fut`, which hands over future.ts's shared `YIELDED`
 *   result; any other yielded result comes from a plain `yield`, and gets a `TypeError` thrown
 *   back into the body at that `yield` (telling them apart costs one identity comparison).
 * - `resumeBody`/`continueBody` return either the body's Ready (its `{ value, done }` result,
 *   reused as is) or the future it now waits on, which has been polled once with `cx` and
 *   returned Pending; they throw the body's error. A future that is ready on its first poll
 *   resumes the body at once. A fresh `yieldNow()` is not polled: it wakes the waker and the
 *   functions return its shared stand-in instead (see yield-once.ts), unless the task running
 *   the body inline says it may go on at once (`YieldHost`), when the body just continues.
 * - `dropBody` drops the awaited future first, then runs the generator's `finally` blocks; a
 *   `finally` that tries to `yield*` gets `AwaitDuringDropError`. Errors go to
 *   `reportUnhandled`, never to the caller.
 * @module
 */
import type { Context } from "./context.js";
import { AwaitDuringDropError } from "./errors.js";
import {
  type Awaiting,
  clearPendingAwait,
  type Future,
  isFuture,
  typeName,
  YIELDED,
} from "./future.js";
import { Poll } from "./poll.js";
import { dropQuietly, reportUnhandled } from "./unhandled.js";
import { RESUME, YieldOnce } from "./yield-once.js";

/**
 * The generator an async block runs: it awaits futures with `yield*` and returns `T`. Its yield
 * type is {@link Awaiting}, which only `yield*` of a future produces, so a plain `yield fut`
 * (without the star) is a type error.
 */
export type AsyncGenerator<T> = Generator<Awaiting, T, any>;

/** @internal The generator function of a block, called with its arguments on the first poll. */
export type Body<T> = (this: unknown, ...args: any[]) => AsyncGenerator<T>;

/** @internal What a finished body returns: its generator result, a valid Ready. */
export type BodyReady<T> = { readonly value: T };

// How an unstarted block holds its arguments (a single argument is held as is: most async
// functions take one, and an array per call is a measurable cost).
/** @internal No arguments and no `this`. */
export const NO_ARGS = 1;
/** @internal `args` is the one argument (no `this`). */
export const ONE_ARG = 2;
/** @internal `args` is the argument array (no `this`). */
export const ARG_LIST = 3;
/** @internal `args` is the argument array, whose last element is the `this`. */
export const ARG_LIST_WITH_SELF = 4;

// The generator methods, called directly: generators of different functions have different
// hidden classes, so in a real program `gen.next` would be a megamorphic lookup on every resume.
const genNext: Generator["next"] = /* @__PURE__ */ generatorMethod("next");
const genThrow: Generator["throw"] = /* @__PURE__ */ generatorMethod("throw");

function generatorMethod<K extends "next" | "throw">(name: K): Generator[K] {
  return (Object.getPrototypeOf(function* () {}).prototype as Generator)[name];
}

/** How many times a `finally` that keeps awaiting during a drop is answered before giving up. */
const MAX_DROP_RETRIES = 16;

/** @internal Calls `body` with arguments held in the given shape; the body has not run before. */
export function startBody<T>(body: Body<T>, shape: number, args: unknown): AsyncGenerator<T> {
  switch (shape) {
    case NO_ARGS:
      return body.call(undefined);
    case ONE_ARG:
      return body.call(undefined, args);
    case ARG_LIST:
      return body.apply(undefined, args as unknown[]);
    default: {
      const list = args as unknown[];
      const self = list.pop();
      return body.apply(self, list);
    }
  }
}

/**
 * What a host running a body inline may offer (an executor's task): after the body yields with
 * a fresh `yieldNow()`, `yieldInPlace()` answers whether the body may go on at once, because
 * the host would be polled again next with nothing in between. It counts that as a new poll.
 */
export interface YieldHost {
  yieldInPlace(): boolean;
}

/**
 * @internal Resumes the body with `input` (thrown into it if `threw`); see the invariants.
 * `host`: only from the task that runs the body inline (never for a nested block, whose parent
 * may poll other futures in between).
 */
export function resumeBody<T>(
  gen: AsyncGenerator<T>,
  cx: Context,
  input: unknown,
  threw: boolean,
  host?: YieldHost,
): BodyReady<T> | Future<unknown> {
  for (;;) {
    clearPendingAwait();
    const r = threw ? genThrow.call(gen, input) : genNext.call(gen, input);
    if (r !== YIELDED) {
      // Not the result every `yield* fut` hands over: the body returned, or used a plain `yield`.
      if (r.done === true) return r;
      input = plainYieldError(r.value);
      threw = true;
      continue;
    }
    // Only a future's own iterator hands over `YIELDED`, always holding that future.
    const fut = r.value as Future<unknown>;
    if (fut instanceof YieldOnce && fut.release()) {
      // A fresh `yieldNow()`: go on at once if the host allows it; else wake, and wait on the
      // shared stand-in (see yield-once.ts).
      if (host?.yieldInPlace() === true) {
        input = undefined;
        threw = false;
        continue;
      }
      cx.waker.wake();
      return RESUME;
    }
    try {
      const p = fut.poll(cx);
      if (p === Poll.pending) return fut;
      input = (p as { value: unknown }).value;
      threw = false;
    } catch (error) {
      input = error;
      threw = true;
    }
  }
}

/** @internal Polls the future a suspended body awaits and resumes the body once it is done. */
export function continueBody<T>(
  gen: AsyncGenerator<T>,
  awaited: Future<unknown>,
  cx: Context,
  host?: YieldHost,
): BodyReady<T> | Future<unknown> {
  // The stand-in for a `yieldNow()` is always Ready: resume without polling it.
  if (awaited === RESUME) return resumeBody(gen, cx, undefined, false, host);
  let input: unknown;
  let threw = false;
  try {
    const p = awaited.poll(cx);
    if (p === Poll.pending) return awaited;
    input = (p as { value: unknown }).value;
  } catch (error) {
    input = error;
    threw = true;
  }
  return resumeBody(gen, cx, input, threw, host);
}

/** @internal Drops a started body: the awaited future first, then the `finally` blocks. */
export function dropBody(gen: AsyncGenerator<unknown>, awaited: Future<unknown> | undefined): void {
  if (awaited !== undefined) dropQuietly(awaited);
  try {
    let r = gen.return(undefined);
    for (let tries = 0; r.done !== true; tries++) {
      dropIfFuture(r.value);
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

/** @internal How an unstarted body shows in task dumps. */
export function describeUnstarted(body: Body<unknown>): string {
  return `${body.name || "async block"} (not started)`;
}

/** The error thrown into a body at a plain `yield value` (without the star). */
function plainYieldError(value: unknown): TypeError {
  const what = isFuture(value) ? `a future (${value.describe()})` : typeName(value);
  return new TypeError(
    `async block: plain \`yield\` of ${what}; await futures with \`yield*\` (with the star), not \`yield\``,
  );
}

function dropIfFuture(value: unknown): void {
  if (isFuture(value)) dropQuietly(value);
}
