/**
 * The ready queue: the channel through which wakers send tasks to the executor.
 *
 * Invariants:
 * - FIFO: tasks are polled in the order they were woken.
 * - A task is in the queue at most once (the task's state machine guarantees it).
 * - A linked list of fixed-size chunks: `#tail[#tailIndex]` is the next slot to send into,
 *   `#head[#headIndex]` the next to receive from; a received slot is cleared at once, so the
 *   queue never keeps a finished task alive. A burst (a million tasks spawned at once) adds
 *   chunks and never copies what is queued; a drained chunk is kept as the one spare, so a
 *   queue that stays short allocates nothing, and the rest go to the GC as they drain.
 * - When the queue empties, both indices go back to the start of the one remaining chunk.
 * @module
 */
import type { ScheduledTask } from "./owned-tasks.js";

/** Slots per chunk: big enough that chunk changes are rare, small enough for an idle executor. */
const CHUNK = 256;

class Chunk {
  readonly slots: (ScheduledTask | undefined)[] = new Array(CHUNK).fill(undefined);
  next: Chunk | undefined = undefined;
}

/** A FIFO queue of tasks. */
export class ReadyQueue {
  #head = new Chunk();
  #headIndex = 0;
  #tail = this.#head;
  #tailIndex = 0;
  #spare: Chunk | undefined = undefined;
  #length = 0;

  /** Number of queued tasks. */
  get length(): number {
    return this.#length;
  }

  /** Sends `task` to the back of the queue. */
  push(task: ScheduledTask): void {
    let tail = this.#tail;
    if (this.#tailIndex === CHUNK) {
      const chunk = this.#spare ?? new Chunk();
      this.#spare = undefined;
      tail.next = chunk;
      this.#tail = tail = chunk;
      this.#tailIndex = 0;
    }
    tail.slots[this.#tailIndex++] = task;
    this.#length++;
  }

  /** Receives the task at the front, or `undefined` when empty. */
  shift(): ScheduledTask | undefined {
    if (this.#length === 0) return undefined;
    let head = this.#head;
    if (this.#headIndex === CHUNK) {
      // The head chunk is drained; a non-empty queue always has a next one.
      const next = head.next as Chunk;
      head.next = undefined;
      this.#spare = head;
      this.#head = head = next;
      this.#headIndex = 0;
    }
    const index = this.#headIndex;
    const task = head.slots[index];
    head.slots[index] = undefined;
    if (--this.#length === 0) {
      // Empty: head and tail are the same chunk (a new tail chunk is never left empty).
      this.#headIndex = 0;
      this.#tailIndex = 0;
    } else {
      this.#headIndex = index + 1;
    }
    return task;
  }
}
