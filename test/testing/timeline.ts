/**
 * A small run with every kind of timeline element, shared by the trace tests and the browser
 * check: named tasks, a lost update between two deposits, a timer, a delivered reply, a fault.
 */
import { future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import type { Future } from "../../src/core/future.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { faultPoint } from "../../src/testing/fault-point.js";
import type { SimExecutor } from "../../src/testing/sim-executor.js";
import { sleep } from "../../src/time/sleep.js";

/** Two deposits race on a balance; an audit call goes out; one fault point always fires. */
export function tracedProgram(sim: SimExecutor): Future<number> {
  const audit = sim.external(async (entry: string) => entry.length, "audit.log");
  return future(function* () {
    const account = { balance: 0 };
    const deposit = (amount: number) =>
      future(function* () {
        const seen = account.balance;
        yield* yieldNow();
        account.balance = seen + amount;
        yield* fromPromise(() => audit(`deposit ${amount}`));
      });
    const a = spawn(deposit(10), { name: "deposit <10>" });
    const b = spawn(deposit(20), { name: "deposit 20" });
    yield* sleep(5);
    if (faultPoint("audit.flush", 1)) yield* yieldNow();
    yield* a;
    yield* b;
    return account.balance;
  });
}
