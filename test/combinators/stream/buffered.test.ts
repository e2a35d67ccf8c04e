import { describe, expect, it } from "vitest";
import {
  buffered,
  bufferUnordered,
  Context,
  collect,
  forEachConcurrent,
  future,
  iter,
  map,
  Poll,
  run,
  sleep,
  Waker,
} from "../../../src/index.js";
import { SimExecutor } from "../../../src/testing.js";
import { counting, HandStream, Job } from "./helpers.js";

const noop = Context.from(Waker.noop());
const item = <T>(v: T) => ({ value: { done: false, value: v } });
const DONE = { value: { done: true, value: undefined } };

function jobs(n: number): Job<number>[] {
  return Array.from({ length: n }, (_, i) => new Job<number>(`job ${i}`));
}

describe("buffered(n)", () => {
  it("checks n and the stream it is applied to", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, "2"]) {
      expect(() => buffered(bad as number)).toThrow(RangeError);
    }
    expect(() => buffered(0)).toThrow("buffered(n): n must be a whole number >= 1, got 0");
    expect(() => buffered(2)([] as never)).toThrow(
      "buffered(n): expected to be applied to a Stream, got Array",
    );
  });

  it("starts at most n, never pulls more than n ahead, and gives results in source order", () => {
    const js = jobs(5);
    const src = new HandStream<Job<number>>();
    src.push(...js);
    src.end();
    const s = buffered(2)(src);
    const { cx, waker } = counting();
    expect(s.pollNext(cx)).toBe(Poll.pending);
    expect(js.map((j) => j.started)).toEqual([true, true, false, false, false]);
    expect(src.pulls).toBe(2);
    js[1]?.resolve(11); // finishes out of order: held, not given, no new pull
    expect(waker.wakeCount).toBe(1);
    expect(s.pollNext(cx)).toBe(Poll.pending);
    expect(src.pulls).toBe(2);
    js[0]?.resolve(10);
    expect(s.pollNext(cx)).toEqual(item(10));
    expect(s.pollNext(cx)).toEqual(item(11));
    expect(s.pollNext(cx)).toBe(Poll.pending);
    expect(src.pulls).toBe(4);
    js[2]?.resolve(12);
    js[3]?.resolve(13);
    expect(s.pollNext(cx)).toEqual(item(12));
    expect(s.pollNext(cx)).toEqual(item(13));
    js[4]?.resolve(14);
    expect(s.pollNext(cx)).toEqual(item(14));
    expect(s.pollNext(cx)).toEqual(DONE);
    expect(s.pollNext(cx)).toEqual(DONE);
  });

  it("polls only the futures that were woken", () => {
    let polls = 0;
    const js = jobs(3);
    const counted = js.map((j) => {
      const poll = j.poll.bind(j);
      j.poll = (c: Context) => {
        polls++;
        return poll(c);
      };
      return j;
    });
    const s = buffered(3)(iter(counted));
    s.pollNext(noop);
    expect(polls).toBe(3);
    js[2]?.resolve(2);
    s.pollNext(noop);
    expect(polls).toBe(4);
  });

  it("the first error drops every other future in flight and the source, then rethrows", () => {
    const js = jobs(3);
    const src = new HandStream<Job<number>>();
    src.push(...js);
    const s = buffered(3)(src);
    s.pollNext(noop);
    js[1]?.reject(new Error("job 1 failed"));
    expect(() => s.pollNext(noop)).toThrow("job 1 failed");
    expect(js.map((j) => j.drops)).toEqual([1, 0, 1]);
    expect(src.drops).toBe(1);
    expect(s.pollNext(noop)).toEqual(DONE);
  });

  it("dropping the stream drops every future in flight and the source, once", () => {
    const js = jobs(2);
    const src = new HandStream<Job<number>>();
    src.push(...js);
    const s = buffered(4)(src);
    s.pollNext(noop);
    s.drop();
    s.drop();
    expect(js.map((j) => j.drops)).toEqual([1, 1]);
    expect(src.drops).toBe(1);
  });

  it("a non-future item is a TypeError that drops the rest", () => {
    const j = new Job<number>("j");
    const s = buffered(2)(iter([j, 3]) as never);
    expect(() => s.pollNext(noop)).toThrow("buffered(2): expected a stream of Futures, got number");
    expect(j.drops).toBe(1);
  });

  it("runs a pipeline under run(): order kept, at most n at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await run(
      iter([30, 10, 20, 5, 1]).pipe(
        map((ms) =>
          future(function* () {
            running++;
            peak = Math.max(peak, running);
            try {
              yield* sleep(ms);
              return ms;
            } finally {
              running--;
            }
          }),
        ),
        buffered(2),
        collect(),
      ),
    );
    expect(out).toEqual([30, 10, 20, 5, 1]);
    expect(peak).toBe(2);
  });
});

describe("bufferUnordered(n)", () => {
  it("gives results as they finish and refills the freed place at once", () => {
    const js = jobs(3);
    const src = new HandStream<Job<number>>();
    src.push(...js);
    src.end();
    const s = bufferUnordered(2)(src);
    expect(s.pollNext(noop)).toBe(Poll.pending);
    js[1]?.resolve(11);
    expect(s.pollNext(noop)).toEqual(item(11));
    expect(s.pollNext(noop)).toBe(Poll.pending);
    expect(js[2]?.started).toBe(true);
    js[2]?.resolve(12);
    js[0]?.resolve(10);
    const rest = [s.pollNext(noop), s.pollNext(noop)];
    expect(rest).toEqual([item(12), item(10)]);
    expect(s.pollNext(noop)).toEqual(DONE);
  });

  it("timing under virtual time: 4 jobs of 10 ms, 2 at a time, take 20 ms", async () => {
    const sim = new SimExecutor({ seed: 9 });
    const elapsed = await sim.run(
      future(function* () {
        const t0 = sim.now;
        const got = yield* iter([1, 2, 3, 4]).pipe(
          map((v) =>
            future(function* () {
              yield* sleep(10);
              return v;
            }),
          ),
          bufferUnordered(2),
          collect(),
        );
        expect(got.slice().sort()).toEqual([1, 2, 3, 4]);
        return sim.now - t0;
      }),
    );
    expect(elapsed).toBe(20);
  });
});

describe("forEachConcurrent(n, f)", () => {
  it("runs at most n calls, completes when all finished", () => {
    const js = jobs(3);
    const f = forEachConcurrent(2, (j: Job<number>) => j)(iter(js));
    expect(f.poll(noop)).toBe(Poll.pending);
    expect(js.map((j) => j.started)).toEqual([true, true, false]);
    js[0]?.resolve(0);
    expect(f.poll(noop)).toBe(Poll.pending);
    expect(js[2]?.started).toBe(true);
    js[1]?.resolve(1);
    js[2]?.resolve(2);
    expect(f.poll(noop)).toEqual({ value: undefined });
  });

  it("f may return a plain value; an error from f drops the calls in flight", () => {
    const j = new Job<number>("j");
    const f = forEachConcurrent(4, (x: number) => {
      if (x === 0) return j;
      if (x === 2) throw new Error("f failed on 2");
      return undefined;
    })(iter([0, 1, 2, 3]));
    expect(() => f.poll(noop)).toThrow("f failed on 2");
    expect(j.drops).toBe(1);
  });

  it("dropping it drops the calls in flight and the source", () => {
    const js = jobs(2);
    const src = new HandStream<Job<number>>();
    src.push(...js);
    const f = forEachConcurrent(2, (x: Job<number>) => x)(src);
    f.poll(noop);
    f.drop();
    expect(js.map((j) => j.drops)).toEqual([1, 1]);
    expect(src.drops).toBe(1);
  });
});
