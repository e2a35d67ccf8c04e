/**
 * Hand-polling for the sync tests: `Probe` is the shipped `mockTask` plus the outcome kept in
 * fields (value or error), so a test can poll, then assert on what came out.
 */
import type { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { type MockTask, mockTask } from "../../src/testing/mock-task.js";

/** A future polled by hand with its own counting waker (a {@link MockTask}). */
export class Probe<T> {
  readonly task: MockTask<T>;
  done = false;
  value: T | undefined = undefined;
  error: unknown = undefined;

  constructor(readonly future: Future<T>) {
    this.task = mockTask(future);
  }

  /** Polls once; returns true when it completed (with a value or an error). */
  poll(): boolean {
    if (this.done) throw new Error("probe already done");
    try {
      const p = this.task.poll();
      if (p === Poll.pending) return false;
      this.value = (p as { value: T }).value;
    } catch (e) {
      this.error = e;
    }
    this.done = true;
    return true;
  }

  /** How many times the future woke its task. */
  get woken(): number {
    return this.task.wakeCount;
  }

  drop(): void {
    this.task.drop();
  }
}

export function probe<T>(future: Future<T>): Probe<T> {
  return new Probe(future);
}
