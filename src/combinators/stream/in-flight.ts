/**
 * The bounded set of futures in flight behind `buffered`, `bufferUnordered` and
 * `forEachConcurrent`: at most `capacity` futures, each polled with its own waker, so only the
 * futures that were woken are polled again (N items cost O(N) polls, whatever `capacity`).
 *
 * Every slot is one object that is at once the child's Waker and Context; the `capacity` slots
 * are made on first use and reused, so a long stream allocates nothing per item here.
 *
 * Invariants:
 * - `count` = futures running + results finished but not yet taken; it never exceeds
 *   `capacity`, so the owner never holds more than `capacity` items it pulled from its source.
 * - Ordered: the slots form a ring in pull order (`#head`, `count`); a result is taken only from
 *   the head, so results leave in source order. Unordered: a slot is freed as soon as its future
 *   finishes and the result waits in a ring of values, in completion order.
 * - `slot.woken` is true exactly while the slot is on the woken list. A slot may be reused while
 *   still on that list (its old future finished during the poll that woke it); the new future
 *   then gets one spurious poll, which the Future contract allows.
 * - The first child that throws makes every other running child be dropped, synchronously,
 *   before the error propagates; `dropAll()` drops every running child; each child is dropped
 *   at most once and never polled after it finished or was dropped.
 * @module
 */
import type { Context } from "../../core/context.js";
import type { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { dropQuietly } from "../../core/unhandled.js";
import type { Waker } from "../../core/waker.js";

class Slot implements Waker, Context {
  future: Future<unknown> | undefined = undefined;
  value: unknown = undefined;
  done = false;
  woken = false;
  nextWoken: Slot | undefined = undefined;
  readonly owner: InFlight<unknown>;
  readonly index: number;

  constructor(owner: InFlight<unknown>, index: number) {
    this.owner = owner;
    this.index = index;
  }

  get waker(): Waker {
    return this;
  }

  wake(): void {
    if (this.woken || this.future === undefined) return;
    this.woken = true;
    this.owner.woke(this);
  }

  willWake(other: Waker): boolean {
    return other === this;
  }
}

/** @internal See the module comment. */
export class InFlight<T> {
  readonly capacity: number;
  readonly ordered: boolean;
  /** Running futures plus finished results not yet taken. */
  count = 0;
  /** Futures running now. */
  running = 0;
  /** The result the last successful {@link InFlight.take} returned. */
  taken: T | undefined = undefined;
  readonly #slots: Slot[] = [];
  #head = 0;
  #free: number[] = [];
  #ready: T[] = [];
  #readyHead = 0;
  #readyCount = 0;
  #waker: Waker | undefined = undefined;
  #wokenHead: Slot | undefined = undefined;
  #wokenTail: Slot | undefined = undefined;

  constructor(capacity: number, ordered: boolean) {
    this.capacity = capacity;
    this.ordered = ordered;
  }

  get isFull(): boolean {
    return this.count >= this.capacity;
  }

  /** Remembers the latest waker of the owner's consumer. */
  register(waker: Waker): void {
    const current = this.#waker;
    if (current === undefined || !current.willWake(waker)) this.#waker = waker;
  }

  /** Starts `future` in a free slot and polls it once. Only when not full. */
  start(future: Future<T>): void {
    const slot = this.#freeSlot();
    slot.future = future;
    slot.done = false;
    this.count++;
    this.running++;
    this.#poll(slot);
  }

  /** Polls the children woken since the last call. */
  pollWoken(): void {
    let slot = this.#wokenHead;
    this.#wokenHead = this.#wokenTail = undefined;
    while (slot !== undefined) {
      const next = slot.nextWoken;
      slot.nextWoken = undefined;
      slot.woken = false;
      if (slot.future !== undefined) this.#poll(slot);
      slot = next;
    }
  }

  /** Takes the next result (into `taken`); false when none is ready (in order, if ordered). */
  take(): boolean {
    if (this.ordered) {
      if (this.count === 0) return false;
      const slot = this.#slots[this.#head] as Slot;
      if (!slot.done) return false;
      this.taken = slot.value as T;
      slot.value = undefined;
      slot.done = false;
      this.#head = (this.#head + 1) % this.capacity;
      this.count--;
      return true;
    }
    if (this.#readyCount === 0) return false;
    const i = this.#readyHead;
    this.taken = this.#ready[i] as T;
    this.#ready[i] = undefined as T;
    this.#readyHead = (i + 1) % this.capacity;
    this.#readyCount--;
    this.count--;
    return true;
  }

  /** Drops every running child and forgets every result. */
  dropAll(): void {
    const slots = this.#slots;
    this.count = this.running = this.#readyCount = 0;
    this.#wokenHead = this.#wokenTail = this.#waker = this.taken = undefined;
    this.#ready = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      const future = slot.future;
      slot.value = undefined;
      slot.done = false;
      if (future === undefined) continue;
      slot.future = undefined;
      dropQuietly(future);
    }
  }

  /** @internal Called by a slot the first time it is woken since it was last polled. */
  woke(slot: Slot): void {
    const tail = this.#wokenTail;
    if (tail === undefined) {
      this.#wokenHead = this.#wokenTail = slot;
      this.#waker?.wake();
    } else {
      tail.nextWoken = slot;
      this.#wokenTail = slot;
    }
  }

  /** What the first running child waits on, for task dumps. */
  /** How the operator named `label` describes itself while this set is live. */
  describe(label: string): string {
    let first = "nothing";
    for (const slot of this.#slots) {
      if (slot.future !== undefined) {
        first = slot.future.describe();
        break;
      }
    }
    return `${label}: ${this.running} running (${first})`;
  }

  #freeSlot(): Slot {
    const slots = this.#slots;
    if (this.ordered) {
      const i = (this.#head + this.count) % this.capacity;
      let slot = slots[i];
      if (slot === undefined) slot = slots[i] = new Slot(this as InFlight<unknown>, i);
      return slot;
    }
    const i = this.#free.pop();
    if (i !== undefined) return slots[i] as Slot;
    const slot = new Slot(this as InFlight<unknown>, slots.length);
    slots.push(slot);
    return slot;
  }

  #poll(slot: Slot): void {
    const future = slot.future as Future<T>;
    let p: Poll<T>;
    try {
      p = future.poll(slot);
    } catch (error) {
      slot.future = undefined;
      this.dropAll();
      throw error;
    }
    if (p === Poll.pending) return;
    slot.future = undefined;
    this.running--;
    const value = (p as { value: T }).value;
    if (this.ordered) {
      slot.value = value;
      slot.done = true;
      return;
    }
    this.#free.push(slot.index);
    this.#ready[(this.#readyHead + this.#readyCount) % this.capacity] = value;
    this.#readyCount++;
  }
}

/** Validates a concurrency limit: a whole number >= 1. */
export function checkLimit(n: unknown, where: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${where}: n must be a whole number >= 1, got ${String(n)}`);
  }
  return n;
}
