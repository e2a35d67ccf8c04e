/**
 * The result of polling a future once.
 *
 * Invariants:
 * - `Poll.pending` is a single frozen constant, one per realm whatever copy of wakeful made it;
 *   returning it never allocates.
 * - A `Ready` is a plain `{ value }` record; nothing else is ever `Ready`.
 * @module
 */
import { realmShared } from "./realm.js";

/** A future that has finished with `value`. */
export interface Ready<T> {
  /** The future's output. */
  readonly value: T;
}

/** A future that has not finished; it has arranged for its waker to be woken. */
export interface Pending {
  /** Always true: tells `Pending` apart from `Ready` in logs. */
  readonly pending: true;
}

/**
 * `Ready<T> | Pending`: what `Future#poll` returns.
 *
 * @example
 * ```ts
 * const p: Poll<number> = n > 0 ? Poll.ready(n) : Poll.pending;
 * if (Poll.isReady(p)) console.log(p.value);
 * ```
 */
export type Poll<T> = Ready<T> | Pending;

// One object per realm, shared by every copy of wakeful (realm.ts): futures of one copy are
// polled by executors and combinators of another, which compare with their own `Poll.pending`.
const PENDING: Pending = /* @__PURE__ */ realmShared("wakeful.poll.pending/1", () =>
  Object.freeze({ pending: true as const }),
);

/** Constructors and type guards for {@link Poll}. */
export const Poll = {
  /**
   * The shared `Pending` constant.
   *
   * @example
   * ```ts
   * return Poll.pending;
   * ```
   */
  pending: PENDING,
  /**
   * Wraps `value` as `Ready`.
   *
   * @example
   * ```ts
   * return Poll.ready(42);
   * ```
   */
  ready<T>(value: T): Ready<T> {
    return { value };
  },
  /**
   * True when `p` is `Ready`.
   *
   * @example
   * ```ts
   * if (Poll.isReady(p)) use(p.value);
   * ```
   */
  isReady<T>(p: Poll<T>): p is Ready<T> {
    return p !== PENDING;
  },
  /**
   * True when `p` is `Pending`.
   *
   * @example
   * ```ts
   * if (Poll.isPending(p)) return p;
   * ```
   */
  isPending<T>(p: Poll<T>): p is Pending {
    return p === PENDING;
  },
} as const;

/** @internal The shared `Ready(undefined)` of every future whose value is `void`. */
export const READY_VOID: Ready<void> = /* @__PURE__ */ Object.freeze({ value: undefined });
