/**
 * `select(a, b, …)`: waits for the first of several futures and drops the others.
 *
 * Invariants:
 * - Every branch is polled with the select's own context (no per-branch wakers: a select has
 *   a handful of branches, and every poll may be the last one).
 * - Fair by default: each poll starts at a branch drawn from the current executor's random
 *   source (its runtime context's `random`, seeded under `SimExecutor`), else `Math.random()`;
 *   `select.biased` always starts at 0.
 * - `#branches` is set while the select is unfinished. The first branch to return Ready (or to
 *   throw) ends it: `#branches` is cleared, then the other branches are dropped in index order,
 *   synchronously, before the result is returned or the error rethrown. No branch is polled
 *   after that, and no branch is dropped twice.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { assertNoRepeats, assertOwnableList } from "../core/ownership.js";
import { Poll } from "../core/poll.js";
import { RT } from "../core/runtime.js";
import { dropQuietly } from "../core/unhandled.js";
import type { FutureValue } from "./join.js";

/**
 * What `select` gives: the index of the branch that finished first and its value, as a union
 * discriminated by `index`.
 *
 * @example
 * ```ts
 * const r: SelectResult<[Future<string>, Future<void>]> = yield* select(fetchName(), sleep(100));
 * if (r.index === 0) console.log(r.value); // string
 * ```
 */
export type SelectResult<T extends readonly Future<unknown>[]> = {
  [K in keyof T]: {
    /** The position of the branch that finished first. */
    readonly index: K extends `${infer I extends number}` ? I : number;
    /** That branch's value. */
    readonly value: FutureValue<T[K]>;
  };
}[number];

class SelectFuture extends Future<{ index: number; value: unknown }> {
  #branches: Future<unknown>[] | undefined;
  readonly #biased: boolean;

  constructor(branches: Future<unknown>[], biased: boolean) {
    super();
    this.#branches = branches;
    this.#biased = biased;
  }

  poll(cx: Context): Poll<{ index: number; value: unknown }> {
    const branches = this.#branches;
    if (branches === undefined) throw new PollAfterReadyError("select");
    const n = branches.length;
    let start = 0;
    if (!this.#biased && n > 1) {
      const random = RT.context?.random;
      start = ((random === undefined ? Math.random() : random()) * n) | 0;
      if (start < 0 || start >= n) start = 0;
    }
    for (let k = 0; k < n; k++) {
      let i = start + k;
      if (i >= n) i -= n;
      let p: Poll<unknown>;
      try {
        p = (branches[i] as Future<unknown>).poll(cx);
      } catch (error) {
        this.#end(branches, i);
        throw error;
      }
      if (p !== Poll.pending) {
        this.#end(branches, i);
        return { value: { index: i, value: (p as { value: unknown }).value } };
      }
    }
    return Poll.pending;
  }

  #end(branches: Future<unknown>[], winner: number): void {
    this.#branches = undefined;
    for (let i = 0; i < branches.length; i++) {
      if (i !== winner) dropQuietly(branches[i] as Future<unknown>);
    }
  }

  override drop(): void {
    const branches = this.#branches;
    if (branches !== undefined) this.#end(branches, -1);
  }

  override describe(): string {
    const branches = this.#branches;
    if (branches === undefined) return "select (done)";
    return `select(${branches.map((b) => b.describe()).join(" | ")})`;
  }
}

const label = (i: number): string => `select(...futures): futures[${i}]`;
const biasedLabel = (i: number): string => `select.biased(...futures): futures[${i}]`;

function make<T extends readonly Future<unknown>[]>(
  futures: T,
  biased: boolean,
  where: string,
): Future<SelectResult<T>> {
  if (futures.length === 0) throw new TypeError(`${where}: expected at least one future`);
  const named = biased ? biasedLabel : label;
  if (!assertOwnableList(futures, named)) assertNoRepeats(futures, named);
  return new SelectFuture(futures as unknown as Future<unknown>[], biased) as unknown as Future<
    SelectResult<T>
  >;
}

/** `select` without `.biased`: see the export below. */
function fair<const T extends readonly Future<unknown>[]>(...futures: T): Future<SelectResult<T>> {
  return make(futures, false, "select(...futures)");
}

/** `select.biased`: see {@link select}. */
function biased<const T extends readonly Future<unknown>[]>(
  ...futures: T
): Future<SelectResult<T>> {
  return make(futures, true, "select.biased(...futures)");
}

/** The type of {@link select}: a fair select, with `biased` for the in-order one. */
export interface Select {
  /**
   * Waits for the first of `futures` to finish; see {@link select}.
   */
  <const T extends readonly Future<unknown>[]>(...futures: T): Future<SelectResult<T>>;
  /**
   * Like {@link select}, but polls the branches in order on every poll, so on a tie the earliest
   * branch wins. Put the branch that must take priority first (a shutdown signal, say); beware
   * that an always-ready first branch starves the others.
   *
   * Cancel safety: as for {@link select}.
   *
   * @example
   * ```ts
   * const r = yield* select.biased(token.cancelled(), rx.recv());
   * if (r.index === 0) return; // shutdown wins over pending messages
   * ```
   */
  biased<const T extends readonly Future<unknown>[]>(...futures: T): Future<SelectResult<T>>;
}

/**
 * Waits for the first of `futures` to finish and gives `{ index, value }`; the other branches
 * are dropped (their cleanup runs) before it returns. If a branch throws, the others are
 * dropped and the error propagates.
 *
 * Fair: each poll starts at a random branch, drawn from the executor's random source (seeded
 * under `SimExecutor`), so a branch that is always ready cannot starve the others. Use
 * {@link select.biased} to poll in order. The same future twice, or an async block a task
 * already runs, is a `TypeError`.
 *
 * Cancel safety: the losers are dropped, so `select` is only as safe as its branches. Racing a
 * cancel-safe operation (`recv`, `sleep`, a `JoinHandle`, `cancelled()`) loses nothing; racing
 * one that is not (a bounded `send`, a write in progress) may lose its partial work. Dropping
 * the select itself drops every branch. See [cancel safety](../../docs/cancellation.md).
 *
 * @example
 * ```ts
 * const r = yield* select(fetchUser(id), sleep(5000));
 * if (r.index === 1) throw new Error("too slow"); // fetchUser was dropped: its request aborted
 * console.log(r.value.name);
 * ```
 */
export const select: Select = /* @__PURE__ */ Object.assign(fair, { biased });
