/**
 * The ready queue: the channel through which wakers send tasks to the executor.
 *
 * Invariants:
 * - FIFO: tasks are polled in the order they were woken.
 * - A task is in the queue at most once (the task's state machine guarantees it), so the queue
 *   links tasks through their own `nextReady` field: sending and receiving never allocate.
 * @module
 */
import type { Task } from "./task.js";

/** An intrusive FIFO queue of tasks. */
export class ReadyQueue {
  #head: Task<unknown> | undefined = undefined;
  #tail: Task<unknown> | undefined = undefined;
  #length = 0;

  /** Number of queued tasks. */
  get length(): number {
    return this.#length;
  }

  /** Sends `task` to the back of the queue. */
  push(task: Task<unknown>): void {
    task.nextReady = undefined;
    if (this.#tail === undefined) this.#head = task;
    else this.#tail.nextReady = task;
    this.#tail = task;
    this.#length++;
  }

  /** Receives the task at the front, or `undefined` when empty. */
  shift(): Task<unknown> | undefined {
    const task = this.#head;
    if (task === undefined) return undefined;
    this.#head = task.nextReady;
    if (this.#head === undefined) this.#tail = undefined;
    task.nextReady = undefined;
    this.#length--;
    return task;
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
