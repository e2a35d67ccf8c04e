/**
 * Test helpers for the combinator tests: a counting waker and a hand-driven leaf future that
 * records every poll and drop and fails loudly when the Future contract is broken.
 */
import { Context, Future, Poll, type Waker } from "../../src/index.js";

export { type CountingWaker, countingWaker } from "../../src/testing/wakers.js";

export function contextOf(waker: Waker): Context {
  return Context.from(waker);
}

/** Contract violations seen by any `Leaf` (checked by tests). */
export const violations: string[] = [];

/**
 * A leaf future completed by hand: pending (storing the latest waker) until `resolve(v)` or
 * `reject(e)` is called, which wakes it.
 */
export class Leaf<T> extends Future<T> {
  polls = 0;
  drops = 0;
  waker: Waker | undefined = undefined;
  #outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined = undefined;
  #finished = false;
  readonly name: string;
  readonly log: string[] | undefined;

  constructor(name = "leaf", log?: string[]) {
    super();
    this.name = name;
    this.log = log;
  }

  get finished(): boolean {
    return this.#finished;
  }

  poll(cx: Context): Poll<T> {
    if (this.#finished || this.drops > 0) violations.push(`${this.name} polled after end`);
    this.polls++;
    const outcome = this.#outcome;
    if (outcome === undefined) {
      this.waker = cx.waker;
      return Poll.pending;
    }
    this.#finished = true;
    if (outcome.ok) return Poll.ready(outcome.value);
    throw outcome.error;
  }

  override drop(): void {
    if (this.#finished) violations.push(`${this.name} dropped after it finished`);
    this.drops++;
    this.log?.push(`drop ${this.name}`);
  }

  resolve(value: T): void {
    this.#outcome = { ok: true, value };
    this.waker?.wake();
  }

  reject(error: unknown): void {
    this.#outcome = { ok: false, error };
    this.waker?.wake();
  }

  override describe(): string {
    return this.name;
  }
}
