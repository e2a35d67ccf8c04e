/**
 * `byRef(fut)`: lend a future to a combinator without giving it away (tokio's `&mut fut`).
 *
 * Invariants:
 * - Polling the wrapper polls the inner future with the same context; dropping the wrapper
 *   does nothing to the inner future, which its owner keeps and may poll (or drop) later.
 * - Polling a wrapper whose inner future already completed fails as polling that future
 *   would (`PollAfterReadyError`): wrap it in `fuse` to keep it as a branch after it completed.
 * @module
 */
import type { Context } from "../core/context.js";
import { assertFuture, Future } from "../core/future.js";
import type { Poll } from "../core/poll.js";

class ByRef<T> extends Future<T> {
  readonly #inner: Future<T>;

  constructor(inner: Future<T>) {
    super();
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    return this.#inner.poll(cx);
  }

  override describe(): string {
    return `byRef(${this.#inner.describe()})`;
  }
}

/**
 * A future that polls `fut` but does not drop it when it is itself dropped: `select`,
 * `timeout` and `join` dropping their losers leave `fut` alive, so a `select` loop can keep
 * the same future across turns instead of restarting it (or spawning it).
 *
 * Cancel safety: dropping the wrapper is always safe and loses nothing; `fut` goes on where
 * it was, and remains its owner's to drop.
 *
 * @example
 * ```ts
 * const download = fetchBody(url);
 * for (;;) {
 *   const r = yield* select(byRef(download), progress.tick());
 *   if (r.index === 0) return r.value; // the same download, never restarted
 *   report();
 * }
 * ```
 */
export function byRef<T>(fut: Future<T>): Future<T> {
  assertFuture(fut, "byRef(fut)");
  return new ByRef(fut);
}
