/**
 * What every stream operator shares: checking the stream it is applied to, and dropping a
 * stream it owns without letting an error escape.
 * @module
 */

import { typeName } from "../../core/future.js";
import { isStream } from "../../core/stream.js";

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
