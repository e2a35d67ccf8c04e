import { describe, expect, it } from "vitest";
import {
  buffered,
  Context,
  chunks,
  collect,
  count,
  enumerate,
  filter,
  filterMap,
  first,
  flatMap,
  fold,
  forEach,
  future,
  inspect,
  iter,
  last,
  map,
  Poll,
  repeatWith,
  run,
  scan,
  skip,
  sleep,
  take,
  takeUntil,
  takeWhile,
  toArray,
  Waker,
  zip,
} from "../../../src/index.js";
import { SimExecutor } from "../../../src/testing.js";
import { HandStream, Job } from "./helpers.js";

const noop = Context.from(Waker.noop());

function value<T>(f: { poll(cx: Context): Poll<T> }): T {
  const p = f.poll(noop);
  if (p === Poll.pending) throw new Error("unexpected Pending");
  return (p as { value: T }).value;
}

describe("operators give the expected items", () => {
  it.each([
    ["map", () => iter([1, 2]).pipe(map((n: number, i: number) => n * 10 + i)), [10, 21]],
    ["filter", () => iter([1, 2, 3, 4]).pipe(filter((n: number) => n % 2 === 0)), [2, 4]],
    [
      "filterMap",
      () => iter(["1", "x", "3"]).pipe(filterMap((s: string) => (s === "x" ? undefined : +s))),
      [1, 3],
    ],
    ["take", () => iter([1, 2, 3]).pipe(take(2)), [1, 2]],
    ["take(0)", () => iter([1]).pipe(take(0)), []],
    ["skip", () => iter([1, 2, 3]).pipe(skip(2)), [3]],
    ["takeWhile", () => iter([1, 2, 9, 3]).pipe(takeWhile((n: number) => n < 5)), [1, 2]],
    [
      "enumerate",
      () => iter(["a", "b"]).pipe(enumerate()),
      [
        [0, "a"],
        [1, "b"],
      ],
    ],
    ["scan", () => iter([1, 2, 3]).pipe(scan(0, (a: number, n: number) => a + n)), [1, 3, 6]],
    ["chunks", () => iter([1, 2, 3, 4, 5]).pipe(chunks(2)), [[1, 2], [3, 4], [5]]],
    [
      "zip",
      () => iter(["a", "b", "c"]).pipe(zip(iter([1, 2]))),
      [
        ["a", 1],
        ["b", 2],
      ],
    ],
    [
      "flatMap",
      () => iter(["a b", "c"]).pipe(flatMap((s: string) => iter(s.split(" ")))),
      ["a", "b", "c"],
    ],
  ] as const)("%s", (_, make, expected) => {
    expect(value(collect()(make() as never))).toEqual(expected);
  });

  it("sinks: fold, count, first, last, toArray", () => {
    expect(value(iter([1, 2, 3]).pipe(fold(0, (a, n) => a + n)))).toBe(6);
    expect(value(iter("abc").pipe(count()))).toBe(3);
    expect(value(iter([4, 5]).pipe(first()))).toBe(4);
    expect(value(iter([]).pipe(first()))).toBeUndefined();
    expect(value(iter([4, 5]).pipe(last()))).toBe(5);
    expect(value(iter([7]).pipe(toArray()))).toEqual([7]);
  });

  it("inspect sees every item and passes it on", () => {
    const seen: number[] = [];
    expect(
      value(
        iter([1, 2]).pipe(
          inspect((n) => seen.push(n)),
          collect(),
        ),
      ),
    ).toEqual([1, 2]);
    expect(seen).toEqual([1, 2]);
  });
});

describe("operators drop what they hold", () => {
  it("take drops an endless source after the last item", () => {
    const src = new HandStream<number>();
    src.push(1, 2, 3);
    const s = src.pipe(take(2));
    s.pollNext(noop);
    expect(src.drops).toBe(0);
    s.pollNext(noop);
    expect(src.drops).toBe(1);
    expect(s.pollNext(noop)).toEqual({ value: { done: true, value: undefined } });
  });

  it("first drops the stream once it has its item", () => {
    const src = new HandStream<number>();
    src.push(1);
    expect(value(src.pipe(first()))).toBe(1);
    expect(src.drops).toBe(1);
  });

  it("an error in a callback drops the source and is rethrown", () => {
    for (const op of [
      map(() => {
        throw new Error("cb");
      }),
      filter(() => {
        throw new Error("cb");
      }),
      scan(0, () => {
        throw new Error("cb");
      }),
      inspect(() => {
        throw new Error("cb");
      }),
    ]) {
      const src = new HandStream<number>();
      src.push(1);
      const s = op(src as never) as HandStream<number>;
      expect(() => s.pollNext(noop)).toThrow("cb");
      expect(src.drops).toBe(1);
    }
  });

  it("dropping a sink drops its stream; dropping zip drops both", () => {
    const a = new HandStream<number>();
    const f = a.pipe(collect());
    expect(f.poll(noop)).toBe(Poll.pending);
    f.drop();
    expect(a.drops).toBe(1);
    const b = new HandStream<number>();
    const c = new HandStream<number>();
    b.pipe(zip(c)).drop();
    expect([b.drops, c.drops]).toEqual([1, 1]);
  });

  it("takeUntil ends when its future completes and drops the source", async () => {
    const sim = new SimExecutor({ seed: 2 });
    let i = 0;
    const got = await sim.run(
      repeatWith(() =>
        future(function* () {
          yield* sleep(10);
          return i++;
        }),
      ).pipe(
        buffered(1),
        takeUntil(sleep(35)),
        fold(0, (n) => n + 1),
      ),
    );
    expect(got).toBe(3);
  });

  it("forEach awaits the future f returns before reading the next item", async () => {
    const log: string[] = [];
    await run(
      iter([1, 2]).pipe(
        forEach((n) =>
          future(function* () {
            log.push(`start ${n}`);
            yield* sleep(1);
            log.push(`end ${n}`);
          }),
        ),
      ),
    );
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
  });
});

describe("operator argument checks", () => {
  it.each([
    [() => take(-1), "take(n): n must be a whole number >= 0, got -1"],
    [() => skip(1.5), "skip(n): n must be a whole number >= 0, got 1.5"],
    [() => chunks(0), "chunks(n): n must be a whole number >= 1, got 0"],
    [() => map(3 as never), "map(f): f must be a function, got number"],
    [() => takeUntil(3 as never), "takeUntil(stop): expected a Future, got number"],
    [() => zip({} as never), "zip(other): expected a Stream, got object"],
    [() => map((x) => x)(new Job("j") as never), "map(f): expected to be applied to a Stream"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});
