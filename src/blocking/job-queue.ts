/**
 * The pool's queue of jobs waiting for a thread: an intrusive doubly linked list threaded
 * through the jobs themselves, so enqueue, dequeue and removing a dropped job are O(1) and
 * allocate nothing.
 *
 * Invariant: a job is in at most one queue; `prev`/`next` are `undefined` when it is in none.
 * @module
 */

/** The links a queued job carries. */
export interface QueueLinks<T> {
  prev: T | undefined;
  next: T | undefined;
  queued: boolean;
}

/** A FIFO of jobs with O(1) removal. */
export class JobQueue<T extends QueueLinks<T>> {
  #head: T | undefined = undefined;
  #tail: T | undefined = undefined;
  #size = 0;

  /** How many jobs are queued. */
  get size(): number {
    return this.#size;
  }

  /** The oldest job, without removing it. */
  peek(): T | undefined {
    return this.#head;
  }

  /** Appends `job` (a new submission). */
  push(job: T): void {
    job.prev = this.#tail;
    job.next = undefined;
    if (this.#tail === undefined) this.#head = job;
    else this.#tail.next = job;
    this.#tail = job;
    job.queued = true;
    this.#size++;
  }

  /** Puts `job` first (a job handed back by a worker that died before starting it). */
  unshift(job: T): void {
    job.next = this.#head;
    job.prev = undefined;
    if (this.#head === undefined) this.#tail = job;
    else this.#head.prev = job;
    this.#head = job;
    job.queued = true;
    this.#size++;
  }

  /** Removes and returns the oldest job. */
  shift(): T | undefined {
    const job = this.#head;
    if (job !== undefined) this.remove(job);
    return job;
  }

  /** Removes `job` if it is queued here. */
  remove(job: T): void {
    if (!job.queued) return;
    if (job.prev === undefined) this.#head = job.next;
    else job.prev.next = job.next;
    if (job.next === undefined) this.#tail = job.prev;
    else job.next.prev = job.prev;
    job.prev = undefined;
    job.next = undefined;
    job.queued = false;
    this.#size--;
  }
}
