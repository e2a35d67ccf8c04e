/**
 * The futures a `CancellationToken` hands out: `token.cancelled()` and
 * `token.runUntilCancelled(fut)`. They register with the token only while they wait, and
 * unregister as soon as they finish or are dropped, so nothing piles up in a long-lived token.
 *
 * Invariants:
 * - A waiter is in its token's listener set exactly while it is registered (`WAITING` /
 *   `#registered`); `onCancel` is called at most once per registration, by the token, which has
 *   already removed it from the set.
 * - `runUntilCancelled` drops its inner future inside `onCancel` (synchronously, then wakes the
 *   task), unless the inner future is being polled at that moment: then right after that poll.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { AbortedError, PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { reportUnhandled } from "../core/unhandled.js";
import type { Waker } from "../core/waker.js";

/** Something told when a token is cancelled. */
export interface Listener {
  onCancel(): void;
}

/** What a waiter reads from its token. */
export interface TokenState {
  readonly isCancelled: boolean;
  readonly reason: unknown;
}

/** How a waiter (un)registers with its token; provided by the token's module. */
export interface TokenRegistry<K> {
  add(token: K, listener: Listener): void;
  remove(token: K, listener: Listener): void;
}

const READY_VOID: Poll<void> = Object.freeze({ value: undefined });

const NEW = 0;
const WAITING = 1;
const DONE = 2;

export class Cancelled<K extends TokenState> extends Future<void> implements Listener {
  readonly #token: K;
  readonly #registry: TokenRegistry<K>;
  #state = NEW;
  #waker: Waker | undefined = undefined;

  constructor(token: K, registry: TokenRegistry<K>) {
    super();
    this.#token = token;
    this.#registry = registry;
  }

  poll(cx: Context): Poll<void> {
    const state = this.#state;
    if (state === DONE) throw new PollAfterReadyError("cancelled()");
    if (this.#token.isCancelled) {
      if (!proceed(cx)) return Poll.pending;
      this.#release();
      return READY_VOID;
    }
    const waker = this.#waker;
    if (waker === undefined || !waker.willWake(cx.waker)) this.#waker = cx.waker;
    if (state === NEW) {
      this.#state = WAITING;
      this.#registry.add(this.#token, this);
    }
    return Poll.pending;
  }

  onCancel(): void {
    this.#state = NEW;
    const waker = this.#waker;
    this.#waker = undefined;
    waker?.wake();
  }

  #release(): void {
    if (this.#state === WAITING) this.#registry.remove(this.#token, this);
    this.#state = DONE;
    this.#waker = undefined;
  }

  override drop(): void {
    this.#release();
  }

  override describe(): string {
    return "token.cancelled()";
  }
}

export class RunUntilCancelled<K extends TokenState, T> extends Future<T> implements Listener {
  readonly #token: K;
  readonly #registry: TokenRegistry<K>;
  #inner: Future<T> | undefined;
  #waker: Waker | undefined = undefined;
  #registered = false;
  #polling = false;
  #done = false;

  constructor(token: K, registry: TokenRegistry<K>, inner: Future<T>) {
    super();
    this.#token = token;
    this.#registry = registry;
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("runUntilCancelled");
    const inner = this.#inner;
    if (inner === undefined || this.#token.isCancelled) return this.#cancelled();
    let p: Poll<T>;
    this.#polling = true;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#release();
      throw error;
    } finally {
      this.#polling = false;
    }
    if (p !== Poll.pending) {
      this.#release();
      return p;
    }
    if (this.#token.isCancelled) return this.#cancelled();
    const waker = this.#waker;
    if (waker === undefined || !waker.willWake(cx.waker)) this.#waker = cx.waker;
    if (!this.#registered) {
      this.#registered = true;
      this.#registry.add(this.#token, this);
    }
    return p;
  }

  #cancelled(): never {
    const inner = this.#inner;
    this.#release();
    if (inner !== undefined) dropQuietly(inner);
    throw new AbortedError(this.#token.reason);
  }

  onCancel(): void {
    this.#registered = false;
    if (this.#polling) return;
    const inner = this.#inner;
    this.#inner = undefined;
    const waker = this.#waker;
    this.#waker = undefined;
    if (inner !== undefined) dropQuietly(inner);
    waker?.wake();
  }

  #release(): void {
    if (this.#registered) {
      this.#registered = false;
      this.#registry.remove(this.#token, this);
    }
    this.#done = true;
    this.#inner = undefined;
    this.#waker = undefined;
  }

  override drop(): void {
    if (this.#done) return;
    const inner = this.#inner;
    this.#release();
    if (inner !== undefined) dropQuietly(inner);
  }

  override describe(): string {
    const inner = this.#inner;
    return inner === undefined ? "runUntilCancelled" : `runUntilCancelled(${inner.describe()})`;
  }
}

function dropQuietly(future: Future<unknown>): void {
  try {
    future.drop();
  } catch (error) {
    reportUnhandled(error);
  }
}
