/**
 * Wakers: the handle a pending future keeps so it can ask to be polled again.
 *
 * Invariants:
 * - `wake()` never throws into the caller for built-in wakers and may be called any number of
 *   times, from anywhere (another task, a timer, a promise callback, the task's own poll).
 * - `willWake(other)` is true only when waking either one has the same effect, so a future may
 *   skip replacing a stored waker it already holds.
 * @module
 */

/**
 * Anything that can be woken: the argument of {@link Waker.from} (Rust's `Wake` trait).
 *
 * @example
 * ```ts
 * const wake: Wake = { wake: () => queue.push(task) };
 * ```
 */
export interface Wake {
  /** Asks for the associated task to be polled again. */
  wake(): void;
}

/**
 * A waker: `wake()` asks the executor that owns a task to poll it again.
 *
 * Executors implement this interface directly on their task objects; everyone else builds one
 * with {@link Waker.from} or uses {@link Waker.noop}.
 *
 * @example
 * ```ts
 * const waker = Waker.from({ wake: () => console.log("poll me again") });
 * waker.wake();
 * ```
 */
export interface Waker extends Wake {
  /**
   * True when waking `other` would do the same as waking this waker.
   *
   * @example
   * ```ts
   * if (!this.waker?.willWake(cx.waker)) this.waker = cx.waker;
   * ```
   */
  willWake(other: Waker): boolean;
}

class FromWake implements Waker {
  readonly target: Wake;
  constructor(target: Wake) {
    this.target = target;
  }
  wake(): void {
    this.target.wake();
  }
  willWake(other: Waker): boolean {
    return other === this || (other instanceof FromWake && other.target === this.target);
  }
}

class NoopWaker implements Waker {
  wake(): void {}
  willWake(other: Waker): boolean {
    return other === this;
  }
}

const NOOP: Waker = /* @__PURE__ */ new NoopWaker();

/** Constructors for {@link Waker}s. */
export const Waker = {
  /**
   * Builds a waker that calls `target.wake()`: the analogue of Rust's `Waker::from(Arc<impl Wake>)`.
   * Two wakers built from the same target `willWake` each other.
   *
   * @example
   * ```ts
   * const task = { wake: () => queue.push(task) };
   * const cx = Context.from(Waker.from(task));
   * ```
   */
  from(target: Wake): Waker {
    if (target === null || typeof target !== "object" || typeof target.wake !== "function") {
      throw new TypeError("Waker.from(target): expected an object with a wake() method");
    }
    return new FromWake(target);
  },
  /**
   * A waker that does nothing, for polling a future once by hand.
   *
   * @example
   * ```ts
   * const p = fut.poll(Context.from(Waker.noop()));
   * ```
   */
  noop(): Waker {
    return NOOP;
  },
} as const;
