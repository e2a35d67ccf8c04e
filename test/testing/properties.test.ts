/**
 * The library's own concurrency invariants, checked under SimExecutor: every property runs
 * over random task programs and random schedules (seeded strategies, or `schedules(fc)`), so a
 * failure prints a schedule that replays it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { select } from "../../src/combinators/select.js";
import { future } from "../../src/core/async-block.js";
import type { Future } from "../../src/core/future.js";
import { JoinSet } from "../../src/executor/join-set.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { channel } from "../../src/sync/mpsc.js";
import { Notify } from "../../src/sync/notify.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { Instant } from "../../src/time/instant.js";
import { sleep } from "../../src/time/sleep.js";

type Op = { kind: "yield" } | { kind: "sleep"; ms: number } | { kind: "select"; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: "yield" }),
  fc.nat({ max: 20 }).map((ms): Op => ({ kind: "sleep", ms })),
  fc.nat({ max: 5 }).map((ms): Op => ({ kind: "select", ms })),
);
/** A random program: a few tasks, each a list of operations. */
const programs = fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 4 });

/** Runs a program, logging `task:step@time` and select winners, so two runs can be compared. */
function runProgram(tasks: Op[][], log: string[]): Future<void> {
  return future(function* () {
    const handles = tasks.map((ops, t) =>
      spawn(
        future(function* () {
          for (let s = 0; s < ops.length; s++) {
            const o = ops[s] as Op;
            log.push(`${t}:${s}@${Instant.now().ms}`);
            if (o.kind === "yield") yield* yieldNow();
            else if (o.kind === "sleep") yield* sleep(o.ms);
            else {
              const r = yield* select(sleep(o.ms), yieldNow(), sleep(o.ms));
              log.push(`${t}:${s} select ${r.index}`);
            }
          }
        }),
      ),
    );
    for (const h of handles) yield* h;
  });
}

describe("determinism", () => {
  it("the same seed gives the same schedule and trace, and replay reproduces it", async () => {
    await fc.assert(
      fc.asyncProperty(
        programs,
        fc.nat(),
        fc.constantFrom("random", "pct", "fifo") as fc.Arbitrary<"random" | "pct" | "fifo">,
        async (tasks, seed, strategy) => {
          const first: string[] = [];
          const second: string[] = [];
          const replayed: string[] = [];
          const a = new SimExecutor({ seed, strategy });
          const b = new SimExecutor({ seed, strategy });
          await a.run(runProgram(tasks, first));
          await b.run(runProgram(tasks, second));
          expect(second).toEqual(first);
          expect(b.schedule).toBe(a.schedule);
          const r = SimExecutor.replay(a.schedule);
          await r.run(runProgram(tasks, replayed));
          expect(replayed).toEqual(first);
          expect(r.now).toBe(a.now);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe("no lost wake-ups", () => {
  it("every message sent through a bounded channel arrives exactly once, in per-sender order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        schedules(fc),
        async (capacity, counts, schedule) => {
          const sim = new SimExecutor({ schedule });
          const received = await sim.run(
            future(function* () {
              const [tx, rx] = channel<string>(capacity);
              counts.forEach((count, p) => {
                const mine = tx.clone();
                spawn(
                  future(function* () {
                    for (let i = 0; i < count; i++) yield* mine.send(`${p}.${i}`);
                    mine.close();
                  }),
                );
              });
              tx.close();
              const got: string[] = [];
              for (;;) {
                const r = yield* rx.recv();
                if (r.done) return got;
                got.push(r.value);
              }
            }),
          );
          const expected = counts.flatMap((count, p) =>
            Array.from({ length: count }, (_, i) => `${p}.${i}`),
          );
          expect([...received].sort()).toEqual([...expected].sort());
          counts.forEach((_, p) => {
            const mine = received.filter((m) => m.startsWith(`${p}.`));
            expect(mine).toEqual(expected.filter((m) => m.startsWith(`${p}.`)));
          });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("Notify: notifyOne() in a loop wakes every waiter (a lost wake-up would livelock)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.nat(), async (waiters, seed) => {
        const notify = new Notify();
        let woken = 0;
        await new SimExecutor({ seed, maxSteps: 10_000 }).run(
          future(function* () {
            const set = new JoinSet<void>();
            for (let i = 0; i < waiters; i++) {
              set.spawn(
                future(function* () {
                  yield* notify.notified();
                  woken++;
                }),
              );
            }
            while (woken < waiters) {
              notify.notifyOne();
              yield* yieldNow();
            }
            while (!(yield* set.joinNext()).done) {}
          }),
        );
        expect(woken).toBe(waiters);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("Notify keeps one permit, not a count: the deadlock report names the waiter left behind", async () => {
    const notify = new Notify();
    const error = await new SimExecutor({ strategy: "fifo" })
      .run(
        future(function* () {
          const a = spawn(notify.notified(), { name: "first" });
          const b = spawn(notify.notified(), { name: "second" });
          notify.notifyOne();
          notify.notifyOne(); // no waiter yet: the permit is already stored, this one is lost
          yield* a;
          yield* b;
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as Error).name).toBe("DeadlockError");
    expect((error as Error).message).toMatch(/#3 \(second\) waits on Notify/);
    expect((error as Error).message).not.toMatch(/\(first\)/);
  });
});

describe("cancellation under random schedules", () => {
  it("aborting JoinSet tasks at random steps runs each finally exactly once and reports each task once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat({ max: 8 }), { maxLength: 5 }),
        fc.nat(),
        async (lengths, abortAfter, seed) => {
          const finallies = lengths.map(() => 0);
          const started = lengths.map(() => false);
          const outcomes: string[] = [];
          await new SimExecutor({ seed }).run(
            future(function* () {
              const set = new JoinSet<number>();
              const handles = lengths.map((steps, t) =>
                set.spawn(
                  future(function* () {
                    started[t] = true;
                    try {
                      for (let s = 0; s < steps; s++) yield* yieldNow();
                      return t;
                    } finally {
                      finallies[t] = (finallies[t] ?? 0) + 1;
                    }
                  }),
                ),
              );
              abortAfter.forEach((delay, i) => {
                spawn(
                  future(function* () {
                    for (let s = 0; s < delay; s++) yield* yieldNow();
                    handles[i % handles.length]?.abort();
                  }),
                );
              });
              for (;;) {
                try {
                  const r = yield* set.joinNext();
                  if (r.done) break;
                  outcomes.push(`value ${r.value}`);
                } catch (e) {
                  expect((e as { isCancelled?: boolean }).isCancelled).toBe(true);
                  outcomes.push("cancelled");
                }
              }
            }),
          );
          // A task that started ran its finally exactly once; one aborted before it started, never.
          expect(finallies).toEqual(started.map((s) => (s ? 1 : 0)));
          expect(outcomes).toHaveLength(lengths.length);
          const values = outcomes.filter((o) => o.startsWith("value")).sort();
          expect(new Set(values).size).toBe(values.length);
          for (const v of values) expect(finallies[Number(v.slice(6))]).toBe(1);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("select drops its losers exactly once, whichever branch the seed lets win", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.nat(), async (branches, seed) => {
        const dropped = Array(branches).fill(0);
        const sim = new SimExecutor({ seed });
        const winner = await sim.run(
          future(function* () {
            const futs = Array.from({ length: branches }, (_, i) =>
              future(function* () {
                try {
                  yield* yieldNow();
                  return i;
                } finally {
                  dropped[i]++;
                }
              }),
            );
            return (yield* select(...futs)).value;
          }),
        );
        expect(dropped.every((d) => d === 1)).toBe(true);
        // The winner is decided by the seed's draws: a replay agrees.
        expect(
          await SimExecutor.replay(sim.schedule).run(
            future(function* () {
              const futs = Array.from({ length: branches }, (_, i) =>
                future(function* () {
                  yield* yieldNow();
                  return i;
                }),
              );
              return (yield* select(...futs)).value;
            }),
          ),
        ).toBe(winner);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
