/**
 * Property tests for Semaphore and Mutex under random schedules with random cancellations.
 *
 * Each actor loops: start an acquire (or lock), wait until woken, poll, hold for a while,
 * release. Random steps poll, drop the pending acquire (a cancellation), or release.
 * Properties: never more holders than permits (one for a mutex); waiters are granted in the
 * order they started waiting, whatever is dropped; no lost wake-ups (permits are never free
 * while someone waits); dropped waiters leak no permits.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Context } from "../../src/core/context.js";
import type { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { Waker } from "../../src/core/waker.js";
import { Mutex, type MutexGuard } from "../../src/sync/mutex.js";
import { Semaphore, type SemaphorePermit } from "../../src/sync/semaphore.js";
import { countingWaker } from "../../src/testing/wakers.js";

interface Actor {
  need: number;
  pending: Future<unknown> | undefined;
  woken: boolean;
  waitingSince: number; // enqueue order, or -1 when not waiting
  held: { release(): void; n: number } | undefined;
  cx: Context;
}

const step = fc.record({
  actor: fc.nat({ max: 7 }),
  action: fc.constantFrom("poll", "poll", "poll", "drop", "release"),
});

/** Drives `actors` against `acquire`; checks the properties; returns the number of grants. */
function simulate(
  permits: number,
  needs: number[],
  steps: { actor: number; action: string }[],
  acquire: (n: number) => Future<unknown>,
  asHeld: (value: unknown, n: number) => { release(): void; n: number },
  available: () => number,
): number {
  let seq = 0;
  let grants = 0;
  const actors: Actor[] = needs.map((need) => {
    const a: Actor = {
      need,
      pending: undefined,
      woken: false,
      waitingSince: -1,
      held: undefined,
      cx: undefined as unknown as Context,
    };
    a.cx = Context.from(
      Waker.from({
        wake: () => {
          // FIFO: nobody who started waiting earlier is still waiting un-woken.
          for (const b of actors) {
            if (b !== a && b.waitingSince >= 0 && !b.woken && b.waitingSince < a.waitingSince) {
              throw new Error(`actor woken out of order: ${b.waitingSince} < ${a.waitingSince}`);
            }
          }
          a.woken = true;
        },
      }),
    );
    return a;
  });
  const holders = () => actors.reduce((s, a) => s + (a.held?.n ?? 0), 0);
  const poll = (a: Actor): void => {
    if (a.held !== undefined) return;
    if (a.pending === undefined) {
      a.pending = acquire(a.need);
      a.woken = false;
    } else if (!a.woken) return;
    a.woken = false;
    const p = a.pending.poll(a.cx);
    if (p === Poll.pending) {
      if (a.waitingSince < 0) a.waitingSince = seq++;
      return;
    }
    a.pending = undefined;
    a.waitingSince = -1;
    a.held = asHeld((p as { value: unknown }).value, a.need);
    grants++;
  };
  const check = (): void => {
    expect(holders()).toBeLessThanOrEqual(permits);
    expect(holders() + available()).toBeLessThanOrEqual(permits);
    const someoneWaits = actors.some((a) => a.waitingSince >= 0 && !a.woken);
    if (someoneWaits) expect(available()).toBe(0);
  };
  for (const s of steps) {
    const a = actors[s.actor % actors.length] as Actor;
    if (s.action === "drop") {
      a.pending?.drop();
      a.pending = undefined;
      a.waitingSince = -1;
      a.woken = false;
    } else if (s.action === "release") {
      a.held?.release();
      a.held = undefined;
    } else poll(a);
    check();
  }
  // Everyone lets go and the woken ones finish: every permit comes back.
  for (let progress = true; progress; ) {
    progress = false;
    for (const a of actors) {
      if (a.held !== undefined) {
        a.held.release();
        a.held = undefined;
        progress = true;
      }
      if (a.pending !== undefined && a.woken) {
        poll(a);
        progress = true;
      }
      check();
    }
  }
  for (const a of actors) expect(a.pending).toBeUndefined();
  expect(available()).toBe(permits);
  return grants;
}

describe("Semaphore under random schedules and cancellations", () => {
  it("never over-grants, grants in arrival order, leaks no permit", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((permits) =>
            fc.tuple(
              fc.constant(permits),
              fc.array(fc.integer({ min: 1, max: permits }), { minLength: 2, maxLength: 6 }),
              fc.array(step, { maxLength: 250 }),
            ),
          ),
        ([permits, needs, steps]) => {
          const sem = new Semaphore(permits);
          simulate(
            permits,
            needs,
            steps,
            (n) => sem.acquire(n),
            (v, n) => {
              const permit = v as SemaphorePermit;
              expect(permit.permits).toBe(n);
              return { release: () => permit.release(), n };
            },
            () => sem.availablePermits,
          );
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("close() wakes every waiter with AcquireError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (waiters) => {
        const sem = new Semaphore(0);
        const waker = countingWaker();
        const cx = waker.context;
        const futs = Array.from({ length: waiters }, () => sem.acquire());
        for (const f of futs) expect(f.poll(cx)).toBe(Poll.pending);
        sem.close();
        expect(waker.wakeCount).toBe(waiters);
        for (const f of futs) expect(() => f.poll(cx)).toThrow(/closed/);
      }),
      { seed: 42, numRuns: 20 },
    );
  });
});

describe("Mutex under random schedules and cancellations", () => {
  it("never has two holders; every completed critical section counts once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(step, { maxLength: 250 }),
        (actors, steps) => {
          const m = new Mutex(0);
          const grants = simulate(
            1,
            Array.from({ length: actors }, () => 1),
            steps,
            () => m.lock(),
            (v) => {
              const guard = v as MutexGuard<number>;
              guard.value += 1;
              return { release: () => guard.release(), n: 1 };
            },
            () => (m.isLocked ? 0 : 1),
          );
          expect(m.tryLock()?.value).toBe(grants);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
