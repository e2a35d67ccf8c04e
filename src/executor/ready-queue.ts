/**
 * The ready queue: the channel through which wakers send tasks to the executor.
 *
 * Invariants:
 * - FIFO: tasks are polled in the order they were woken.
 * - A task is in the queue at most once (the task's state machine guarantees it).
 * - A ring buffer whose capacity is a power of two: `#head` is the next slot to receive from,
 *   `#length` the number of queued tasks. Sending and receiving allocate nothing once the
 *   buffer has grown to the high-water mark, and a parked task costs the queue nothing; a
 *   buffer grown past 4096 slots is released when the queue empties.
 * @module
 */
import type { Task } from "./task.js";

const INITIAL = 64;
const SHRINK_ABOVE = 4096;

/** A FIFO ring buffer of tasks. */
export class ReadyQueue {
  #slots: (Task<unknown> | undefined)[] = new Array(INITIAL).fill(undefined);
  #mask = INITIAL - 1;
  #head = 0;
  #length = 0;

  /** Number of queued tasks. */
  get length(): number {
    return this.#length;
  }

  /** Sends `task` to the back of the queue. */
  push(task: Task<unknown>): void {
    if (this.#length > this.#mask) this.#grow();
    this.#slots[(this.#head + this.#length) & this.#mask] = task;
    this.#length++;
  }

  /** Receives the task at the front, or `undefined` when empty. */
  shift(): Task<unknown> | undefined {
    if (this.#length === 0) return undefined;
    const head = this.#head;
    const task = this.#slots[head];
    this.#slots[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    if (--this.#length === 0 && this.#mask >= SHRINK_ABOVE) this.#reset();
    return task;
  }

  /** After a burst (e.g. a million tasks spawned at once) an empty queue lets its buffer go. */
  #reset(): void {
    this.#slots = new Array(INITIAL).fill(undefined);
    this.#mask = INITIAL - 1;
    this.#head = 0;
  }

  #grow(): void {
    const old = this.#slots;
    const size = old.length;
    const slots: (Task<unknown> | undefined)[] = new Array(size * 2).fill(undefined);
    for (let i = 0; i < size; i++) slots[i] = old[(this.#head + i) & this.#mask];
    this.#slots = slots;
    this.#mask = size * 2 - 1;
    this.#head = 0;
  }
}

/**
 * The set of live (unfinished) tasks, linked through their `prevLive`/`nextLive` fields so that
 * adding and removing are O(1) and allocate nothing.
 */
export class LiveTasks {
  #head: Task<unknown> | undefined = undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(task: Task<unknown>): void {
    task.prevLive = undefined;
    task.nextLive = this.#head;
    if (this.#head !== undefined) this.#head.prevLive = task;
    this.#head = task;
    this.#size++;
  }

  remove(task: Task<unknown>): void {
    const prev = task.prevLive;
    const next = task.nextLive;
    if (prev === undefined) {
      if (this.#head !== task) return;
      this.#head = next;
    } else {
      prev.nextLive = next;
    }
    if (next !== undefined) next.prevLive = prev;
    task.prevLive = undefined;
    task.nextLive = undefined;
    this.#size--;
  }

  /** A snapshot, oldest task first. */
  toArray(): Task<unknown>[] {
    const out: Task<unknown>[] = [];
    for (let t = this.#head; t !== undefined; t = t.nextLive) out.push(t);
    return out.reverse();
  }
}
