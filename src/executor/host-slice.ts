/**
 * The host time slice of an executor that shares a thread with its host's event loop (not to
 * be confused with the per-task cooperative budget of core/coop.ts).
 *
 * A *slice* is the run of polls an executor makes inside one turn of the host event loop
 * (its microtask drains included). Invariants:
 * - A slice starts at the first poll after the previous slice ended, and ends when the host
 *   reaches its next macrotask (`endSlice`, queued at the slice's start), so polls made in a
 *   chain of microtasks all count against the same slice.
 * - `spent` becomes true after `maxPolls` polls or `maxMs` milliseconds in the slice; the
 *   executor must then continue in a macrotask, letting timers and I/O run first.
 * - The clock is read at most once every 32 polls, so counting costs almost nothing.
 * @module
 */

type Macrotask = (f: () => void) => void;

/**
 * Runs `f` in a later turn of the host event loop, after pending timers and I/O callbacks:
 * `setImmediate` where it exists (Node, Bun), else a `MessageChannel`, else `setTimeout(0)`.
 */
export const macrotask: Macrotask = (() => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (f) => void setImmediate(f);
  }
  if (typeof MessageChannel === "function") {
    const queue: (() => void)[] = [];
    const channel = new MessageChannel();
    (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
    return (f) => {
      queue.push(f);
      channel.port2.postMessage(null);
    };
  }
  return (f) => void setTimeout(f, 0);
})();

const now: () => number =
  typeof performance === "object" && typeof performance.now === "function"
    ? () => performance.now()
    : () => Date.now();

/** Counts polls against the current slice of host time. */
export class HostSlice {
  readonly #maxPolls: number;
  readonly #maxMs: number;
  #inSlice = false;
  #start = 0;
  #polls = 0;
  readonly #endSlice = (): void => {
    this.#inSlice = false;
  };

  constructor(maxPolls: number, maxMs: number) {
    this.#maxPolls = maxPolls;
    this.#maxMs = maxMs;
  }

  /** Starts a slice unless one is under way in this turn of the event loop. */
  begin(): void {
    if (this.#inSlice) return;
    this.#inSlice = true;
    this.#start = now();
    this.#polls = 0;
    macrotask(this.#endSlice);
  }

  /** True when the slice under way has used its polls or its time. */
  get spent(): boolean {
    return this.#inSlice && (this.#polls >= this.#maxPolls || now() - this.#start >= this.#maxMs);
  }

  /** Counts one poll; true when the slice is spent and the executor should hand control back. */
  spend(): boolean {
    const polls = ++this.#polls;
    return ((polls & 31) === 0 || polls >= this.#maxPolls) && this.spent;
  }
}
