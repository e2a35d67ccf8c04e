// Shared helpers for the blocking tests: gates over SharedArrayBuffers (no sleeps) and a way
// to poll a future by hand.
import { Context } from "../../src/core/context.js";
import type { Future } from "../../src/core/future.js";
import type { Poll } from "../../src/core/poll.js";
import { Waker } from "../../src/core/waker.js";

/** The pool's task module for these tests. */
export const TASKS = new URL("../fixtures/blocking-tasks.ts", import.meta.url);

/** `n` slots, all 0, shareable with workers. */
export function gate(n = 1): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

/** Resolves once `g[i]` is no longer `from` (a worker marked it), without blocking the loop. */
export async function changed(g: Int32Array, i: number, from = 0): Promise<void> {
  // Atomics.waitAsync (Node >= 16) is not in the ES2022 lib the project type-checks against.
  const waitAsync = (
    Atomics as unknown as {
      waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<unknown> };
    }
  ).waitAsync;
  while (Atomics.load(g, i) === from) {
    const r = waitAsync(g, i, from);
    if (r.async) await r.value;
  }
}

/** Lets a `hold` job at `g[i]` return. */
export function release(g: Int32Array, i: number): void {
  Atomics.store(g, i, 2);
  Atomics.notify(g, i);
}

/** A waker that counts its wakes; `woken` resolves at the next wake. */
export class CountingWaker {
  wakes = 0;
  #next: (() => void) | undefined;
  readonly waker = Waker.from({
    wake: () => {
      this.wakes++;
      const next = this.#next;
      this.#next = undefined;
      next?.();
    },
  });
  readonly cx = Context.from(this.waker);
  woken(): Promise<void> {
    return new Promise((resolve) => {
      this.#next = resolve;
    });
  }
}

/** Polls `fut` by hand until it is ready; returns its value (or throws its error). */
export async function settle<T>(fut: Future<T>, w = new CountingWaker()): Promise<T> {
  for (;;) {
    const woken = w.woken();
    const p: Poll<T> = fut.poll(w.cx);
    if (p !== undefined && typeof p === "object" && "value" in p) return p.value;
    await woken;
  }
}
