/**
 * `JoinSet`: a collection of spawned tasks, joined in the order they finish.
 *
 * Invariants:
 * - `#handles` holds every task spawned through the set and not yet returned by `joinNext`;
 *   `size` is its size.
 * - `#done` lists, in completion order, the handles whose task finished (or was dropped). Each
 *   task's future is wrapped in a `Tracked` future that appends its handle exactly once, from
 *   its final poll or from its drop, so the set works under any executor.
 * @module
 */
import type { Context } from "../core/context.js";
import { assertFuture, Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { currentExecutor, type Executor, type SpawnOptions } from "./executor.js";
import type { JoinHandle } from "./join-handle.js";

class Tracked<T> extends Future<T> {
  #inner: Future<T>;
  #set: JoinSet<T>;
  #signalled = false;
  handle: JoinHandle<T> | undefined = undefined;

  constructor(inner: Future<T>, set: JoinSet<T>) {
    super();
    this.#inner = inner;
    this.#set = set;
  }

  poll(cx: Context): Poll<T> {
    let p: Poll<T>;
    try {
      p = this.#inner.poll(cx);
    } catch (error) {
      this.signal_();
      throw error;
    }
    if (p !== Poll.pending) this.signal_();
    return p;
  }

  override drop(): void {
    try {
      this.#inner.drop();
    } finally {
      this.signal_();
    }
  }

  override describe(): string {
    return this.#inner.describe();
  }

  private signal_(): void {
    if (this.#signalled) return;
    this.#signalled = true;
    this.#set.taskDone(this.handle as JoinHandle<T>);
  }
}

class JoinNext<T> extends Future<IteratorResult<T, undefined>> {
  readonly #set: JoinSet<T>;
  constructor(set: JoinSet<T>) {
    super();
    this.#set = set;
  }
  poll(cx: Context): Poll<IteratorResult<T, undefined>> {
    return this.#set.pollJoinNext(cx);
  }
  override describe(): string {
    return `JoinSet.joinNext (${this.#set.size} tasks)`;
  }
}

const DONE_RESULT: Poll<IteratorResult<never, undefined>> = Object.freeze({
  value: Object.freeze({ done: true, value: undefined }),
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
  readonly #handles = new Set<JoinHandle<T>>();
  #done: JoinHandle<T>[] = [];
  #doneHead = 0;
  #waker: Waker | undefined = undefined;

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
    return this.#handles.size;
  }

  /**
   * Spawns `fut` into the set and returns its handle (dropping that handle is fine: the set
   * keeps track of the task).
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
    const tracked = new Tracked(fut, this);
    const handle = executor.spawn(tracked, options);
    tracked.handle = handle;
    this.#handles.add(handle);
    return handle;
  }

  /**
   * Waits for the next task to finish and gives `{ done: false, value }`, or `{ done: true }`
   * when the set is empty. Throws the task's `JoinError` if it failed or was aborted (the set
   * then no longer holds it).
   *
   * Cancel safety: safe. Dropping it before it returns removes nothing from the set.
   *
   * @example
   * ```ts
   * const r = yield* set.joinNext();
   * if (!r.done) console.log("first finished:", r.value);
   * ```
   */
  joinNext(): Future<IteratorResult<T, undefined>> {
    return new JoinNext(this);
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
    for (const handle of this.#handles) handle.abort();
  }

  /** Aborts every task still in the set. */
  [Symbol.dispose](): void {
    this.abortAll();
  }

  /** @internal Called by a tracked task when it finishes or is dropped. */
  taskDone(handle: JoinHandle<T>): void {
    this.#done.push(handle);
    const waker = this.#waker;
    this.#waker = undefined;
    waker?.wake();
  }

  /** @internal */
  pollJoinNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    if (this.#doneHead === this.#done.length) {
      if (this.#handles.size === 0) return DONE_RESULT as Poll<IteratorResult<T, undefined>>;
      if (this.#waker === undefined || !this.#waker.willWake(cx.waker)) this.#waker = cx.waker;
      return Poll.pending;
    }
    const handle = this.#done[this.#doneHead] as JoinHandle<T>;
    let p: Poll<T>;
    try {
      p = handle.poll(cx);
    } catch (error) {
      this.#take(handle);
      throw error;
    }
    if (p === Poll.pending) return p;
    this.#take(handle);
    return { value: { done: false, value: (p as { value: T }).value } };
  }

  #take(handle: JoinHandle<T>): void {
    this.#handles.delete(handle);
    this.#doneHead++;
    if (this.#doneHead === this.#done.length) {
      this.#done = [];
      this.#doneHead = 0;
    }
  }
}
