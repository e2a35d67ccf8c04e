/**
 * The future behind `Receiver.recv()`.
 *
 * States: FRESH (never waited) → QUEUED in `receivers` → NOTIFIED (woken and unlinked by the
 * channel, counted in `notified`) → done (`#channel` cleared, whatever the state). See channel-state.ts for invariant I, which
 * decides when a fresh receive may take a message directly.
 *
 * Invariants:
 * - A message leaves the buffer only inside `poll` returning Ready, so dropping a receive at
 *   any point loses nothing: the message stays buffered for the next receive.
 * - Dropped while woken, the receive passes its wake-up on (`passOn`); dropped while queued,
 *   it just unlinks. Either way in O(1).
 * - Cooperative budget (core/coop.ts): every completion spends one unit; with none left the
 *   receive wakes its task and stays as it is (FRESH or NOTIFIED, nothing taken), so a
 *   consumer draining a full buffer yields every 128 messages and loses nothing.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed, tryProceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { InlineFuture } from "../core/future.js";
import type { Linked } from "../core/intrusive-list.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import type { ChannelState, RecvWaiter } from "./channel-state.js";

/** The shared `{ done: true }` of every finished stream. */
export const DONE_RESULT: IteratorResult<never, undefined> = /* @__PURE__ */ Object.freeze({
  done: true as const,
  value: undefined,
});

/** The shared `Ready({ done: true })`. */
export const READY_DONE: Poll<IteratorResult<never, undefined>> = /* @__PURE__ */ Object.freeze({
  value: DONE_RESULT,
});

const FRESH = 0;
const QUEUED = 1;
const NOTIFIED = 2;

/** @internal */
export class RecvFuture<T>
  extends InlineFuture<IteratorResult<T, undefined>>
  implements RecvWaiter
{
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  #state = FRESH;
  /** `undefined` once finished or dropped. */
  #channel: ChannelState<T> | undefined;
  #waker: Waker | undefined = undefined;

  constructor(channel: ChannelState<T>) {
    super();
    this.#channel = channel;
  }

  poll(cx: Context): Poll<IteratorResult<T, undefined>> {
    const ch = this.#channel;
    if (ch === undefined) throw new PollAfterReadyError("Receiver.recv() future");
    switch (this.#state) {
      case NOTIFIED:
        if (!proceed(cx)) return Poll.pending;
        ch.notified--;
        if (ch.buffer.length > 0) return this.takeNow(ch);
        if (ch.isDone) return this.finishNow();
        // A tryRecv took the message meanwhile: wait again, keeping our place at the front.
        this.#state = QUEUED;
        this.#waker = cx.waker;
        ch.receivers.unshift(this);
        return Poll.pending;
      case QUEUED:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      default:
        if (ch.buffer.length > ch.notified && ch.receivers.isEmpty) {
          return proceed(cx) ? this.takeNow(ch) : Poll.pending;
        }
        if (ch.isDone) return proceed(cx) ? this.finishNow() : Poll.pending;
        this.#state = QUEUED;
        this.#waker = cx.waker;
        ch.receivers.push(this);
        return Poll.pending;
    }
  }

  override pollNow(): Poll<IteratorResult<T, undefined>> | undefined {
    const ch = this.#channel;
    if (ch === undefined || this.#state !== FRESH) return undefined;
    if (ch.buffer.length > ch.notified && ch.receivers.isEmpty) {
      return tryProceed() ? this.takeNow(ch) : undefined;
    }
    return ch.isDone && tryProceed() ? this.finishNow() : undefined;
  }

  private takeNow(ch: ChannelState<T>): Poll<IteratorResult<T, undefined>> {
    this.#channel = undefined;
    this.#waker = undefined;
    return { value: { done: false, value: ch.take() } };
  }

  private finishNow(): Poll<IteratorResult<T, undefined>> {
    this.#channel = undefined;
    this.#waker = undefined;
    return READY_DONE;
  }

  /** @internal Called by the channel, which has unlinked us. */
  notify(): void {
    this.#state = NOTIFIED;
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    const ch = this.#channel;
    if (ch === undefined) return;
    this.#channel = undefined;
    this.#waker = undefined;
    if (this.#state === QUEUED) ch.receivers.remove(this);
    else if (this.#state === NOTIFIED) ch.passOn();
  }

  override describe(): string {
    return `recv() on ${this.#channel?.describe() ?? "a channel"}`;
  }
}
