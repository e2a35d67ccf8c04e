/**
 * The futures a `CancellationToken` hands out: `token.cancelled()` and
 * `token.runUntilCancelled(fut)`. They register with the token's node only while they wait,
 * and unregister as soon as they finish or are dropped, so nothing piles up in a long-lived
 * token.
 *
 * Invariants:
 * - A waiter is in its node's listener set exactly while it is registered; `onCancel` is called
 *   at most once per registration, by the node, which has already removed it from the set.
 * - `runUntilCancelled` is an `Abortable` (combinators/abortable.ts) plus a registration, as in
 *   futures-util: cancelling the token aborts it, which drops the inner future at once (right
 *   after its poll, if it is being polled) and wakes the task, which then gets `AbortedError`
 *   with the token's reason. A result the inner future reached first stands.
 * @module
 */
import { Abortable } from "../combinators/abortable.js";
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll, READY_VOID } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import type { Listener, TokenNode } from "./token-node.js";

const NEW = 0;
const WAITING = 1;
const DONE = 2;

/** @internal `token.cancelled()`. */
export class Cancelled extends Future<void> implements Listener {
  readonly #node: TokenNode;
  #state = NEW;
  #waker: Waker | undefined = undefined;

  constructor(node: TokenNode) {
    super();
    this.#node = node;
  }

  poll(cx: Context): Poll<void> {
    const state = this.#state;
    if (state === DONE) throw new PollAfterReadyError("cancelled()");
    if (this.#node.isCancelled) {
      if (!proceed(cx)) return Poll.pending;
      this.#release();
      return READY_VOID;
    }
    const waker = this.#waker;
    this.#waker = registerWaker(waker, cx);
    if (state === NEW) {
      this.#state = WAITING;
      this.#node.add(this);
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
    if (this.#state === WAITING) this.#node.remove(this);
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

/** @internal `token.runUntilCancelled(fut)`: an Abortable aborted by the token. */
export class RunUntilCancelled<T> extends Future<T> implements Listener {
  readonly #node: TokenNode;
  readonly #inner: Abortable<T>;
  #registered = false;
  #done = false;

  constructor(node: TokenNode, inner: Future<T>) {
    super();
    this.#node = node;
    this.#inner = new Abortable(inner);
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("runUntilCancelled");
    const node = this.#node;
    if (!this.#registered && !this.#inner.isAborted) {
      if (node.isCancelled) this.#inner.abort(node.reason);
      else {
        this.#registered = true;
        node.add(this);
      }
    }
    let p: Poll<T>;
    try {
      p = this.#inner.poll(cx);
    } catch (error) {
      this.#release();
      throw error;
    }
    if (p !== Poll.pending) this.#release();
    return p;
  }

  onCancel(): void {
    this.#registered = false;
    this.#inner.abort(this.#node.reason);
  }

  #release(): void {
    this.#done = true;
    if (this.#registered) {
      this.#registered = false;
      this.#node.remove(this);
    }
  }

  override drop(): void {
    if (this.#done) return;
    this.#release();
    this.#inner.drop();
  }

  override describe(): string {
    return this.#done ? "runUntilCancelled" : `runUntilCancelled(${this.#inner.describe()})`;
  }
}
