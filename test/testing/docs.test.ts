/** The snippets of docs/testing.md, run as tests (the printed strings in the guide come from here). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { DeadlockError } from "../../src/executor/deadlock.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Notify } from "../../src/sync/notify.js";
import { oneshot } from "../../src/sync/oneshot.js";
import { mockTask } from "../../src/testing/mock-task.js";
import { pendingOnce } from "../../src/testing/pending-once.js";
import { assertPending, assertReady } from "../../src/testing/poll-asserts.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { countingWaker } from "../../src/testing/wakers.js";
import { Instant } from "../../src/time/instant.js";
import { sleep } from "../../src/time/sleep.js";

function incrementTwice() {
  return future(function* () {
    let counter = 0;
    const increment = () =>
      future(function* () {
        const read = counter;
        yield* yieldNow();
        counter = read + 1;
      });
    const a = spawn(increment());
    const b = spawn(increment());
    yield* a;
    yield* b;
    return counter;
  });
}

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
});
