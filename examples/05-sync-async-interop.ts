/**
 * Scenario 5: sync/async interop.
 *
 * - Quotes for three tickers are fetched concurrently (simulated network calls with sleeps).
 * - Then a CPU-heavy figure per ticker (a Monte Carlo value-at-risk): first computed *inline*,
 *   on the executor's thread. A ticker task that should print every 100 ms visibly stalls:
 *   nothing else runs while the CPU is busy.
 * - Then the same figures through `spawnBlocking`: they run on worker threads, and the ticker
 *   keeps ticking on time.
 */
import {
  asyncFn,
  type Future,
  future,
  type JoinHandle,
  run,
  sleep,
  spawn,
  spawnBlocking,
} from "wakeful";

export const title =
  "5. Sync/async interop: CPU work inline stalls the executor, spawnBlocking does not";

const TICKERS = ["ACME", "GLOBEX", "INITECH"] as const;

/** A simulated quote service: answers after 150-300 ms. */
const fetchQuote = asyncFn(function* (ticker: string) {
  const ms = 150 + ((ticker.length * 37) % 150);
  yield* sleep(ms);
  return { ticker, price: 100 + ticker.length * 7.25, ms };
});

/**
 * CPU-heavy and self-contained (it runs on another thread with spawnBlocking): a Monte Carlo
 * 99% one-day value-at-risk for a position of 1000 shares, from a seeded random walk.
 */
function valueAtRisk(price: number, seed: number): number {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const losses = new Float64Array(1_000_000);
  for (let i = 0; i < losses.length; i++) {
    let p = price;
    for (let step = 0; step < 8; step++) p *= 1 + (random() - 0.5) * 0.01;
    losses[i] = (price - p) * 1000;
  }
  losses.sort();
  return losses[Math.floor(losses.length * 0.99)] as number;
}

/** Prints a tick every 100 ms and how long it really took since the previous one. */
const ticker = asyncFn(function* (gaps: number[]) {
  let last = performance.now();
  for (;;) {
    yield* sleep(100);
    const now = performance.now();
    const gap = Math.round(now - last);
    last = now;
    gaps.push(gap);
    console.log(`   tick  +${gap} ms${gap > 150 ? "   <-- stalled: the executor was busy" : ""}`);
  }
});

function summary(gaps: number[]): string {
  const worst = Math.max(...gaps);
  return `${gaps.length} ticks, worst gap ${worst} ms`;
}

const scenario = future(function* () {
  console.log("Fetching three quotes concurrently (each a simulated network call):");
  const t0 = performance.now();
  const fetches = TICKERS.map((t) => spawn(fetchQuote(t)));
  const quotes = [];
  for (const f of fetches) quotes.push(yield* f);
  for (const q of quotes)
    console.log(`   ${q.ticker.padEnd(8)} ${q.price.toFixed(2)}  (${q.ms} ms)`);
  console.log(
    `   all three in ${Math.round(performance.now() - t0)} ms, not the sum of the three\n`,
  );

  console.log("Value-at-risk per ticker, computed INLINE while a ticker task runs:");
  const inlineGaps: number[] = [];
  let tick = spawn(ticker(inlineGaps));
  yield* sleep(250); // a couple of ticks on time first
  for (const [i, q] of quotes.entries()) {
    const t = performance.now();
    const risk = valueAtRisk(q.price, i + 1);
    console.log(
      `   ${q.ticker.padEnd(8)} VaR ${risk.toFixed(0)}  (${Math.round(performance.now() - t)} ms of CPU, inline)`,
    );
    yield* sleep(0);
  }
  yield* sleep(150);
  tick.abort();
  console.log(`   -> ${summary(inlineGaps)}: the ticker could not run while the CPU was busy\n`);

  console.log("The same figures through spawnBlocking (worker threads), ticker running:");
  const pooledGaps: number[] = [];
  tick = spawn(ticker(pooledGaps));
  yield* sleep(250);
  const t = performance.now();
  const jobs: JoinHandle<number>[] = quotes.map((q, i) =>
    spawn(spawnBlocking(valueAtRisk, q.price, i + 1) as Future<number>),
  );
  for (const [i, job] of jobs.entries()) {
    const risk = yield* job;
    console.log(`   ${quotes[i]?.ticker.padEnd(8)} VaR ${risk.toFixed(0)}  (from a worker thread)`);
  }
  console.log(
    `   all three in ${Math.round(performance.now() - t)} ms (the first call also starts the threads)`,
  );
  yield* sleep(150);
  tick.abort();
  console.log(`   -> ${summary(pooledGaps)}: the executor stayed responsive`);
});

export async function main(): Promise<void> {
  await run(scenario);
}
