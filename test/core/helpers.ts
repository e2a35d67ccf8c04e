/**
 * Test helpers shared by the core, executor and property tests: counting wakers, scripted leaf
 * futures that record how they are used, and a way to capture errors sent to the unhandled sink.
 */
import { Context } from "../../src/core/context.js";
import { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { enterExecutor, exitExecutor, RuntimeContext } from "../../src/core/runtime.js";
import { Waker } from "../../src/core/waker.js";
import { type CountingWaker, countingWaker } from "../../src/testing/wakers.js";

export { type CountingWaker, countingWaker } from "../../src/testing/wakers.js";

/** A context around a fresh counting waker. */
export function countingContext(): { cx: Context; waker: CountingWaker } {
  const waker = countingWaker();
  return { cx: waker.context, waker };
}

export const noopCx: Context = Context.from(Waker.noop());

/**
 * A leaf future controlled from the outside: it stays pending until `resolve`/`reject`, keeps
 * the latest waker, and records polls, drops and misuse (polls after Ready or after drop).
 */
export class Gate<T = void> extends Future<T> {
  polls = 0;
  drops = 0;
  violations: string[] = [];
  waker: Waker | undefined = undefined;
  #outcome: { value: T } | { error: unknown } | undefined = undefined;
  #finished = false;
  #dropped = false;
  readonly label: string;

  constructor(label = "gate") {
    super();
    this.label = label;
  }

  get isDropped(): boolean {
    return this.#dropped;
  }

  get isFinished(): boolean {
    return this.#finished;
  }

  poll(cx: Context): Poll<T> {
    if (this.#finished) this.violations.push("polled after Ready");
    if (this.#dropped) this.violations.push("polled after drop");
    this.polls++;
    const outcome = this.#outcome;
    if (outcome === undefined) {
      if (this.waker === undefined || !this.waker.willWake(cx.waker)) this.waker = cx.waker;
      return Poll.pending;
    }
    this.#finished = true;
    this.waker = undefined;
    if ("error" in outcome) throw outcome.error;
    return Poll.ready(outcome.value);
  }

  resolve(value: T): void {
    this.#outcome = { value };
    this.waker?.wake();
  }

  reject(error: unknown): void {
    this.#outcome = { error };
    this.waker?.wake();
  }

  override drop(): void {
    this.drops++;
    this.#dropped = true;
    this.waker = undefined;
  }

  override describe(): string {
    return this.label;
  }
}

/** Routes errors sent to `reportUnhandled` into an array until `restore()`. */
export function captureUnhandled(): { errors: unknown[]; restore: () => void } {
  const errors: unknown[] = [];
  const context = new RuntimeContext({}, { onUnhandled: (e) => errors.push(e) });
  const previous = enterExecutor(context);
  return { errors, restore: () => exitExecutor(previous) };
}

/** Resolves after one turn of the host event loop (after pending setImmediate callbacks). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Observes a promise's settlement without awaiting it. */
export function track<T>(p: Promise<T>): {
  readonly settled: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
  readonly rejected: boolean;
} {
  const state = {
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  p.then(
    (v) => {
      state.settled = true;
      state.value = v;
    },
    (e: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = e;
    },
  );
  return state;
}
