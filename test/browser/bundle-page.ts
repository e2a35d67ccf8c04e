/**
 * The page of the bundle check (bundle.check.ts): a plain ES module that imports the built
 * package (dist/index.js, dist/testing.js) as a browser does, runs the core and SimExecutor,
 * and asserts in the page. Each check becomes a row of a table (kept in the screenshot) and an
 * entry of `window.wakefulChecks`: `{ name, ok, detail }`. `window.wakefulDone` is set last.
 */

/** The module script of the page, run by Chromium (it is not TypeScript). */
const script = `
import {
  CancellationToken, AbortedError, TimeoutError, channel, future, join, pending, ready, run,
  select, sleep, spawn, timeout, yieldNow,
} from "/index.js";
import { SimExecutor } from "/testing.js";

const checks = [];
function equal(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(what + ": expected " + e + ", got " + a);
}
async function check(name, body) {
  try {
    const detail = await body();
    checks.push({ name, ok: true, detail: String(detail ?? "") });
  } catch (e) {
    checks.push({ name, ok: false, detail: String(e && e.stack || e) });
  }
}

await check("run + spawn: a task's value comes back through its handle", async () => {
  const main = future(function* () {
    const child = spawn(future(function* () { yield* yieldNow(); return 21; }));
    return (yield* child) * 2;
  });
  equal(await run(main), 42, "run(main)");
  return "42";
});

await check("join waits for both; select drops the loser, running its finally", async () => {
  const log = [];
  const branch = (name, fut) => future(function* () {
    try { return yield* fut; } finally { log.push(name + " finally"); }
  });
  const value = await run(future(function* () {
    const both = yield* join(branch("a", ready(1)), branch("b", sleep(5)));
    // Both branches start (fast after one yield), so the loser has a finally to run.
    const fast = future(function* () { yield* yieldNow(); return "x"; });
    const first = yield* select(branch("slow", pending()), branch("fast", fast));
    return [both[0], first.index, first.value];
  }));
  equal(value, [1, 1, "x"], "join then select");
  equal(log, ["a finally", "b finally", "fast finally", "slow finally"], "finally order");
  return log.join(", ");
});

await check("timeout drops a sleep on the host timers and rejects with TimeoutError", async () => {
  let dropped = false;
  const slow = future(function* () {
    try { yield* sleep(60_000); return "late"; } finally { dropped = true; }
  });
  const outcome = await run(timeout(20, slow)).then((v) => v, (e) => e);
  if (!(outcome instanceof TimeoutError)) throw new Error("expected TimeoutError, got " + outcome);
  equal(dropped, true, "the slow future was dropped");
  return outcome.message;
});

await check("channel: a bounded producer and a consumer pass every message in order", async () => {
  const [tx, rx] = channel(2);
  const received = await run(future(function* () {
    spawn(future(function* () {
      for (let i = 1; i <= 10; i++) yield* tx.send(i);
      tx.close();
    }));
    const got = [];
    for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) got.push(r.value);
    return got;
  }));
  equal(received, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "received");
  return received.length + " messages";
});

await check("CancellationToken: cancel ends runUntilCancelled, aborts the signal and children", async () => {
  const token = new CancellationToken();
  const child = token.child();
  const outcome = await run(future(function* () {
    spawn(future(function* () { yield* sleep(5); token.cancel("stop"); }));
    try {
      yield* child.runUntilCancelled(pending());
      return "not cancelled";
    } catch (e) {
      return e instanceof AbortedError ? "aborted: " + e.cause : "other: " + e;
    }
  }));
  equal(outcome, "aborted: stop", "outcome");
  equal([token.signal.aborted, child.isCancelled, child.reason], [true, true, "stop"], "state");
  return outcome;
});

// test/testing/increment-twice.ts, written out: the page is plain JavaScript.
function incrementTwice() {
  return future(function* () {
    let counter = 0;
    const increment = () => future(function* () {
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

await check("SimExecutor finds the lost update, the same schedule as on Node, and replays it", async () => {
  let found;
  for (let seed = 0; seed < 100 && found === undefined; seed++) {
    const sim = new SimExecutor({ seed });
    if ((await sim.run(incrementTwice())) !== 2) found = sim.schedule;
  }
  equal(found, globalThis.expectedSchedule, "schedule of the first failing seed");
  equal(await SimExecutor.replay(found).run(incrementTwice()), 1, "replayed counter");
  return found;
});

const table = document.querySelector("tbody");
for (const c of checks) {
  const row = table.insertRow();
  row.className = c.ok ? "ok" : "failed";
  row.insertCell().textContent = c.ok ? "✓" : "✗";
  row.insertCell().textContent = c.name;
  row.insertCell().textContent = c.detail;
}
window.wakefulChecks = checks;
window.wakefulDone = true;
`;

/** The whole page; `expectedSchedule` is what the same search finds on Node. */
export function bundlePage(expectedSchedule: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wakeful in Chromium</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; }
  td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  tr.ok td:first-child { color: #080; } tr.failed td { color: #b00; }
</style>
</head>
<body>
<h1>wakeful, built bundle, in headless Chromium</h1>
<table><thead><tr><th></th><th>check</th><th>detail</th></tr></thead><tbody></tbody></table>
<script>globalThis.expectedSchedule = ${JSON.stringify(expectedSchedule)};</script>
<script type="module">${script}</script>
</body>
</html>`;
}
