/** The snippets of docs/testing.md, run as tests (the printed strings in the guide come from here). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { join } from "../../src/combinators/join.js";
import { asyncFn, future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import { DeadlockError } from "../../src/executor/deadlock.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Notify } from "../../src/sync/notify.js";
import { oneshot } from "../../src/sync/oneshot.js";
import { explore } from "../../src/testing/explore.js";
import { faultPoint } from "../../src/testing/fault-point.js";
import { History } from "../../src/testing/history.js";
import { checkLinearizable } from "../../src/testing/linearizability.js";
import { mockTask } from "../../src/testing/mock-task.js";
import { pendingOnce } from "../../src/testing/pending-once.js";
import { assertPending, assertReady } from "../../src/testing/poll-asserts.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { countingWaker } from "../../src/testing/wakers.js";
import { Instant } from "../../src/time/instant.js";
import { sleep } from "../../src/time/sleep.js";
import { incrementTwice } from "./increment-twice.js";
import { kvModel, RacyCacheAside, type Store } from "./stores.js";

describe("docs/testing.md", () => {
  it("a seed loop finds the lost update, and its trace replays it", async () => {
    let found: string | undefined;
    for (let seed = 0; seed < 100 && found === undefined; seed++) {
      const sim = new SimExecutor({ seed });
      if ((await sim.run(incrementTwice())) !== 2) found = sim.schedule;
    }
    expect(found).toBe("w1:1010.z365");
    expect(await SimExecutor.replay(found as string).run(incrementTwice())).toBe(1);
  });

  it("fast-check shrinks the deposit race to two deviations", async () => {
    function deposits() {
      return future(function* () {
        const account = { balance: 0 };
        const deposit = (amount: number, checks: number) =>
          future(function* () {
            for (let i = 0; i < checks; i++) yield* yieldNow();
            const balance = account.balance;
            yield* yieldNow();
            account.balance = balance + amount;
          });
        const a = spawn(deposit(10, 0));
        const b = spawn(deposit(20, 2));
        yield* a;
        yield* b;
        return account.balance;
      });
    }
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        expect(await sim.run(deposits())).toBe(30);
      }),
      { seed: 8, numRuns: 200 },
    );
    expect(fc.stringify(details.counterexample)).toBe('["w1d:0.0,3.0"]');
  });

  it("virtual time", async () => {
    const sim = new SimExecutor();
    const elapsed = await sim.run(
      future(function* () {
        const start = Instant.now();
        for (let i = 0; i < 3600; i++) yield* sleep(1000);
        return Instant.now().since(start);
      }),
    );
    expect(elapsed).toBe(3_600_000);
    expect(sim.now).toBe(3_600_000);
  });

  it("the deadlock report", async () => {
    const notify = new Notify();
    const error = await new SimExecutor({ strategy: "fifo" })
      .run(
        future(function* () {
          const a = spawn(notify.notified(), { name: "first" });
          const b = spawn(notify.notified(), { name: "second" });
          notify.notifyOne();
          notify.notifyOne();
          yield* a;
          yield* b;
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as Error).message).toBe(
      [
        "deadlock: 2 tasks wait and nothing can wake them (no ready task, no timer, no outside work)",
        "  #1 (root) waits on JoinHandle(#3 (second))",
        "  #3 (second) waits on Notify.notified()",
        'at virtual time 0 ms; replay with SimExecutor.replay("w1:00.fjft")',
      ].join("\n"),
    );
  });

  it("test helpers", () => {
    const [tx, rx] = oneshot<number>();
    const task = mockTask(rx);
    assertPending(task.poll());
    expect(task.isWoken).toBe(false);
    tx.send(7);
    expect(task.isWoken).toBe(true);
    expect(assertReady(task.poll())).toBe(7);

    const [tx2, rx2] = oneshot<string>();
    const w = countingWaker();
    const fut = pendingOnce(rx2);
    assertPending(fut.poll(w.context));
    expect(w.wakeCount).toBe(1);
    tx2.send("hi");
    expect(assertReady(fut.poll(w.context))).toBe("hi");
  });

  it("sim.external: fast-check finds the reply order that breaks the page", async () => {
    function availableFunds(api: { balance(): Promise<number>; holds(): Promise<number[]> }) {
      return future(function* () {
        const view = { balance: Number.NaN, available: Number.NaN };
        yield* join(
          future(function* () {
            view.balance = yield* fromPromise(() => api.balance());
          }),
          future(function* () {
            const holds = yield* fromPromise(() => api.holds());
            view.available = view.balance - holds.reduce((a, b) => a + b, 0);
          }),
        );
        return view.available;
      });
    }
    const mocks = (sim: SimExecutor) => ({
      balance: sim.external(async () => 100, "ledger.balance"),
      holds: sim.external(async () => [30], "payments.holds"),
    });
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        expect(await sim.run(availableFunds(mocks(sim)))).toBe(70);
      }),
      { seed: 14, numRuns: 100 },
    );
    expect(fc.stringify(details.counterexample)).toBe('["w1d:0.0"]');
    const plain = { balance: async () => 100, holds: async () => [30] };
    for (let seed = 0; seed < 50; seed++) {
      expect(await new SimExecutor({ seed }).run(availableFunds(plain))).toBe(70);
    }
  });

  it("fault points: the retrying client charges twice when a reply is lost", async () => {
    class Payments {
      readonly charges: string[] = [];
      charge(orderId: string) {
        const charges = this.charges;
        return future(function* () {
          yield* sleep(10);
          if (faultPoint("payments.unavailable", 0.05)) throw new Error("503 unavailable");
          charges.push(orderId);
          yield* sleep(10);
          if (faultPoint("payments.reply-lost", 0.05)) throw new Error("connection reset");
          return `receipt for ${orderId}`;
        });
      }
    }
    const checkout = asyncFn(function* (payments: Payments, orderId: string) {
      for (let attempt = 1; ; attempt++) {
        try {
          return yield* payments.charge(orderId);
        } catch (error) {
          if (attempt === 3) throw error;
          yield* sleep(100 * attempt);
        }
      }
    });
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        const payments = new Payments();
        await sim.run(checkout(payments, "order-1")).catch(() => {});
        const charged = payments.charges.length;
        if (charged > 1) {
          throw new Error(`charged ${charged} times; faults: ${sim.faults.join(", ")}`);
        }
      }),
      { seed: 1, numRuns: 200 },
    );
    expect(fc.stringify(details.counterexample)).toBe('["w1d:1.0"]');
    expect((details.errorInstance as Error).message).toBe(
      "charged 2 times; faults: payments.reply-lost",
    );
  });

  it("explore: the lost update needs a preemption, and its schedule replays", async () => {
    const checked = () =>
      future(function* () {
        const counter = yield* incrementTwice();
        if (counter !== 2) throw new Error(`lost update: ${counter}`);
      });
    expect(await explore(checked, { preemptionBound: 0 })).toEqual({
      schedules: 3,
      pruned: 0,
      exhausted: true,
      failure: undefined,
    });
    expect(await explore(checked)).toEqual({
      schedules: 4,
      pruned: 0,
      exhausted: false,
      failure: { error: new Error("lost update: 1"), schedule: "w1:001.xkzy", faults: [] },
    });
    await expect(SimExecutor.replay("w1:001.xkzy").run(checked())).rejects.toThrow(
      "lost update: 1",
    );
  });

  it("linearizability: the report on the racy cache-aside store", async () => {
    const scenario = (store: Store, history: History) =>
      future(function* () {
        yield* history.record("put", ["a", 1], store.put("a", 1));
        const reader = spawn(
          future(function* () {
            yield* history.record("get", ["a"], store.get("a"));
            yield* history.record("get", ["a"], store.get("a"));
          }),
        );
        const writer = spawn(history.record("put", ["a", 2], store.put("a", 2)));
        yield* reader;
        yield* writer;
      });
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const history = new History();
        await new SimExecutor({ schedule }).run(scenario(new RacyCacheAside(), history));
        const result = checkLinearizable(history, kvModel);
        if (!result.ok) throw new Error(result.message);
      }),
      { seed: 3, numRuns: 200 },
    );
    expect((details.errorInstance as Error).message).toBe(
      [
        'not linearizable: no order of the operations explains #3 get("a") → 1, returned at 7.',
        'Smallest failing window (1 operation; the operations before it leave the state at Map{"a" → 2}):',
        '  [6–7] #3 get("a") → 1',
      ].join("\n"),
    );
  });
});
