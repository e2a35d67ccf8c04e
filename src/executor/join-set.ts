/**
 * `JoinSet`: a collection of spawned tasks, joined in the order they finish.
 *
 * Invariants:
 * - `handles` holds every task spawned through the set and not yet returned by `joinNext`;
 *   `size` is its size.
 * - Each task's future is wrapped in a `Tracked` future, which records the task's outcome
 *   itself (its value, the error it threw, or that it was dropped) and appends itself to `done`
 *   exactly once, from its final poll or from its drop. So `joinNext` delivers every outcome
 *   exactly once whatever was done with the handle `spawn` returned (dropped, awaited,
 *   aborted), and the set works under any executor.
 * - A failure is delivered by `joinNext` as a `JoinError`; a task of ours (`Task`) is told it
 *   is supervised, so dropping its handle does not report the failure as unhandled, and told
 *   when `joinNext` delivered it. A failure the set never delivers is reported when the
 *   executor shuts down, like that of any handle that was never awaited.
 * - Every completion of `joinNext` (an outcome, or the end of an empty set) spends one unit
 *   of the task's cooperative budget (core/coop.ts).
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { assertFuture, Future } from "../core/future.js";
import { NextStream } from "../core/next-stream.js";
import { Poll } from "../core/poll.js";
import type { Stream } from "../core/stream.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import { currentExecutor, type Executor, type SpawnOptions } from "./executor.js";
import { JoinError } from "./join-error.js";
import type { JoinHandle } from "./join-handle.js";
import { Task } from "./task.js";

const RUNNING = 0;
const VALUE = 1;
const PANIC = 2;
const CANCELLED = 3;

/** What a set shares with its tracked tasks; never reachable from the public class. */
class SetState<T> {
  readonly handles = new Set<JoinHandle<T>>();
  done: Tracked<T>[] = [];
  doneHead = 0;
  waker: Waker | undefined = undefined;

  finished(tracked: Tracked<T>): void {
    this.done.push(tracked);
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

class Tracked<T> extends Future<T> {
  readonly #inner: Future<T>;
  readonly #set: SetState<T>;
  outcome = RUNNING;
  result: unknown = undefined;
  handle: JoinHandle<T> | undefined = undefined;

  constructor(inner: Future<T>, set: SetState<T>) {
    super();
    this.#inner = inner;
    this.#set = set;
  }

  poll(cx: Context): Poll<T> {
    let p: Poll<T>;
    try {
      p = this.#inner.poll(cx);
    } catch (error) {
      this.record_(PANIC, error);
      throw error;
    }
    if (p !== Poll.pending) this.record_(VALUE, (p as { value: T }).value);
    return p;
  }

  override drop(): void {
    try {
      this.#inner.drop();
    } finally {
      this.record_(CANCELLED, undefined);
    }
  }

  override describe(): string {
    return this.#inner.describe();
  }

  private record_(outcome: number, result: unknown): void {
    if (this.outcome !== RUNNING) return;
    this.outcome = outcome;
    this.result = result;
    this.#set.finished(this);
  }
}

class JoinNext<T> extends Future<IteratorResult<T, undefined>> {
  readonly #set: SetState<T>;
  constructor(set: SetState<T>) {
    super();
    this.#set = set;
  }

  poll(cx: Context): Poll<IteratorResult<T, undefined>> {
    const set = this.#set;
    if (set.doneHead === set.done.length) {
      if (set.handles.size === 0) {
        return proceed(cx) ? (DONE_RESULT as Poll<IteratorResult<T, undefined>>) : Poll.pending;
      }
      set.waker = registerWaker(set.waker, cx);
      return Poll.pending;
    }
    if (!proceed(cx)) return Poll.pending;
    const tracked = set.done[set.doneHead] as Tracked<T>;
    set.done[set.doneHead] = undefined as unknown as Tracked<T>;
    if (++set.doneHead === set.done.length) {
      set.done = [];
      set.doneHead = 0;
    }
    const handle = tracked.handle as JoinHandle<T>;
    set.handles.delete(handle);
    const result = tracked.result;
    tracked.result = undefined;
    switch (tracked.outcome) {
      case VALUE:
        return { value: { done: false, value: result as T } };
      case PANIC:
        if (handle instanceof Task) handle.markHandled();
        throw JoinError.panic(result, label(handle));
      default:
        throw JoinError.cancelled(label(handle));
    }
  }

  override describe(): string {
    return `JoinSet.joinNext (${this.#set.handles.size} tasks)`;
  }
}

function label(handle: JoinHandle<unknown>): string {
  return handle instanceof Task ? (handle.name ?? `#${handle.id}`) : `#${handle.id}`;
}

const DONE_RESULT: Poll<IteratorResult<never, undefined>> = /* @__PURE__ */ Object.freeze({
  value: /* @__PURE__ */ Object.freeze({ done: true, value: undefined }),
});

/**
 * A set of tasks spawned on the current executor, awaited in the order they finish.
 * Disposing the set aborts the tasks still in it.
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   using set = new JoinSet<number>();
 *   for (const url of urls) set.spawn(fetchSize(url));
 *   let total = 0;
 *   for (let r = yield* set.joinNext(); !r.done; r = yield* set.joinNext()) total += r.value;
 *   return total;
 * });
 * ```
 */
export class JoinSet<T> implements Disposable {
  readonly #executor: Executor | undefined;
  readonly #state = new SetState<T>();

  /**
   * @param executor where `spawn` puts tasks; by default the executor polling the caller.
   */
  constructor(executor?: Executor) {
    this.#executor = executor;
  }

  /**
   * How many tasks are in the set (spawned and not yet returned by `joinNext`).
   *
   * @example
   * ```ts
   * while (set.size > 0) yield* set.joinNext();
   * ```
   */
  get size(): number {
    return this.#state.handles.size;
  }

  /**
   * Spawns `fut` into the set and returns its handle. The set keeps track of the task whatever
   * you do with the handle: dropping it is fine, and awaiting it or aborting it through it is
   * too; `joinNext` still delivers the task's outcome (a failure then reaches both).
   *
   * @example
   * ```ts
   * set.spawn(worker(i), { name: `worker-${i}` });
   * ```
   */
  spawn(fut: Future<T>, options?: SpawnOptions): JoinHandle<T> {
    assertFuture(fut, "JoinSet.spawn(fut)");
    const executor = this.#executor ?? currentExecutor();
    if (executor === undefined) {
      throw new Error(
        "JoinSet.spawn() was called outside an executor: pass an executor to new JoinSet(executor)",
      );
    }
    const tracked = new Tracked(fut, this.#state);
    const handle = executor.spawn(tracked, options);
    tracked.handle = handle;
    if (handle instanceof Task) handle.supervise();
    this.#state.handles.add(handle);
    return handle;
  }

  /**
   * Waits for the next task to finish and gives `{ done: false, value }`, or `{ done: true }`
   * when the set is empty. Throws the task's `JoinError` if it failed or was aborted (the set
   * then no longer holds it).
   *
   * Cancel safety: safe. Dropping it before it returns removes nothing from the set.
   *
   * Cooperative scheduling: each completion (an outcome, or the end of an empty set) spends
   * one unit of the task's budget, so a `select` loop over `joinNext()` cannot hold the thread.
   *
   * @example
   * ```ts
   * const r = yield* set.joinNext();
   * if (!r.done) console.log("first finished:", r.value);
   * ```
   */
  joinNext(): Future<IteratorResult<T, undefined>> {
    return new JoinNext(this.#state);
  }

  /**
   * A {@link Stream} of the set's outcomes in the order tasks finish, like repeated
   * `joinNext()`: it ends when the set is empty and fails with the first `JoinError`. Dropping
   * the stream removes nothing from the set (dispose the set to abort its tasks).
   *
   * Cancel safety: safe, like `joinNext()`.
   *
   * @example
   * ```ts
   * const results = yield* set.stream().pipe(collect());
   * ```
   */
  stream(): Stream<T> {
    return new NextStream(() => this.joinNext(), undefined, "JoinSet.stream()");
  }

  /**
   * Aborts every task in the set; they are dropped at the executor's next opportunity and
   * `joinNext` then reports them as cancelled.
   *
   * @example
   * ```ts
   * set.abortAll();
   * ```
   */
  abortAll(): void {
    for (const handle of this.#state.handles) handle.abort();
  }

  /** Aborts every task still in the set. */
  [Symbol.dispose](): void {
    this.abortAll();
  }
}
