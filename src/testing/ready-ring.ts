/**
 * The simulation executor's ready list: a ring buffer of tasks in the order they became ready,
 * from which any index can be taken (index 0 = the task that has waited longest).
 *
 * Invariants:
 * - Slots `[head, head + count)` (mod capacity) hold the ready tasks in arrival order; every
 *   other slot is `undefined`, so finished tasks are not kept alive.
 * - Capacity is a power of two and only grows; pushing and taking allocate nothing.
 * - `take(i)` keeps the order of the others (it shifts the `i` older tasks by one slot), so it
 *   costs O(i): O(1) for FIFO.
 * @module
 */
import type { ScheduledTask } from "../executor/owned-tasks.js";

/** @internal What a strategy may read: the ready tasks, oldest first. */
export interface ReadyTasks {
  /** Number of ready tasks. */
  readonly count: number;
  /** The `i`-th ready task, oldest first (`0 <= i < count`). */
  at(i: number): ScheduledTask;
}

/** @internal */
export class ReadyRing implements ReadyTasks {
  #slots: (ScheduledTask | undefined)[] = new Array(16).fill(undefined);
  #mask = 15;
  #head = 0;
  count = 0;

  at(i: number): ScheduledTask {
    return this.#slots[(this.#head + i) & this.#mask] as ScheduledTask;
  }

  push(task: ScheduledTask): void {
    if (this.count > this.#mask) this.#grow();
    this.#slots[(this.#head + this.count) & this.#mask] = task;
    this.count++;
  }

  /** Removes and returns the `i`-th ready task (`0 <= i < count`). */
  take(i: number): ScheduledTask {
    const slots = this.#slots;
    const mask = this.#mask;
    const head = this.#head;
    const task = slots[(head + i) & mask] as ScheduledTask;
    for (let j = i; j > 0; j--) slots[(head + j) & mask] = slots[(head + j - 1) & mask];
    slots[head] = undefined;
    this.#head = (head + 1) & mask;
    this.count--;
    return task;
  }

  /** Forgets every ready task. */
  clear(): void {
    this.#slots.fill(undefined);
    this.#head = 0;
    this.count = 0;
  }

  #grow(): void {
    const old = this.#slots;
    const size = old.length;
    const slots: (ScheduledTask | undefined)[] = new Array(size * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) slots[i] = old[(this.#head + i) & this.#mask];
    this.#slots = slots;
    this.#mask = size * 2 - 1;
    this.#head = 0;
  }
}
