/**
 * `fuse(fut)`: a future that stays Pending after it completed.
 *
 * Invariants:
 * - Until the inner future completes, the fuse polls it; on its `Ready` the fuse returns that
 *   `Ready` once, forgets the inner future and is terminated: every later poll returns Pending
 *   without registering a waker (it never completes again).
 * - An error from the inner future also terminates the fuse (after being thrown once).
 * - Dropping an unterminated fuse drops the inner future.
 * @module
 */
import type { Context } from "../core/context.js";
import { assertFuture, Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { dropQuietly } from "../core/unhandled.js";

/**
 * A fused future, made by {@link fuse}: a Future that never completes twice.
 *
 * @example
 * ```ts
 * const f = fuse(job);
 * if (!f.isTerminated) yield* select(byRef(f), rx.recv());
 * ```
 */
export class Fuse<T> extends Future<T> {
  #inner: Future<T> | undefined;

  /** @internal Made by {@link fuse}. */
  constructor(inner: Future<T>) {
    super();
    this.#inner = inner;
  }

  /** True once the inner future completed (or failed): the fuse will stay Pending. */
  get isTerminated(): boolean {
    return this.#inner === undefined;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === undefined) return Poll.pending;
    let p: Poll<T>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#inner = undefined;
      throw error;
    }
    if (p !== Poll.pending) this.#inner = undefined;
    return p;
  }

  override drop(): void {
    const inner = this.#inner;
    this.#inner = undefined;
    if (inner !== undefined) dropQuietly(inner);
  }

  override describe(): string {
    return this.#inner === undefined ? "fuse (terminated)" : `fuse(${this.#inner.describe()})`;
  }
}

/**
 * Wraps `fut` so that after it completed it stays Pending instead of failing with
 * `PollAfterReadyError`, and says so with `isTerminated`: a `select` loop can keep it as a
 * branch (through `byRef`) after it finished, and skip it once terminated.
 *
 * Cancel safety: as safe as `fut`; dropping the fuse drops `fut` unless it already completed.
 *
 * @example
 * ```ts
 * const job = fuse(runJob());
 * for (;;) {
 *   const r = yield* select(byRef(job), rx.recv());
 *   if (r.index === 0) console.log("job done", r.value); // job now stays Pending
 *   else if (r.value.done) break;
 * }
 * job.drop();
 * ```
 */
export function fuse<T>(fut: Future<T>): Fuse<T> {
  assertFuture(fut, "fuse(fut)");
  return new Fuse(fut);
}
