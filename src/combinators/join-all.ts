/**
 * `joinAll(iterable)`: runs futures concurrently inside one task and gives all their values.
 * `join(a, b, …)` (join.ts) is the same machine with a typed tuple.
 *
 * Per-child wakers: every child is polled with its own `Child` object, which is at once the
 * child's slot, its Waker and its Context (one object per child, nothing allocated per poll or
 * per wake). Waking a child marks it and appends it to the join's woken list; the join polls
 * only the children on that list, so N children cost O(N) polls in total, never O(N²).
 *
 * Invariants:
 * - States: NEW (never polled) → RUNNING → DONE (ready, failed or dropped). DONE is final; a
 *   DONE join ignores wakes and throws `PollAfterReadyError` when polled.
 * - `child.future` is the child while it is unfinished, `undefined` once it finished or was
 *   dropped. A child is polled only while its future is set, and dropped at most once.
 * - `child.woken` is true exactly while the child is on the woken list (`#head`…`#tail`,
 *   linked through `nextWoken`), so a child is on the list at most once.
 * - The parent waker is woken when the woken list goes from empty to non-empty; a poll detaches
 *   the whole list before polling it, so a child that wakes itself during the poll is polled
 *   again only in the *next* poll of the join (after the executor had its turn).
 * - Cooperative budget: once the task's budget is spent, the rest of the woken list stays
 *   queued for the next poll (the join wakes its task), so N children falling due at once cost
 *   O(N) polls over about N/128 task polls, not O(N²).
 * - Fail fast: when a child throws, every other unfinished child is dropped, in index order,
 *   synchronously, before the error is rethrown. Dropping the join drops every unfinished child.
 * - A long list is not checked for a future given twice when the join is made (hashing every
 *   child costs more than the join: core/ownership.ts). A repeat that finishes at once fails
 *   with `PollAfterReadyError`; one that stays pending can wake only one of its children, so
 *   `describe()` (task dumps, deadlock reports) looks for it and names it. Dropping such a join
 *   drops the repeated future once per child holding it.
 * @module
 */
import type { Context } from "../core/context.js";
import { budgetSpent } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future, typeName } from "../core/future.js";
import { assertOwnableList, findRepeat } from "../core/ownership.js";
import { Poll } from "../core/poll.js";
import { dropQuietly } from "../core/unhandled.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";

const NEW = 0;
const RUNNING = 1;
const DONE = 2;

/** One child of a join: its future, and the waker and context it is polled with. */
class Child implements Waker, Context {
  future: Future<unknown> | undefined;
  readonly index: number;
  readonly parent: JoinAll<unknown>;
  woken = false;
  nextWoken: Child | undefined = undefined;

  constructor(future: Future<unknown>, index: number, parent: JoinAll<unknown>) {
    this.future = future;
    this.index = index;
    this.parent = parent;
  }

  get waker(): Waker {
    return this;
  }

  wake(): void {
    if (this.woken || this.future === undefined) return;
    this.woken = true;
    this.parent.childWoken(this);
  }

  willWake(other: Waker): boolean {
    return other === this;
  }
}

/** @internal The future behind `join` and `joinAll`. */
export class JoinAll<T> extends Future<T[]> {
  readonly #label: string;
  /** Names child `i` in messages, when the list was too long to check for repeats. */
  #unchecked: ((index: number) => string) | undefined;
  #children: Child[];
  #results: T[];
  #remaining: number;
  #state = NEW;
  #waker: Waker | undefined = undefined;
  #head: Child | undefined = undefined;
  #tail: Child | undefined = undefined;

  constructor(
    futures: readonly Future<unknown>[],
    label: string,
    unchecked: ((index: number) => string) | undefined,
  ) {
    super();
    this.#label = label;
    this.#unchecked = unchecked;
    const n = futures.length;
    const children = new Array<Child>(n);
    for (let i = 0; i < n; i++) children[i] = new Child(futures[i] as Future<unknown>, i, this);
    this.#children = children;
    this.#results = new Array<T>(n);
    this.#remaining = n;
  }

  poll(cx: Context): Poll<T[]> {
    const state = this.#state;
    if (state === DONE) throw new PollAfterReadyError(this.#label);
    const waker = this.#waker;
    this.#waker = registerWaker(waker, cx);
    if (state === NEW) {
      this.#state = RUNNING;
      const children = this.#children;
      for (let i = 0; i < children.length; i++) this.#pollChild(children[i] as Child);
    } else {
      let child = this.#head;
      const last = this.#tail;
      this.#head = this.#tail = undefined;
      while (child !== undefined) {
        if (budgetSpent()) {
          this.#putBack(child, last as Child, cx);
          break;
        }
        const next = child.nextWoken;
        child.nextWoken = undefined;
        child.woken = false;
        if (child.future !== undefined) this.#pollChild(child);
        child = next;
      }
    }
    if (this.#remaining > 0) return Poll.pending;
    const results = this.#results;
    this.#finish();
    return { value: results };
  }

  /**
   * The task's budget ran out with `first`…`last` still to poll: they go back to the front of
   * the woken list (still marked woken), ahead of children woken during this poll, and the join
   * asks to be polled again. Polling them now could only give Pending (every ready leaf waits
   * for a fresh budget) and would cost O(N) per poll, O(N²) for a burst of N timers.
   */
  #putBack(first: Child, last: Child, cx: Context): void {
    if (this.#head === undefined) this.#tail = last;
    else last.nextWoken = this.#head;
    this.#head = first;
    cx.waker.wake();
  }

  #pollChild(child: Child): void {
    const future = child.future as Future<unknown>;
    let p: Poll<unknown>;
    try {
      p = future.poll(child);
    } catch (error) {
      child.future = undefined;
      this.#dropChildren();
      throw error;
    }
    if (p !== Poll.pending) {
      child.future = undefined;
      this.#results[child.index] = (p as { value: T }).value;
      this.#remaining--;
    }
  }

  /** @internal Called by a child's waker the first time it is woken since it was last polled. */
  childWoken(child: Child): void {
    if (this.#state === DONE) {
      child.woken = false;
      return;
    }
    const tail = this.#tail;
    if (tail === undefined) {
      this.#head = this.#tail = child;
      this.#waker?.wake();
    } else {
      tail.nextWoken = child;
      this.#tail = child;
    }
  }

  #finish(): void {
    this.#state = DONE;
    this.#waker = undefined;
    this.#head = this.#tail = undefined;
    this.#children = [];
    this.#results = [];
  }

  #dropChildren(): void {
    const children = this.#children;
    this.#finish();
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as Child;
      const future = child.future;
      if (future === undefined) continue;
      child.future = undefined;
      dropQuietly(future);
    }
  }

  override drop(): void {
    if (this.#state !== DONE) this.#dropChildren();
  }

  override describe(): string {
    if (this.#state === DONE) return `${this.#label} (done)`;
    const unchecked = this.#unchecked;
    if (unchecked !== undefined) {
      const repeat = findRepeat(this.#children.map((child) => child.future));
      if (repeat !== undefined) {
        return `${this.#label} stuck: ${unchecked(repeat[1])} is the same Future as at index ${repeat[0]}, which can wake only one of them`;
      }
    }
    for (const child of this.#children) {
      if (child.future !== undefined) {
        return `${this.#label}(${this.#remaining}/${this.#children.length} pending: ${child.future.describe()}, …)`;
      }
    }
    return this.#label;
  }
}

const label = (i: number): string => `joinAll(futures): element ${i}`;

/**
 * Runs every future of `futures` concurrently inside the current task and gives their values
 * in input order, like `Promise.all`. Only the children that were woken are polled again, so
 * joining N futures costs O(N) polls in total.
 *
 * Fails fast: the first child that throws makes every other unfinished child be dropped (their
 * `finally` blocks run, their timers are cancelled) before its error is rethrown. Unlike
 * `Promise.all`, the others really stop.
 *
 * The iterable is read eagerly, when `joinAll` is called; the futures start when the join is
 * first polled. The same future twice (checked at the call for up to 16 futures), or an async
 * block a task already runs, is a `TypeError`.
 *
 * Cancel safety: dropping the join drops every unfinished child; the values of children that
 * already finished are lost. It is exactly as safe as its least safe child.
 *
 * @example
 * ```ts
 * const sizes = yield* joinAll(urls.map((url) => fetchSize(url)));
 * ```
 */
export function joinAll<T>(futures: Iterable<Future<T>>): Future<T[]> {
  if (
    futures === null ||
    futures === undefined ||
    typeof (futures as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `joinAll(futures): expected an iterable of Futures, got ${typeName(futures)}`,
    );
  }
  const list = Array.isArray(futures) ? futures : Array.from(futures);
  const checked = assertOwnableList(list, label);
  return new JoinAll<T>(list, "joinAll", checked ? undefined : label);
}
