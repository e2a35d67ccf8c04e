/**
 * `Mutex<T>`: an async, FIFO-fair lock around a value, and its `MutexGuard`.
 *
 * Built on a one-permit {@link Semaphore}, so it inherits its fairness and cancel-safety.
 *
 * Invariants:
 * - At most one guard is live (holds the permit) at a time.
 * - The value is reached only through a live guard; a released guard throws on access.
 * @module
 */

import { construct } from "../core/construct.js";
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { Semaphore, type SemaphorePermit } from "./semaphore.js";

/** The box a mutex and its guards share. */
interface Cell<T> {
  value: T;
}

/**
 * Exclusive access to a {@link Mutex}'s value, from `lock()` or `tryLock()`. Disposable, so
 * `using guard = yield* mutex.lock()` unlocks at the end of the scope. Reading or writing
 * `value` after `release()` throws.
 *
 * @example
 * ```ts
 * using guard = yield* counter.lock();
 * guard.value += 1;
 * ```
 */
export class MutexGuard<T> implements Disposable {
  #cell: Cell<T> | undefined;
  #permit: SemaphorePermit | undefined;

  /** Made by `lock()` and `tryLock()`. */
  private constructor(cell: Cell<T>, permit: SemaphorePermit) {
    this.#cell = cell;
    this.#permit = permit;
  }

  /** The protected value. Throws once the guard is released. */
  get value(): T {
    return this.#live("get").value;
  }

  /** Replaces the protected value. Throws once the guard is released. */
  set value(next: T) {
    this.#live("set").value = next;
  }

  /** True until released. */
  get isHeld(): boolean {
    return this.#cell !== undefined;
  }

  /**
   * Unlocks the mutex (the next waiter gets it). Idempotent, so an explicit `release()` inside
   * a `using` scope is fine.
   *
   * @example
   * ```ts
   * const guard = yield* m.lock();
   * try { guard.value.push(x); } finally { guard.release(); }
   * ```
   */
  release(): void {
    const permit = this.#permit;
    this.#cell = undefined;
    this.#permit = undefined;
    permit?.release();
  }

  /** Same as {@link MutexGuard.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  #live(op: string): Cell<T> {
    const m = this.#cell;
    if (m === undefined) {
      throw new Error(`MutexGuard.value (${op}): this guard was released; lock the mutex again`);
    }
    return m;
  }
}

/**
 * An async mutual-exclusion lock around a value of type `T`. Waiters get the lock strictly in
 * the order they asked. Unlike a plain JavaScript object shared between tasks, the value can
 * be held across `yield*` points without another task seeing it half-updated.
 *
 * @example
 * ```ts
 * const balance = new Mutex(100);
 * const withdraw = asyncFn(function* (amount: number) {
 *   using guard = yield* balance.lock();
 *   const current = guard.value;
 *   yield* audit(current);        // other tasks wait here instead of racing
 *   guard.value = current - amount;
 * });
 * ```
 */
export class Mutex<T> {
  readonly #semaphore = new Semaphore(1);
  readonly #cell: Cell<T>;

  /** Wraps `value`; it is reached only through a guard from then on. */
  constructor(value: T) {
    this.#cell = { value };
  }

  /**
   * A future of the lock: a {@link MutexGuard} holding exclusive access to the value.
   *
   * Cancel safety: dropping it only loses its place in line; if the lock had just been handed
   * to it, it passes to the next waiter. The value is untouched.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * using guard = yield* mutex.lock();
   * ```
   */
  lock(): Future<MutexGuard<T>> {
    return new Lock(this.#cell, this.#semaphore.acquire(1));
  }

  /**
   * The guard if the mutex is free now and nobody waits for it; otherwise `undefined`.
   *
   * @example
   * ```ts
   * const guard = mutex.tryLock();
   * if (guard === undefined) return "busy";
   * ```
   */
  tryLock(): MutexGuard<T> | undefined {
    const permit = this.#semaphore.tryAcquire(1);
    return permit === undefined
      ? undefined
      : construct<MutexGuard<T>>(MutexGuard, this.#cell, permit);
  }

  /** True while a guard holds the lock (or a waiter is being handed it). */
  get isLocked(): boolean {
    return this.#semaphore.availablePermits === 0;
  }
}

class Lock<T> extends Future<MutexGuard<T>> {
  readonly #cell: Cell<T>;
  #acquire: Future<SemaphorePermit> | undefined;

  constructor(cell: Cell<T>, acquire: Future<SemaphorePermit>) {
    super();
    this.#cell = cell;
    this.#acquire = acquire;
  }

  poll(cx: Context): Poll<MutexGuard<T>> {
    const acquire = this.#acquire;
    if (acquire === undefined) throw new PollAfterReadyError("Mutex.lock() future");
    const p = acquire.poll(cx);
    if (p === Poll.pending) return p;
    this.#acquire = undefined;
    return {
      value: construct<MutexGuard<T>>(
        MutexGuard,
        this.#cell,
        (p as { value: SemaphorePermit }).value,
      ),
    };
  }

  override drop(): void {
    const acquire = this.#acquire;
    this.#acquire = undefined;
    acquire?.drop();
  }

  override describe(): string {
    return "Mutex.lock()";
  }
}
