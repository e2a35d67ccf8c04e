import { describe, expect, it } from "vitest";
import {
  chunksTimeout,
  collect,
  forEach,
  future,
  Instant,
  iter,
  map,
  sleep,
  stream,
  TimeoutError,
  throttle,
  timeoutEach,
} from "../../../src/index.js";
import { SimExecutor } from "../../../src/testing.js";

/** A stream that emits `[value, delay]` pairs: sleeps `delay` ms, then emits `value`. */
function paced<T>(steps: [T, number][]) {
  return stream<T>(function* (emit) {
    for (const [v, ms] of steps) {
      yield* sleep(ms);
      yield* emit(v);
    }
  });
}

describe("timed stream operators on virtual time", () => {
  it("throttle(ms) spaces items by at least ms and keeps every item", async () => {
    const sim = new SimExecutor({ seed: 1 });
    const times = await sim.run(
      future(function* () {
        const t0 = Instant.now();
        const at: number[] = [];
        yield* iter([1, 2, 3]).pipe(
          throttle(10),
          forEach(() => {
            at.push(Instant.now().since(t0));
          }),
        );
        return at;
      }),
    );
    expect(times).toEqual([0, 10, 20]);
  });

  it("timeoutEach(ms) passes items that come in time and fails on a late one", async () => {
    const sim = new SimExecutor({ seed: 2 });
    const got: string[] = [];
    await expect(
      sim.run(
        paced([
          ["a", 5],
          ["b", 9],
          ["c", 15],
        ]).pipe(
          timeoutEach(10),
          forEach((v: string) => {
            got.push(v);
          }),
        ),
      ),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(got).toEqual(["a", "b"]);
  });

  it("timeoutEach drops the source when it fires: the source's finally runs", async () => {
    const sim = new SimExecutor({ seed: 3 });
    const log: string[] = [];
    const src = stream<number>(function* (emit) {
      try {
        yield* sleep(100);
        yield* emit(1);
      } finally {
        log.push("source finally");
      }
    });
    await expect(sim.run(src.pipe(timeoutEach(10), collect()))).rejects.toThrow(TimeoutError);
    expect(log).toEqual(["source finally"]);
  });

  it("chunksTimeout(n, ms) flushes a full chunk at once and a partial one after ms", async () => {
    const sim = new SimExecutor({ seed: 4 });
    const got = await sim.run(
      future(function* () {
        const t0 = Instant.now();
        const out: [number[], number][] = [];
        yield* paced([
          [1, 0],
          [2, 1],
          [3, 1],
          [4, 30],
          [5, 100],
        ]).pipe(
          chunksTimeout(3, 20),
          map((c: number[]) => [c, Instant.now().since(t0)] as [number[], number]),
          forEach((x: [number[], number]) => {
            out.push(x);
          }),
        );
        return out;
      }),
    );
    expect(got).toEqual([
      [[1, 2, 3], 2],
      [[4], 52],
      [[5], 132],
    ]);
  });

  it("check their arguments", () => {
    expect(() => throttle(-1)).toThrow("throttle(ms): ms must be a finite number >= 0, got -1");
    expect(() => timeoutEach(Number.NaN)).toThrow(RangeError);
    expect(() => chunksTimeout(0, 5)).toThrow(
      "chunksTimeout(n, ms): n must be a whole number >= 1",
    );
  });
});
