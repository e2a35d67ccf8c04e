/**
 * Random streams of futures through buffered / bufferUnordered / forEachConcurrent, on virtual
 * time under SimExecutor: random per-item durations (0 = ready at once) and failures, random n
 * in 1..32, a consumer that takes items through `select(next(), sleep(k))` (so some `next()`s
 * are dropped mid-way) and may drop the stream after a random number of items. Checked: every
 * started future ends exactly once (finished, failed or dropped), and already when the error
 * or the drop reaches the consumer; at most n run at once; the source is never read more than
 * n ahead of the consumer; buffered keeps source order; no item is lost or duplicated.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buffered,
  bufferUnordered,
  type Future,
  forEachConcurrent,
  future,
  iter,
  map,
  type Stream,
  select,
  sleep,
} from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";

type Mode = "buffered" | "bufferUnordered" | "forEachConcurrent";

interface Case {
  items: { dur: number; fails: boolean }[];
  n: number;
  mode: Mode;
  patience: number[];
  dropAfter: number | undefined;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  items: fc.array(
    fc.record({
      dur: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
      fails: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
    }),
    { maxLength: 60 },
  ),
  n: fc.integer({ min: 1, max: 32 }),
  mode: fc.constantFrom<Mode>("buffered", "bufferUnordered", "forEachConcurrent"),
  patience: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }),
  dropAfter: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  seed: fc.integer(),
});

async function check(c: Case): Promise<void> {
  const k = c.items.length;
  const started = new Array<number>(k).fill(0);
  const ended = new Array<number>(k).fill(0);
  let running = 0;
  let peak = 0;
  let pulled = 0;
  let delivered = 0;
  const violations: string[] = [];
  const got: number[] = [];

  const job = (i: number): Future<number> =>
    future(function* () {
      started[i] = (started[i] as number) + 1;
      running++;
      peak = Math.max(peak, running);
      try {
        if (c.items[i]?.dur) yield* sleep(c.items[i]?.dur as number);
        if (c.items[i]?.fails) throw new Error(`item ${i} failed`);
        return i;
      } finally {
        running--;
        ended[i] = (ended[i] as number) + 1;
      }
    });
  function* indexes(): Generator<number> {
    for (let i = 0; i < k; i++) {
      pulled++;
      if (pulled - delivered > c.n) violations.push(`pulled ${pulled} with ${delivered} taken`);
      yield i;
    }
  }
  const source = iter(indexes());
  const expectFailure = c.items.some((it) => it.fails);
  const sim = new SimExecutor({ seed: c.seed });
  let failed = false;
  await sim.run(
    future(function* () {
      if (c.mode === "forEachConcurrent") {
        const f = source.pipe(
          forEachConcurrent(c.n, (i: number) =>
            future(function* () {
              delivered++;
              got.push(yield* job(i));
            }),
          ),
        );
        try {
          yield* f;
        } catch {
          failed = true;
          if (running !== 0) violations.push("calls still running after the error");
        }
        return;
      }
      const op = c.mode === "buffered" ? buffered(c.n) : bufferUnordered(c.n);
      const s: Stream<number> = source.pipe(map(job), op);
      for (let turn = 0; ; turn++) {
        if (c.dropAfter !== undefined && got.length >= c.dropAfter) {
          s.drop();
          if (running !== 0) violations.push(`${running} still running after the drop`);
          return;
        }
        const wait = c.patience[turn % c.patience.length] as number;
        let r: { index: number; value: unknown };
        try {
          r = yield* select(s.next(), sleep(wait));
        } catch {
          failed = true;
          if (running !== 0) violations.push(`${running} still running after the error`);
          return;
        }
        if (r.index === 1) continue;
        const res = r.value as IteratorResult<number, undefined>;
        if (res.done) return;
        delivered++;
        got.push(res.value);
      }
    }),
  );

  expect(violations).toEqual([]);
  expect(peak).toBeLessThanOrEqual(c.n);
  for (let i = 0; i < k; i++) {
    expect(ended[i], `item ${i} ended`).toBe(started[i]);
    expect(started[i], `item ${i} started`).toBeLessThanOrEqual(1);
  }
  expect(new Set(got).size).toBe(got.length);
  if (c.mode === "buffered") expect(got).toEqual(got.map((_, i) => i));
  if (!expectFailure) expect(failed).toBe(false);
  const complete = !failed && (c.dropAfter === undefined || c.mode === "forEachConcurrent");
  if (complete) expect(got.slice().sort((a, b) => a - b)).toEqual(c.items.map((_, i) => i));
}

describe("streams of futures under bounded concurrency", () => {
  it("end every future exactly once, bound what runs and what is read, lose nothing", async () => {
    await fc.assert(fc.asyncProperty(caseArb, check), { numRuns: 1000, seed: 20261129 });
  }, 120_000);
});
