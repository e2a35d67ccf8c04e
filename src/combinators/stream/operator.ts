/**
 * What every stream operator shares: checking the stream it is applied to, and dropping a
 * stream it owns without letting an error escape.
 * @module
 */

import { typeName } from "../../core/future.js";
import { isStream } from "../../core/stream.js";
import { reportUnhandled } from "../../core/unhandled.js";

/** Throws a `TypeError` naming the operator unless `source` is a Stream; returns it. */
export function checkSource<S>(source: S, where: string): S {
  if (!isStream(source)) {
    throw new TypeError(`${where}: expected to be applied to a Stream, got ${typeName(source)}`);
  }
  return source;
}

/** Throws a `TypeError` naming the argument unless `f` is a function. */
export function checkFunction(f: unknown, where: string): void {
  if (typeof f !== "function") {
    throw new TypeError(`${where}: f must be a function, got ${typeName(f)}`);
  }
}

/** Validates a count argument: a whole number >= 0. */
export function checkCount(n: unknown, where: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`${where}: n must be a whole number >= 0, got ${String(n)}`);
  }
  return n;
}

/** Checks that `value` has the iterator method `key` (`Symbol.iterator` or `Symbol.asyncIterator`). */
export function checkIterable(value: unknown, key: symbol, where: string, expected: string): void {
  if (
    value === null ||
    value === undefined ||
    typeof (value as Record<symbol, unknown>)[key] !== "function"
  ) {
    throw new TypeError(`${where}: expected ${expected}, got ${typeName(value)}`);
  }
}

/**
 * Calls an iterator's `return()` if it has one (a generator's `finally` blocks run, a Readable
 * is destroyed); an error it throws, or a rejection of the promise it returns, is reported as
 * unhandled, never raised into the dropping code.
 */
export function closeIterator(it: Iterator<unknown> | AsyncIterator<unknown>): void {
  if (typeof it.return !== "function") return;
  try {
    const r: unknown = it.return();
    if (typeof (r as PromiseLike<unknown> | null)?.then === "function") {
      Promise.resolve(r).catch(reportUnhandled);
    }
  } catch (error) {
    reportUnhandled(error);
  }
}
