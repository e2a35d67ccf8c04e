/**
 * Outside calls under the simulation: what `sim.external(fn)` wraps. Each call of the wrapped
 * function runs `fn` at once, but the result reaches the caller only when the simulation
 * *delivers* it, and when to deliver is one of its scheduling decisions (fast-check's
 * `scheduleFunction`, on virtual time).
 *
 * Invariants:
 * - A call is *pending* from the moment it is made until it is delivered or withdrawn; the
 *   pending calls are kept in call order (index 0 = the oldest), and each has a choice id
 *   (`id`, negative, so it never equals a task's id) that stays the same from run to run of
 *   the same program.
 * - `fn` runs synchronously at call time, in the caller's poll; what it settles with is kept,
 *   never handed to the caller before delivery. A delivery settles the caller's promise with
 *   exactly that outcome, once.
 * - An `AbortSignal` among the arguments that aborts withdraws the call: it is no longer a
 *   choice, and the caller's promise settles as `fn`'s does, whenever that is.
 * - After the simulation ended, the wrapped function is a plain pass-through to `fn`.
 * @module
 */

const FN_PENDING = 0;
const FN_FULFILLED = 1;
const FN_REJECTED = 2;

/** @internal One call of a function wrapped by `sim.external`. */
export class ExternalCall {
  /** The choice id: `-1` for the first call of a simulation, `-2` for the second… */
  readonly id: number;
  /** `name(args)`, for traces and reports. */
  readonly label: string;
  /** The id of the task that made the call (0: outside any task). */
  readonly caller: number;
  #fn = FN_PENDING;
  #result: unknown = undefined;
  #resolve: ((value: unknown) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;
  /** Set once delivered or withdrawn: the outcome then goes straight to the caller. */
  #released = false;
  /** Called when `fn`'s outcome arrives (the simulation waits for it). */
  onSettled: (() => void) | undefined = undefined;

  constructor(id: number, label: string, caller: number) {
    this.id = id;
    this.label = label;
    this.caller = caller;
  }

  /** The promise the caller gets. */
  promise(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** True once `fn`'s promise has settled. */
  get isSettled(): boolean {
    return this.#fn !== FN_PENDING;
  }

  /** `fn`'s outcome arrived. */
  settle(fulfilled: boolean, result: unknown): void {
    if (this.#fn !== FN_PENDING) return;
    this.#fn = fulfilled ? FN_FULFILLED : FN_REJECTED;
    this.#result = result;
    if (this.#released) this.#forward();
    const onSettled = this.onSettled;
    this.onSettled = undefined;
    onSettled?.();
  }

  /** Hands `fn`'s outcome to the caller now if it has arrived, else as soon as it does. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#fn !== FN_PENDING) this.#forward();
  }

  #forward(): void {
    const result = this.#result;
    this.#result = undefined;
    if (this.#fn === FN_FULFILLED) this.#resolve?.(result);
    else this.#reject?.(result);
    this.#resolve = undefined;
    this.#reject = undefined;
  }
}

/** @internal The pending calls of one simulation. */
export class ExternalCalls {
  readonly #pending: ExternalCall[] = [];
  #made = 0;

  /** How many calls wait to be delivered. */
  get count(): number {
    return this.#pending.length;
  }

  /** The `i`-th pending call, oldest first. */
  at(i: number): ExternalCall {
    return this.#pending[i] as ExternalCall;
  }

  /** Removes and returns the `i`-th pending call. */
  take(i: number): ExternalCall {
    return this.#pending.splice(i, 1)[0] as ExternalCall;
  }

  /**
   * `fn` wrapped: see the module invariants. `caller()` names the task polling right now;
   * `ended()` tells whether the simulation is over.
   */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => PromiseLike<R> | R,
    name: string,
    caller: () => number,
    ended: () => boolean,
  ): (...args: A) => Promise<R> {
    const calls = this;
    return function external(this: unknown, ...args: A): Promise<R> {
      if (ended()) return new Promise<R>((resolve) => resolve(fn.apply(this, args)));
      const call = new ExternalCall(-++calls.#made, `${name}(${describeArgs(args)})`, caller());
      const promise = call.promise() as Promise<R>;
      calls.#pending.push(call);
      for (const arg of args) if (isAbortSignal(arg)) calls.#watch(call, arg);
      let produced: PromiseLike<R> | R;
      try {
        produced = fn.apply(this, args);
      } catch (error) {
        call.settle(false, error);
        return promise;
      }
      Promise.resolve(produced).then(
        (value) => call.settle(true, value),
        (error: unknown) => call.settle(false, error),
      );
      return promise;
    };
  }

  #watch(call: ExternalCall, signal: AbortSignal): void {
    const withdraw = (): void => {
      const i = this.#pending.indexOf(call);
      if (i >= 0) this.#pending.splice(i, 1);
      call.release();
    };
    if (signal.aborted) withdraw();
    else signal.addEventListener("abort", withdraw, { once: true });
  }
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof AbortSignal === "function" && value instanceof AbortSignal;
}

/** Short, deterministic text for a call's arguments (strings quoted, objects by kind). */
function describeArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === "string") return JSON.stringify(a.length > 24 ? `${a.slice(0, 21)}...` : a);
      if (typeof a === "number" || typeof a === "boolean" || typeof a === "bigint") {
        return String(a);
      }
      if (a === null || a === undefined) return String(a);
      if (isAbortSignal(a)) return "signal";
      return Array.isArray(a) ? "[…]" : typeof a === "function" ? "fn" : "{…}";
    })
    .join(", ");
}
