/**
 * Helpers for the stream tests: a hand-driven stream and a hand-driven future per item that
 * record what happened to them.
 */
import { Context, Future, Poll, Stream, type Waker } from "../../../src/index.js";
import { countingWaker } from "../helpers.js";

export { countingWaker };

/** A stream whose items are pushed by hand; `end()` finishes it, `fail(e)` makes it throw. */
export class HandStream<T> extends Stream<T> {
  readonly items: T[] = [];
  ended = false;
  error: unknown = undefined;
  drops = 0;
  pulls = 0;
  waker: Waker | undefined = undefined;

  push(...values: T[]): void {
    this.items.push(...values);
    this.waker?.wake();
  }

  end(): void {
    this.ended = true;
    this.waker?.wake();
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    if (this.drops > 0) throw new Error("HandStream polled after drop");
    if (this.error !== undefined) throw this.error;
    if (this.items.length > 0) {
      this.pulls++;
      return Poll.ready({ done: false, value: this.items.shift() as T });
    }
    if (this.ended) return Poll.ready({ done: true, value: undefined });
    this.waker = cx.waker;
    return Poll.pending;
  }

  override drop(): void {
    this.drops++;
  }
}

/** A future completed by hand, that counts polls and drops (`log` records start/end). */
export class Job<T> extends Future<T> {
  static log: string[] = [];
  started = false;
  drops = 0;
  finished = false;
  waker: Waker | undefined = undefined;
  #outcome: { ok: boolean; value: unknown } | undefined = undefined;

  constructor(readonly name: string) {
    super();
  }

  resolve(value: T): void {
    this.#outcome = { ok: true, value };
    this.waker?.wake();
  }

  reject(error: unknown): void {
    this.#outcome = { ok: false, value: error };
    this.waker?.wake();
  }

  poll(cx: Context): Poll<T> {
    if (this.finished || this.drops > 0) throw new Error(`${this.name} polled after end`);
    this.started = true;
    const o = this.#outcome;
    if (o === undefined) {
      this.waker = cx.waker;
      return Poll.pending;
    }
    this.finished = true;
    if (!o.ok) throw o.value;
    return Poll.ready(o.value as T);
  }

  override drop(): void {
    this.drops++;
  }
}

/** A context with a fresh counting waker. */
export function counting(): { cx: Context; waker: ReturnType<typeof countingWaker> } {
  const waker = countingWaker();
  return { cx: Context.from(waker), waker };
}
