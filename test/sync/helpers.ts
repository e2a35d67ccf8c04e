/** Small hand-polling helpers for the sync tests. */
import { Context } from "../../src/core/context.js";
import type { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import type { Waker } from "../../src/core/waker.js";

/** A waker that counts its wakes. */
export class CountingWaker implements Waker {
  count = 0;
  wake(): void {
    this.count++;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

/** A future polled by hand with its own counting waker. */
export class Probe<T> {
  readonly waker = new CountingWaker();
  readonly cx = new Context(this.waker);
  done = false;
  value: T | undefined = undefined;
  error: unknown = undefined;

  constructor(readonly future: Future<T>) {}

  /** Polls once; returns true when it completed (with a value or an error). */
  poll(): boolean {
    if (this.done) throw new Error("probe already done");
    try {
      const p = this.future.poll(this.cx);
      if (p === Poll.pending) return false;
      this.value = (p as { value: T }).value;
    } catch (e) {
      this.error = e;
    }
    this.done = true;
    return true;
  }

  get woken(): number {
    return this.waker.count;
  }

  drop(): void {
    this.future.drop();
  }
}

export function probe<T>(future: Future<T>): Probe<T> {
  return new Probe(future);
}
