/**
 * Ownership: a future has a single owner that polls it (a task, a combinator, the async block
 * awaiting it). A future keeps only the latest waker it was polled with, so two owners polling
 * one future lose wake-ups: one of them hangs. The entry points that take ownership refuse a
 * future that already has an owner, eagerly and with a clear error, instead of hanging.
 *
 * What is checked costs no allocation and no hashing: every spawn, join and select passes
 * here, and recording or hashing fresh objects (a WeakSet entry, a Map key) costs more than
 * spawning or joining them (a WeakSet entry per spawned leaf future tripled the cost of
 * `spawn(yieldNow())`; a Map over a 10,000-child `joinAll` made it six times slower).
 *
 * Invariants:
 * - An async block given to a task (`spawn`, `run`, on any executor) is owned for good: its
 *   body moves into the task and its shell says so, so a second `spawn`/`run`, or a combinator,
 *   refuses it. Other futures given to a task are not recorded: giving one of them to a second
 *   owner is not caught here.
 * - `pending()`, one stateless future shared by every caller, may have any number of owners.
 * - Combinators (join, joinAll, select, timeout, abortable, runUntilCancelled) check what they
 *   take: a Future, not an async block a task runs, and not the same one twice in one call.
 *   Lists of up to `PAIRWISE_MAX` futures are compared pairwise. `select` (rarely long) hashes
 *   a longer list; a long `join`/`joinAll` is left unchecked at the call: a repeat that
 *   finishes at once fails with `PollAfterReadyError`, and one that hangs is named by the
 *   join's `describe()` in task dumps and deadlock reports (`run()` reports a deadlock when the
 *   host is about to exit).
 * - Combinators do not record what they take: a future given to two combinators, or awaited
 *   with `yield*` while a task runs it, is not caught here.
 * @module
 */
import { isMovedBlock } from "./async-block.js";
import { assertFuture, type Future, isFuture, typeName } from "./future.js";
import { isSharedPending } from "./poll-fn.js";

/** Lists of at most this many futures are checked for repeats pairwise. */
const PAIRWISE_MAX = 16;

const ownedByTask = isMovedBlock;

function alreadyRun(what: string): TypeError {
  return new TypeError(
    `${what} is already run by a task (it was passed to spawn() or run()); ` +
      "await that task's JoinHandle instead",
  );
}

/**
 * @internal Throws a `TypeError` naming `where` if a task already runs `fut` (an async block
 * moved into a task). Called by executors before they create a task.
 */
export function claimForTask(fut: Future<unknown>, where: string): void {
  if (ownedByTask(fut)) throw alreadyRun(`${where}: this Future`);
}

/**
 * @internal Asserts that `value` is a Future that no task owns: for combinators that take one
 * future over.
 */
export function assertUnowned(value: unknown, where: string): asserts value is Future<unknown> {
  assertFuture(value, where);
  if (ownedByTask(value)) throw alreadyRun(`${where}: this Future`);
}

/**
 * @internal Asserts that every element of `list` is a Future that no task owns and, for a list
 * of at most {@link PAIRWISE_MAX} elements, that none appears twice: for combinators that run
 * several futures at once. `label(i)` names element `i` at the start of a message, e.g.
 * `join(futures[1])`. Returns whether repeats were checked: telling repeats apart in a longer
 * list means hashing every element, which for fresh futures costs more than a join itself, so
 * the caller decides (see the module's invariants).
 */
export function assertOwnableList(
  list: readonly unknown[],
  label: (index: number) => string,
): boolean {
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const fut = list[i];
    if (!isFuture(fut)) throw new TypeError(`${label(i)}: expected a Future, got ${typeName(fut)}`);
    if (ownedByTask(fut)) throw alreadyRun(`${label(i)}: this Future`);
  }
  if (n > PAIRWISE_MAX) return false;
  for (let j = 1; j < n; j++) {
    const fut = list[j];
    if (isSharedPending(fut)) continue;
    for (let i = 0; i < j; i++) if (list[i] === fut) throw repeatedFuture(label, i, j);
  }
  return true;
}

/**
 * @internal The first future of `list` that appears twice, as `[first index, repeat index]`;
 * elements that are `undefined` are skipped.
 */
export function findRepeat(list: readonly unknown[]): [number, number] | undefined {
  const seen = new Map<unknown, number>();
  for (let j = 0; j < list.length; j++) {
    const fut = list[j];
    if (fut === undefined || isSharedPending(fut)) continue;
    const i = seen.get(fut);
    if (i !== undefined) return [i, j];
    seen.set(fut, j);
  }
  return undefined;
}

/** @internal Throws the error for the first future of `list` that appears twice. */
export function assertNoRepeats(list: readonly unknown[], label: (index: number) => string): void {
  const repeat = findRepeat(list);
  if (repeat !== undefined) throw repeatedFuture(label, repeat[0], repeat[1]);
}

/** The error for a future found at index `again` that was already at `first`. */
function repeatedFuture(label: (index: number) => string, first: number, again: number): TypeError {
  return new TypeError(
    `${label(again)}: the same Future as at index ${first}; a future runs once, under one ` +
      "owner: pass a separate future for each",
  );
}
