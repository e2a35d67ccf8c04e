/**
 * The future behind `Sender.send(value)` and `Sender.reserve()` on a bounded channel (one
 * class for both, kept directly below `InlineFuture`: a deeper class chain makes every
 * construction several times slower in V8, and a send is created per message).
 *
 * States: NEW → (slot free: done at once) | WAITING (queued in `slotWaiters`) → GRANTED (the
 * channel handed it a slot and woke it) | FAILED (the receiver closed) → DONE.
 * HANDLE_CLOSED: made by a sender handle that was already closed; fails when polled.
 *
 * Invariants:
 * - A waiting send holds its message until a slot is granted; the grant puts the message in
 *   the buffer at that moment, so a send is either fully done or not done at all.
 * - A granted reserve holds one unit of `ChannelState.reserved` until it becomes a `Permit`.
 * - Dropped while WAITING, a future leaves the queue at once. A reserve dropped while GRANTED
 *   gives its slot back (`releaseReserved`), which hands it to the next waiter.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed, tryProceed } from "../core/coop.js";
import { PollAfterReadyError, SendError } from "../core/errors.js";
import { InlineFuture } from "../core/future.js";
import type { Linked } from "../core/intrusive-list.js";
import { Poll, READY_VOID } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import type { ChannelState, SlotWaiter } from "./channel-state.js";
import { newPermit } from "./permit.js";

const NEW = 0;
const WAITING = 1;
const GRANTED = 2;
const FAILED = 3;
const DONE = 4;
const HANDLE_CLOSED = 5;

/** @internal `V` is `void` for a send, `Permit<T>` for a reserve. */
export class SlotFuture<T, V> extends InlineFuture<V> implements SlotWaiter {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  #state = NEW;
  #waker: Waker | undefined = undefined;
  /** The message of a send; `undefined` for a reserve and once delivered or dropped. */
  #value: T | undefined;
  readonly #reserve: boolean;
  readonly #channel: ChannelState<T>;

  /** `handleClosed`: the sender handle was already closed when the operation was created. */
  constructor(
    channel: ChannelState<T>,
    reserve: boolean,
    value: T | undefined,
    handleClosed: boolean,
  ) {
    super();
    this.#channel = channel;
    this.#reserve = reserve;
    this.#value = value;
    if (handleClosed) this.#state = HANDLE_CLOSED;
  }

  poll(cx: Context): Poll<V> {
    switch (this.#state) {
      case NEW:
      case HANDLE_CLOSED: {
        // Out of budget, a send that has a free slot waits one turn, keeping its value.
        if (this.#state === NEW && this.#channel.hasFreeSlot() && !proceed(cx)) return Poll.pending;
        const p = this.complete() as Poll<V>;
        if (p !== Poll.pending) return p;
        this.#waker = cx.waker;
        this.#state = WAITING;
        this.#channel.slotWaiters.push(this);
        return p;
      }
      case WAITING:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case GRANTED:
        if (!proceed(cx)) return Poll.pending;
        this.#state = DONE;
        return this.#reserve ? { value: newPermit(this.#channel) as V } : (READY_VOID as Poll<V>);
      case FAILED: {
        this.#state = DONE;
        const value = this.#value;
        this.#value = undefined;
        throw new SendError(value);
      }
      default:
        throw new PollAfterReadyError(
          this.#reserve ? "Sender.reserve() future" : "Sender.send() future",
        );
    }
  }

  override pollNow(): Poll<V> | undefined {
    if (this.#state === NEW && this.#channel.hasFreeSlot() && !tryProceed()) return undefined;
    return this.complete();
  }

  /** Completes a fresh send if it can: fails, or delivers into a free slot; else Pending. */
  private complete(): Poll<V> | undefined {
    const state = this.#state;
    if (state !== NEW) {
      if (state !== HANDLE_CLOSED) return undefined;
      this.#state = DONE;
      const value = this.#value;
      this.#value = undefined;
      const op = this.#reserve ? "Sender.reserve()" : "Sender.send(value)";
      throw new SendError(value, `${op}: this Sender was closed`);
    }
    const ch = this.#channel;
    if (ch.receiverClosed) {
      this.#state = DONE;
      const value = this.#value;
      this.#value = undefined;
      throw new SendError(value);
    }
    if (!ch.hasFreeSlot()) return Poll.pending;
    this.#state = DONE;
    if (this.#reserve) {
      ch.reserved++;
      return { value: newPermit(ch) as V };
    }
    const value = this.#value as T;
    this.#value = undefined;
    ch.deliver(value);
    return READY_VOID as Poll<V>;
  }

  /** @internal The channel unlinked us and hands us a free slot. */
  grant(): void {
    const ch = this.#channel;
    if (this.#reserve) {
      ch.reserved++;
    } else {
      const value = this.#value as T;
      this.#value = undefined;
      ch.deliver(value);
    }
    this.#state = GRANTED;
    this.wakeTask();
  }

  /** @internal The receiver closed; the channel unlinked us. */
  fail(): void {
    this.#state = FAILED;
    this.wakeTask();
  }

  /** @internal */
  wakeTask(): void {
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    const state = this.#state;
    this.#state = DONE;
    this.#waker = undefined;
    this.#value = undefined;
    if (state === WAITING) this.#channel.slotWaiters.remove(this);
    else if (state === GRANTED && this.#reserve) this.#channel.releaseReserved();
  }

  override describe(): string {
    return `${this.#reserve ? "reserve()" : "send()"} on ${this.#channel.describe()}`;
  }
}
