/**
 * Scenario 8: property-testing a schedule.
 *
 * - Two deposits update one account balance with a read-modify-write split by an `await`:
 *   read the balance, write an audit entry (a scheduling point), write balance + amount.
 * - Under plain FIFO scheduling the bug hides: the total is right.
 * - fast-check drives `SimExecutor` with `schedules(fc)`: it finds an interleaving that loses
 *   an update and shrinks it to the fewest, earliest deviations from FIFO, printed as a string
 *   that replays the failure exactly.
 * - The failing schedule is replayed once more with `trace: true`, and its timeline (one row
 *   per task, a bar per poll, an arrow per wake) is written as an HTML page: open it to see the
 *   two deposits interleave.
 * - The `Mutex` version passes for every schedule fast-check tries, and `explore` checks it
 *   under every interleaving.
 *
 * `schedules(fc)` is handed the fast-check module: fast-check is an optional peer dependency,
 * which `wakeful/testing` never loads by itself.
 */
import fc from "fast-check";
import { type Future, future, Mutex, spawn, yieldNow } from "wakeful";
import { explore, SimExecutor, schedules } from "wakeful/testing";

export const title = "8. Property-testing a schedule: find, shrink and fix a lost update";

/** Two deposits into one balance; the second validates its request longer before updating. */
function racyDeposits(log?: string[]): Future<number> {
  return future(function* () {
    const account = { balance: 0 };
    const deposit = (amount: number, checks: number) =>
      future(function* () {
        for (let i = 0; i < checks; i++) yield* yieldNow(); // validate the request
        const balance = account.balance; // read
        log?.push(`deposit ${amount} reads ${balance}`);
        yield* yieldNow(); // write an audit entry
        account.balance = balance + amount; // write: may overwrite the other deposit
        log?.push(`deposit ${amount} writes ${account.balance}`);
      });
    const a = spawn(deposit(10, 0), { name: "deposit 10" });
    const b = spawn(deposit(20, 2), { name: "deposit 20" });
    yield* a;
    yield* b;
    return account.balance;
  });
}

/** The same deposits, with the read-modify-write under a Mutex. */
function lockedDeposits(): Future<number> {
  return future(function* () {
    const account = new Mutex({ balance: 0 });
    const deposit = (amount: number, checks: number) =>
      future(function* () {
        for (let i = 0; i < checks; i++) yield* yieldNow();
        using guard = yield* account.lock();
        const balance = guard.value.balance;
        yield* yieldNow();
        guard.value.balance = balance + amount;
      });
    const a = spawn(deposit(10, 0));
    const b = spawn(deposit(20, 2));
    yield* a;
    yield* b;
    using guard = yield* account.lock();
    return guard.value.balance;
  });
}

export async function main(): Promise<void> {
  const fifo = new SimExecutor({ strategy: "fifo" });
  console.log(`Plain FIFO: balance = ${await fifo.run(racyDeposits())} (expected 30: looks fine)`);

  console.log(
    "\nfast-check explores schedules (FIFO plus a few deviations) and shrinks a failure:",
  );
  const property = fc.asyncProperty(schedules(fc), async (schedule) => {
    const balance = await new SimExecutor({ schedule }).run(racyDeposits());
    if (balance !== 30) throw new Error(`lost update: balance = ${balance}, expected 30`);
  });
  const details = await fc.check(property, { seed: 8, numRuns: 200 });
  if (!details.failed) throw new Error("expected fast-check to find the race");
  const [shrunk] = details.counterexample ?? [];
  console.log(`  failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)`);
  console.log(`  counterexample: ${fc.stringify(details.counterexample)}`);
  console.log(`  error:          ${(details.errorInstance as Error).message}`);

  console.log("  (each entry is step.choice: at scheduling decision #step, run another ready task");
  console.log("   than the one that has waited longest; choice 0 = the next one in line)");

  const log: string[] = [];
  const replay = SimExecutor.replay(String(shrunk));
  const balance = await replay.run(racyDeposits(log));
  console.log(`\nSimExecutor.replay(${JSON.stringify(String(shrunk))}) → balance = ${balance}:`);
  for (const line of log) console.log(`  ${line}`);
  console.log(`  the full recorded trace of that run: ${JSON.stringify(replay.schedule)}`);

  console.log("\nWith a Mutex around the read-modify-write, every schedule passes:");
  const fixed = await fc.check(
    fc.asyncProperty(schedules(fc), async (schedule) => {
      const balance = await new SimExecutor({ schedule }).run(lockedDeposits());
      if (balance !== 30) throw new Error(`balance = ${balance}`);
    }),
    { seed: 8, numRuns: 200 },
  );
  console.log(`  ${fixed.numRuns} schedules, failed: ${fixed.failed}`);

  let seeds = 0;
  for (let seed = 0; seed < 200; seed++) {
    if ((await new SimExecutor({ strategy: "pct", seed }).run(lockedDeposits())) === 30) seeds++;
  }
  console.log(`  and ${seeds}/200 PCT seeds agree`);
  const checked = (deposits: () => Future<number>) => () =>
    future(function* () {
      const balance = yield* deposits();
      if (balance !== 30) throw new Error(`lost update: balance = ${balance}`);
    });
  const all = await explore(checked(lockedDeposits));
  console.log(
    `  explore: all ${all.schedules} interleavings pass (exhausted: ${all.exhausted}); ` +
      `the racy version fails after ${(await explore(checked(racyDeposits))).schedules}`,
  );

  const traced = new SimExecutor({ schedule: String(shrunk), trace: true });
  await traced.run(racyDeposits());
  const page = traced.trace().save();
  console.log(
    "\nThe timeline of the failing schedule (a row per task, a bar per poll, wakes as arrows):",
  );
  console.log(`  ${page}`);
}
