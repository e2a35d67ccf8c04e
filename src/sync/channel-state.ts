/**
 * The state one mpsc channel shares between its senders, its receiver and their futures.
 *
 * Counters and queues:
 * - `buffer` holds sent messages in order. Bounded: `buffer.length + reserved <= capacity`.
 * - `reserved` counts slots held by permits (granted reserves not yet used or released).
 * - `slotWaiters` (bounded only): sends and reserves waiting for a slot, FIFO. A slot freed by
 *   a receive or a released permit goes straight to the head waiter (`grant`): a send puts its
 *   message in the buffer at that moment, a reserve becomes a permit. So while anyone waits,
 *   no slot is ever free, and `trySend`/new sends cannot jump the queue.
 * - `receivers`: receive futures waiting for a message, FIFO. A message wakes (`notify`) the
 *   head one and unlinks it; `notified` counts woken receives that have not taken a message
 *   yet. Invariant I: while a receive is queued, `buffer.length <= notified` (every buffered
 *   message is promised to a woken receive), so a new receive takes a message only when
 *   nobody is queued and `buffer.length > notified`. A woken receive that is dropped passes
 *   its wake-up on to the next one (restoring I); one that finds the buffer empty (a
 *   `tryRecv` took the message) goes back to the front of the queue. Receives are woken in
 *   the order they started waiting; woken receives take messages in the order they are
 *   polled (an executor polls them in wake order).
 * - The channel is *done* for the receiver once the buffer is empty, no permit is out, nobody
 *   waits to send, and either the receiver closed or every sender closed. Reaching it wakes
 *   every queued receive.
 * @module
 */

import { IntrusiveList, type Linked } from "../core/intrusive-list.js";
import { RingBuffer } from "./ring-buffer.js";

/** @internal A receive waiting for a message. */
export interface RecvWaiter extends Linked {
  /** Marks the waiter woken and wakes its task (it has already been unlinked). */
  notify(): void;
}

/** @internal A send or reserve waiting for a slot. */
export interface SlotWaiter extends Linked {
  /** Takes the slot just freed (it has already been unlinked) and wakes its task. */
  grant(): void;
  /** The receiver closed: fail and wake (already unlinked). */
  fail(): void;
}

/** @internal */
export class ChannelState<T> {
  readonly buffer: RingBuffer<T>;
  readonly capacity: number;
  senders = 1;
  reserved = 0;
  notified = 0;
  receiverClosed = false;
  readonly receivers = new IntrusiveList<RecvWaiter>();
  readonly slotWaiters = new IntrusiveList<SlotWaiter>();

  constructor(capacity: number) {
    this.capacity = capacity;
    this.buffer = new RingBuffer<T>(capacity === Infinity ? 16 : Math.min(capacity, 1024));
  }

  /** No message can arrive any more and none is buffered. */
  get isDone(): boolean {
    return (
      this.buffer.length === 0 &&
      this.reserved === 0 &&
      this.slotWaiters.isEmpty &&
      (this.receiverClosed || this.senders === 0)
    );
  }

  /** A send may take a slot now without overtaking anyone. */
  hasFreeSlot(): boolean {
    return this.slotWaiters.isEmpty && this.buffer.length + this.reserved < this.capacity;
  }

  /** Appends `value` and wakes the first waiting receive. */
  deliver(value: T): void {
    this.buffer.push(value);
    const w = this.receivers.shift();
    if (w !== undefined) {
      this.notified++;
      w.notify();
    }
  }

  /** Takes the front message (the buffer must not be empty) and hands its slot on. */
  take(): T {
    const value = this.buffer.shift() as T;
    if (this.capacity !== Infinity) {
      const w = this.slotWaiters.shift();
      if (w !== undefined) w.grant();
    }
    if (this.buffer.length === 0 && !this.receivers.isEmpty && this.isDone) this.wakeAllReceivers();
    return value;
  }

  /** A permit went back unused: its slot goes to the next waiting send, or becomes free. */
  releaseReserved(): void {
    this.reserved--;
    const w = this.slotWaiters.shift();
    if (w !== undefined) w.grant();
    else if (this.isDone) this.wakeAllReceivers();
  }

  /** A permit was used: its slot now holds `value`. */
  sendReserved(value: T): void {
    this.reserved--;
    this.deliver(value);
  }

  /** A woken receive was dropped without taking its message: wake the next one instead. */
  passOn(): void {
    this.notified--;
    if (this.buffer.length > this.notified || this.isDone) {
      const w = this.receivers.shift();
      if (w !== undefined) {
        this.notified++;
        w.notify();
      }
    }
  }

  /** A sender handle closed. */
  senderClosed(): void {
    this.senders--;
    if (this.isDone) this.wakeAllReceivers();
  }

  /** The receiver closed: pending sends fail, buffered messages stay receivable. */
  closeReceiver(): void {
    if (this.receiverClosed) return;
    this.receiverClosed = true;
    for (let w = this.slotWaiters.shift(); w !== undefined; w = this.slotWaiters.shift()) w.fail();
    if (this.isDone) this.wakeAllReceivers();
  }

  wakeAllReceivers(): void {
    for (let w = this.receivers.shift(); w !== undefined; w = this.receivers.shift()) {
      this.notified++;
      w.notify();
    }
  }

  describe(): string {
    return this.capacity === Infinity ? "unboundedChannel" : `channel(${this.capacity})`;
  }
}
