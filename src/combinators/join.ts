/**
 * `join(a, b, …)`: a fixed set of futures run concurrently, their values as a typed tuple. It
 * is `joinAll` (join-all.ts) with tuple types, so it has the same per-child wakers, fail-fast
 * rule and drop behaviour.
 * @module
 */
import type { Future } from "../core/future.js";
import { assertOwnableList } from "../core/ownership.js";
import { JoinAll } from "./join-all.js";

/**
 * The value type of a future: `FutureValue<Future<number>>` is `number`.
 *
 * @example
 * ```ts
 * type User = FutureValue<ReturnType<typeof fetchUser>>;
 * ```
 */
export type FutureValue<F> = F extends Future<infer V> ? V : never;

/**
 * The tuple of values `join` gives for a tuple of futures.
 *
 * @example
 * ```ts
 * type Both = JoinValues<[Future<Config>, Future<Db>]>; // [Config, Db]
 * ```
 */
export type JoinValues<T extends readonly Future<unknown>[]> = {
  -readonly [K in keyof T]: FutureValue<T[K]>;
};

const label = (i: number): string => `join(futures[${i}])`;

/**
 * Runs `futures` concurrently inside the current task and gives their values as a tuple, typed
 * element by element. Only the children that were woken are polled again.
 *
 * Fails fast: the first child that throws makes every other unfinished child be dropped (their
 * `finally` blocks run, their timers are cancelled) before its error is rethrown.
 *
 * Each future runs under one owner: passing the same future twice (checked at the call for up
 * to 16 futures), or an async block a task already runs (it was given to `spawn` or `run`),
 * throws a `TypeError` at once.
 *
 * Cancel safety: dropping the join drops every unfinished child; values of children that
 * already finished are lost. It is exactly as safe as its least safe child.
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   // both start at once: about 1 s in total, not 2 s
 *   const [config, db] = yield* join(loadConfig(), connectDb());
 *   return serve(config, db);
 * });
 * ```
 */
export function join<const T extends readonly Future<unknown>[]>(
  ...futures: T
): Future<JoinValues<T>> {
  const checked = assertOwnableList(futures, label);
  return new JoinAll<unknown>(futures, "join", checked ? undefined : label) as unknown as Future<
    JoinValues<T>
  >;
}
