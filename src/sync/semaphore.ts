/**
 * `Semaphore`: a fair (FIFO) counting semaphore, and its `SemaphorePermit`.
 *
 * State (`SemaphoreState`, shared with the permits and acquire futures, never reachable from
 * user code): `permits` free, `waiters` (FIFO of acquire futures, each with `needed` and
 * `assigned`), `closed`.
 *
 * Invariants:
 * - Released permits go to the front waiter first, even partially (a waiter needing 3 collects
 *   them as they come back), so a large request is never starved by smaller ones and nobody
 *   overtakes. Hence `permits > 0` only while nobody waits.
 * - A waiter dropped while queued gives its `assigned` permits back; one dropped after being
 *   granted gives all of them back; both go to the next waiters. Nothing leaks.
 * - Every permit handed out is returned exactly once (`release`, dispose), or never (`forget`).
 * - `close()` fails every waiter and every later acquire with `AcquireError`; permits held
 *   stay valid and may still be released.
 * @module
 */
import { construct } from "../core/construct.js";
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { AcquireError, PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { IntrusiveList, type Linked } from "../core/intrusive-list.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import { checkWhole } from "./validate.js";

/**
 * Permits held from a {@link Semaphore}. Disposable: `using permit = yield* sem.acquire()`
 * releases it at the end of the scope.
 *
 * @example
 * ```ts
 * using permit = yield* sem.acquire();
 * yield* callTheApi(); // at most N of these run at once
 * ```
 */
export class SemaphorePermit implements Disposable {
  #semaphore: SemaphoreState | undefined;
  readonly #permits: number;

  /** Made by `acquire()` and `tryAcquire()`. */
  private constructor(semaphore: SemaphoreState, permits: number) {
    this.#semaphore = semaphore;
    this.#permits = permits;
  }

  /** How many permits this holds. */
  get permits(): number {
    return this.#permits;
  }

  /** True until released or forgotten. */
  get isHeld(): boolean {
    return this.#semaphore !== undefined;
  }

  /**
   * Gives the permits back to the semaphore (to the waiters first). Idempotent.
   *
   * @example
   * ```ts
   * const permit = yield* sem.acquire(2);
   * try { work(); } finally { permit.release(); }
   * ```
   */
  release(): void {
    const sem = this.#semaphore;
    if (sem === undefined) return;
    this.#semaphore = undefined;
    sem.addPermits(this.#permits);
  }

  /**
   * Drops the permits without giving them back: the semaphore has that many fewer for good.
   *
   * @example
   * ```ts
   * (yield* connections.acquire()).forget(); // one fewer connection slot from now on
   * ```
   */
  forget(): void {
    this.#semaphore = undefined;
  }

  /** Same as {@link SemaphorePermit.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/** A semaphore's state; see the module invariants. */
class SemaphoreState {
  permits: number;
  closed = false;
  readonly waiters = new IntrusiveList<Acquire>();

  constructor(permits: number) {
    this.permits = permits;
  }

  /** Adds `n` permits, serving waiters first. */
  addPermits(n: number): void {
    let left = n;
    for (let w = this.waiters.peek(); w !== undefined && left > 0; w = this.waiters.peek()) {
      const take = Math.min(left, w.needed - w.assigned);
      w.assigned += take;
      left -= take;
      if (w.assigned < w.needed) break;
      this.waiters.remove(w);
      w.wake(GRANTED);
    }
    this.permits += left;
  }

  /** True when `needed` permits can be taken at once (nobody waits ahead). */
  canGrant(needed: number): boolean {
    return this.waiters.isEmpty && this.permits >= needed;
  }

  /** Tries to take `w.needed` permits at once, else queues `w` with what is free. */
  enqueue(w: Acquire): boolean {
    if (this.waiters.isEmpty && this.permits >= w.needed) {
      this.permits -= w.needed;
      return true;
    }
    w.assigned = this.permits;
    this.permits = 0;
    this.waiters.push(w);
    return false;
  }

  /** A queued waiter was dropped. */
  leave(w: Acquire): void {
    this.waiters.remove(w);
    const back = w.assigned;
    w.assigned = 0;
    if (back > 0) this.addPermits(back);
  }

  /** A permit of `n`, handed out. */
  permit(n: number): SemaphorePermit {
    return construct(SemaphorePermit, this, n);
  }
}

/**
 * A counting semaphore with FIFO-fair waiters: limits how many tasks do something at once.
 *
 * @example
 * ```ts
 * const limit = new Semaphore(3);
 * const fetchAll = urls.map((url) => future(function* () {
 *   using _permit = yield* limit.acquire();
 *   return yield* fetchText(url); // at most 3 in flight
 * }));
 * ```
 */
export class Semaphore {
  readonly #state: SemaphoreState;

  /** `permits`: a whole number >= 0. */
  constructor(permits: number) {
    this.#state = new SemaphoreState(checkWhole(permits, 0, "new Semaphore(permits)", "permits"));
  }

  /** Permits free right now (0 while anyone waits). */
  get availablePermits(): number {
    return this.#state.permits;
  }

  /** True once {@link Semaphore.close} was called. */
  get isClosed(): boolean {
    return this.#state.closed;
  }

  /**
   * A future of `n` permits (a whole number >= 1). Waiters are served strictly in arrival
   * order. Throws `AcquireError` if the semaphore is or gets closed.
   *
   * Cancel safety: dropping it only loses its place in line. Permits already collected for it
   * (or granted but not yet taken) are handed to the next waiters, so none are lost.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * using permit = yield* sem.acquire(2);
   * ```
   */
  acquire(n = 1): Future<SemaphorePermit> {
    checkWhole(n, 1, "Semaphore.acquire(n)", "n");
    return new Acquire(this.#state, n);
  }

  /**
   * Takes `n` permits if they are free now and nobody is waiting; otherwise `undefined`.
   * Throws `AcquireError` if the semaphore is closed.
   *
   * @example
   * ```ts
   * const permit = sem.tryAcquire();
   * if (permit === undefined) return reply(429);
   * ```
   */
  tryAcquire(n = 1): SemaphorePermit | undefined {
    checkWhole(n, 1, "Semaphore.tryAcquire(n)", "n");
    const state = this.#state;
    if (state.closed) throw new AcquireError();
    if (!state.canGrant(n)) return undefined;
    state.permits -= n;
    return state.permit(n);
  }

  /**
   * Adds `n` permits (a whole number >= 0), serving waiters first.
   *
   * @example
   * ```ts
   * sem.addPermits(2); // two more may proceed
   * ```
   */
  addPermits(n: number): void {
    checkWhole(n, 0, "Semaphore.addPermits(n)", "n");
    this.#state.addPermits(n);
  }

  /**
   * Closes the semaphore: every waiting and later `acquire` throws `AcquireError`, and
   * `tryAcquire` too. Permits already held stay valid. Idempotent.
   *
   * @example
   * ```ts
   * sem.close(); // shutting down: nobody new gets in
   * ```
   */
  close(): void {
    const state = this.#state;
    if (state.closed) return;
    state.closed = true;
    for (let w = state.waiters.shift(); w !== undefined; w = state.waiters.shift()) {
      state.permits += w.assigned;
      w.assigned = 0;
      w.wake(FAILED);
    }
  }
}

const NEW = 0;
const WAITING = 1;
const GRANTED = 2;
const FAILED = 3;
const DONE = 4;

class Acquire extends Future<SemaphorePermit> implements Linked {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  assigned = 0;
  readonly needed: number;
  readonly #semaphore: SemaphoreState;
  #state = NEW;
  #waker: Waker | undefined = undefined;

  constructor(semaphore: SemaphoreState, needed: number) {
    super();
    this.#semaphore = semaphore;
    this.needed = needed;
  }

  poll(cx: Context): Poll<SemaphorePermit> {
    switch (this.#state) {
      case NEW:
        if (this.#semaphore.closed) {
          this.#state = DONE;
          throw new AcquireError();
        }
        // Out of budget, a grantable acquire waits one turn without taking anything.
        if (this.#semaphore.canGrant(this.needed) && !proceed(cx)) return Poll.pending;
        if (this.#semaphore.enqueue(this)) return this.grant();
        this.#waker = cx.waker;
        this.#state = WAITING;
        return Poll.pending;
      case WAITING:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case GRANTED:
        return proceed(cx) ? this.grant() : Poll.pending;
      case FAILED:
        this.#state = DONE;
        throw new AcquireError();
      default:
        throw new PollAfterReadyError("Semaphore.acquire() future");
    }
  }

  private grant(): Poll<SemaphorePermit> {
    this.#state = DONE;
    this.#waker = undefined;
    return { value: this.#semaphore.permit(this.needed) };
  }

  wake(state: number): void {
    this.#state = state;
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    const state = this.#state;
    this.#state = DONE;
    this.#waker = undefined;
    if (state === WAITING) this.#semaphore.leave(this);
    else if (state === GRANTED) this.#semaphore.addPermits(this.needed);
  }

  override describe(): string {
    return `Semaphore.acquire(${this.needed})`;
  }
}
