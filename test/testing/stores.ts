/**
 * Key-value stores for the linearizability tests, the docs and the bench: a cache-aside store
 * (read the cache, else the database and fill the cache; write the database, then invalidate
 * the cache) in a racy version and one with a Mutex around each operation; and the sequential
 * model both must follow.
 */
import { future } from "../../src/core/async-block.js";
import type { Future } from "../../src/core/future.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Mutex } from "../../src/sync/mutex.js";
import type { LinearizabilityModel } from "../../src/testing/linear-model.js";

export interface Store {
  get(key: string): Future<number | undefined>;
  put(key: string, value: number): Future<void>;
}

/** A database round trip: a scheduling point. */
const roundTrip = () => yieldNow();

/** Cache-aside without coordination: a read that fills the cache can put back a stale value. */
export class RacyCacheAside implements Store {
  readonly db = new Map<string, number>();
  readonly cache = new Map<string, number>();

  get(key: string): Future<number | undefined> {
    const { cache, db } = this;
    return future(function* () {
      if (cache.has(key)) return cache.get(key);
      const value = db.get(key);
      yield* roundTrip();
      if (value !== undefined) cache.set(key, value); // may be stale by now
      return value;
    });
  }

  put(key: string, value: number): Future<void> {
    const { cache, db } = this;
    return future(function* () {
      yield* roundTrip();
      db.set(key, value);
      cache.delete(key);
    });
  }
}

/** The same store with every operation under one Mutex. */
export class LockedCacheAside implements Store {
  readonly #inner = new RacyCacheAside();
  readonly #lock = new Mutex(undefined);

  get(key: string): Future<number | undefined> {
    const inner = this.#inner;
    const lock = this.#lock;
    return future(function* () {
      using _guard = yield* lock.lock();
      return yield* inner.get(key);
    });
  }

  put(key: string, value: number): Future<void> {
    const inner = this.#inner;
    const lock = this.#lock;
    return future(function* () {
      using _guard = yield* lock.lock();
      yield* inner.put(key, value);
    });
  }
}

/** A map of keys to values, checked key by key. */
export const kvModel: LinearizabilityModel<ReadonlyMap<string, number>> = {
  init: () => new Map(),
  step(state, op) {
    const [key, value] = op.input as [string, number];
    if (op.name === "put") return new Map(state).set(key, value);
    if (!op.returned || op.output === state.get(key)) return state;
    return undefined;
  },
  partition: (op) => (op.input as [string])[0],
};
