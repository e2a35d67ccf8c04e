/**
 * Issue 10 item 6: every leaf future that completes without waiting spends the task's
 * cooperative budget (core/coop.ts), so a loop whose awaits are all ready yields to its
 * siblings every TASK_BUDGET completions; `try*` methods never spend it; and a completion
 * refused for lack of budget takes nothing (cancel safety holds inside `select`).
 *
 * Each case steps a manual LocalExecutor by hand: one poll of the looping task, then the
 * sibling must run before the loop is done.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { select } from "../../src/combinators/select.js";
import { future } from "../../src/core/async-block.js";
import { TASK_BUDGET } from "../../src/core/coop.js";
import type { Future } from "../../src/core/future.js";
import { JoinSet } from "../../src/executor/join-set.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { broadcast } from "../../src/sync/broadcast.js";
import { CancellationToken } from "../../src/sync/cancellation-token.js";
import { channel, unboundedChannel } from "../../src/sync/mpsc.js";
import { Mutex } from "../../src/sync/mutex.js";
import { Notify } from "../../src/sync/notify.js";
import { oneshot } from "../../src/sync/oneshot.js";
import { Semaphore } from "../../src/sync/semaphore.js";
import { watch } from "../../src/sync/watch.js";
import { ManualClock } from "../../src/time/clock.js";
import { interval } from "../../src/time/interval.js";
import { sleep } from "../../src/time/sleep.js";

const N = 3 * TASK_BUDGET + 7;

/**
 * Runs `step` N times in one task beside a sibling, one executor poll at a time, and returns
 * how many loop steps had completed when the sibling first ran.
 */
function stepsBeforeSibling(
  step: (i: number) => Future<unknown>,
  ex = new LocalExecutor({ manual: true }),
) {
  let done = 0;
  let seenBySibling = -1;
  const loop = ex.spawn(
    future(function* () {
      for (let i = 0; i < N; i++) {
        yield* step(i);
        done++;
      }
    }),
  );
  ex.spawn(
    future(function* () {
      seenBySibling = done;
    }),
  );
  ex.runUntilStalled();
  expect(loop.isFinished).toBe(true);
  expect(done).toBe(N);
  return seenBySibling;
}

describe("every ready leaf spends the cooperative budget", () => {
  const cases: [string, () => (i: number) => Future<unknown>][] = [
    [
      "recv() with buffered messages (unbounded)",
      () => {
        const [tx, rx] = unboundedChannel<number>();
        for (let i = 0; i < N; i++) tx.send(i);
        return () => rx.recv();
      },
    ],
    [
      "recv() with buffered messages (bounded)",
      () => {
        const [tx, rx] = channel<number>(N);
        for (let i = 0; i < N; i++) expect(tx.trySend(i)).toBe(true);
        return () => rx.recv();
      },
    ],
    [
      "recv() on a finished channel",
      () => {
        const [tx, rx] = unboundedChannel<number>();
        tx.close();
        return () => rx.recv();
      },
    ],
    [
      "send() into free capacity",
      () => {
        const [tx] = channel<number>(N);
        return (i) => tx.send(i);
      },
    ],
    [
      "reserve() of free capacity",
      () => {
        const [tx] = channel<number>(N);
        return () => tx.reserve();
      },
    ],
    [
      "acquire() with free permits",
      () => {
        const sem = new Semaphore(1);
        return () =>
          future(function* () {
            (yield* sem.acquire()).release();
          });
      },
    ],
    [
      "lock() of a free Mutex",
      () => {
        const mutex = new Mutex(0);
        return () =>
          future(function* () {
            using guard = yield* mutex.lock();
            guard.value++;
          });
      },
    ],
    [
      "notified() with a stored permit",
      () => {
        const notify = new Notify();
        return () =>
          future(function* () {
            notify.notifyOne();
            yield* notify.notified();
          });
      },
    ],
    [
      "a oneshot receiver whose value was sent",
      () => () => {
        const [tx, rx] = oneshot<number>();
        tx.send(1);
        return rx;
      },
    ],
    [
      "a broadcast recv() with messages behind",
      () => {
        const [tx, rx] = broadcast<number>(N);
        for (let i = 0; i < N; i++) tx.send(i);
        return () => rx.recv();
      },
    ],
    [
      "a watch changed() with a new version",
      () => {
        const [tx, rx] = watch(0);
        return (i) =>
          future(function* () {
            tx.send(i + 1);
            yield* rx.changed();
          });
      },
    ],
    ["sleep(0)", () => () => sleep(0)],
    [
      "cancelled() of a cancelled token",
      () => {
        const token = new CancellationToken();
        token.cancel();
        return () => token.cancelled();
      },
    ],
    [
      "joinNext() on an empty JoinSet",
      () => {
        const set = new JoinSet<number>();
        return () => set.joinNext();
      },
    ],
  ];

  for (const [name, make] of cases) {
    it(`${name}: the sibling runs after at most ${TASK_BUDGET} completions`, () => {
      const seen = stepsBeforeSibling(make());
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThanOrEqual(TASK_BUDGET);
    });
  }

  it("due interval ticks (burst after a stall) spend it too", () => {
    const clock = new ManualClock();
    const ex = new LocalExecutor({ manual: true, clock: clock });
    const ticker = interval(1);
    const seen = stepsBeforeSibling(
      (i) =>
        i > 0
          ? ticker.tick()
          : future(function* () {
              yield* ticker.tick(); // the first tick, at 0
              clock.advance(N); // then a stall: N more ticks are due at once
            }),
      ex,
    );
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(TASK_BUDGET);
  });

  it("joinNext() of finished tasks spends it too", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    for (let i = 0; i < N; i++)
      set.spawn(
        future(function* () {
          return i;
        }),
      );
    ex.runUntilStalled();
    expect(stepsBeforeSibling(() => set.joinNext(), ex)).toBeLessThanOrEqual(TASK_BUDGET);
  });
});

describe("a select loop over ready branches cannot hold the thread", () => {
  it("for (;;) select(set.joinNext(), rx.recv()) over an empty set lets a sibling run", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = unboundedChannel<number>();
    let iterations = 0;
    let siblingRan = false;
    ex.spawn(
      future(function* () {
        const set = new JoinSet<number>();
        // Before the fix this loop spun inside one poll for ever (3,000,000 iterations in the
        // issue), because an empty set's joinNext() is ready at once on every turn.
        while (!siblingRan) {
          yield* select(set.joinNext(), rx.recv());
          iterations++;
        }
      }),
    );
    ex.spawn(
      future(function* () {
        siblingRan = true;
      }),
    );
    expect(ex.tryRunOne()).toBe(true); // the loop: it must give up the thread by itself
    expect(iterations).toBeLessThanOrEqual(TASK_BUDGET);
    ex.runUntilStalled();
    expect(siblingRan).toBe(true);
    tx.close();
  });

  it("a consumer draining 100,000 buffered messages lets its siblings run every 128", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = unboundedChannel<number>();
    const total = 100_000;
    for (let i = 0; i < total; i++) tx.send(i);
    tx.close();
    let received = 0;
    const siblingSaw: number[] = [];
    ex.spawn(
      future(function* () {
        for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) received++;
      }),
    );
    ex.spawn(
      future(function* () {
        while (received < total) {
          siblingSaw.push(received);
          yield* sleep(0); // itself budgeted: one turn per executor pass at most
        }
      }),
    );
    ex.runUntilStalled();
    expect(received).toBe(total);
    expect(siblingSaw[0]).toBeLessThanOrEqual(TASK_BUDGET);
    expect(siblingSaw.length).toBeGreaterThan(total / (2 * TASK_BUDGET));
  });

  it("try* methods never spend it", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = unboundedChannel<number>();
    const sem = new Semaphore(N);
    let done = false;
    ex.spawn(
      future(function* () {
        for (let i = 0; i < 10 * TASK_BUDGET; i++) {
          tx.send(i);
          expect(rx.tryRecv()).toBe(i);
          const permit = sem.tryAcquire();
          expect(permit).not.toBeUndefined();
          permit?.release();
        }
        done = true;
      }),
    );
    expect(ex.tryRunOne()).toBe(true);
    expect(done).toBe(true); // all in one poll
  });
});

describe("a completion refused for lack of budget takes nothing", () => {
  test.prop(
    {
      messages: fc.integer({ min: 1, max: 3 * TASK_BUDGET }),
      spent: fc.integer({ min: 0, max: TASK_BUDGET + 5 }),
      seed: fc.integer(),
    },
    { numRuns: 60, seed: 7 },
  )(
    "recv(), acquire() and notified() raced in select after spending the budget lose nothing",
    ({ messages, spent, seed }) => {
      const ex = new LocalExecutor({ manual: true });
      const [tx, rx] = unboundedChannel<number>();
      for (let i = 0; i < messages; i++) tx.send(i);
      tx.close();
      const sem = new Semaphore(2);
      const notify = new Notify();
      notify.notifyOne();
      const got: number[] = [];
      let notifyCalls = 1;
      let notifications = 0;
      let rng = seed;
      ex.spawn(
        future(function* () {
          const warm = new JoinSet<number>();
          for (let i = 0; i < spent; i++) yield* warm.joinNext(); // spend part of the budget
          for (;;) {
            rng = (rng * 1103515245 + 12345) | 0;
            const r = yield* select(rx.recv(), sem.acquire(), notify.notified());
            if (r.index === 0) {
              const m = r.value as IteratorResult<number>;
              if (m.done) break;
              got.push(m.value);
            } else if (r.index === 1) {
              (r.value as { release(): void }).release();
            } else {
              notifications++;
              if (rng & 1) {
                notify.notifyOne();
                notifyCalls++;
              }
            }
          }
        }),
      );
      ex.runUntilStalled();
      expect(got).toEqual(Array.from({ length: messages }, (_, i) => i));
      expect(sem.availablePermits).toBe(2);
      // Every notifyOne() was consumed once or is still stored as the one permit.
      const stored = ex.spawn(notify.notified());
      ex.runUntilStalled();
      expect(notifications + (stored.isFinished ? 1 : 0)).toBe(notifyCalls);
    },
  );
});
