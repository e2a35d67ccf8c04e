import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { RuntimeContext, withExecutor } from "../../src/executor.js";
import {
  type Future,
  future,
  LocalExecutor,
  Poll,
  PollAfterReadyError,
  pending,
  ready,
  run,
  select,
} from "../../src/index.js";
import { contextOf, countingWaker, Leaf, violations } from "./helpers.js";

afterEach(() => {
  expect(violations).toEqual([]);
  violations.length = 0;
});

/** A runtime context whose random source returns the given values in turn. */
function stubExecutor(randoms: number[]): RuntimeContext {
  let i = 0;
  return new RuntimeContext({}, { random: () => randoms[i++ % randoms.length] as number });
}

describe("select", () => {
  it("gives the first branch to finish and drops the others before returning", () => {
    const log: string[] = [];
    const a = new Leaf<number>("a", log);
    const b = new Leaf<string>("b", log);
    const c = new Leaf<boolean>("c", log);
    const s = select(a, b, c);
    expectTypeOf(s).toEqualTypeOf<
      Future<
        | { readonly index: 0; readonly value: number }
        | { readonly index: 1; readonly value: string }
        | { readonly index: 2; readonly value: boolean }
      >
    >();
    const cx = contextOf(countingWaker());
    expect(s.poll(cx)).toBe(Poll.pending);
    b.resolve("won");
    const p = s.poll(cx);
    log.push("returned");
    expect(p).toEqual({ value: { index: 1, value: "won" } });
    expect(log).toEqual(["drop a", "drop c", "returned"]);
    expect(() => s.poll(cx)).toThrow(PollAfterReadyError);
    const polls = a.polls;
    a.resolve(1); // a loser's late wake-up does nothing
    expect(a.polls).toBe(polls);
  });

  it("narrows the value type by index", async () => {
    const r = await run(select(ready(1), pending<string>()));
    if (r.index === 0) expectTypeOf(r.value).toEqualTypeOf<number>();
    else expectTypeOf(r.value).toEqualTypeOf<string>();
    expect(r).toEqual({ index: 0, value: 1 });
  });

  it("runs the losers' finally blocks at once", async () => {
    const cleaned: string[] = [];
    const loser = future(function* () {
      try {
        yield* pending();
      } finally {
        cleaned.push("loser");
      }
    });
    const winner = future(function* () {
      return "w";
    });
    const r = await run(
      future(function* () {
        // biased, so the loser starts (and enters its try block) before the winner finishes
        const r = yield* select.biased(loser, winner);
        cleaned.push("after select");
        return r;
      }),
    );
    expect(r).toEqual({ index: 1, value: "w" });
    expect(cleaned).toEqual(["loser", "after select"]);
  });

  it("is fair: each poll starts at the branch drawn from the executor's random()", () => {
    const cx = contextOf(countingWaker());
    // random 0.7 with 3 branches starts at branch 2
    const r1 = withExecutor(stubExecutor([0.7]), () =>
      select(ready("a"), ready("b"), ready("c")).poll(cx),
    );
    expect(r1).toEqual({ value: { index: 2, value: "c" } });
    const r2 = withExecutor(stubExecutor([0.4]), () =>
      select(ready("a"), ready("b"), ready("c")).poll(cx),
    );
    expect(r2).toEqual({ value: { index: 1, value: "b" } });
    // starting at 2 and wrapping around: 2 is pending, so 0 wins
    const r3 = withExecutor(stubExecutor([0.9]), () =>
      select(ready("a"), pending<string>(), pending<string>()).poll(cx),
    );
    expect(r3).toEqual({ value: { index: 0, value: "a" } });
  });

  it("gives an always-ready branch no monopoly under a fair random source", () => {
    const wins = [0, 0];
    const ex = stubExecutor([0.1, 0.6, 0.3, 0.8]);
    const cx = contextOf(countingWaker());
    for (let i = 0; i < 8; i++) {
      const p = withExecutor(ex, () => select(ready(0), ready(1)).poll(cx));
      const index = (p as { value: { index: number } }).value.index;
      wins[index] = (wins[index] ?? 0) + 1;
    }
    expect(wins).toEqual([4, 4]);
  });

  it("select.biased polls in order", () => {
    const cx = contextOf(countingWaker());
    const r = withExecutor(stubExecutor([0.99]), () =>
      select.biased(ready("first"), ready("second")).poll(cx),
    );
    expect(r).toEqual({ value: { index: 0, value: "first" } });
  });

  it("a branch that throws propagates its error after the others were dropped", () => {
    const log: string[] = [];
    const a = new Leaf<number>("a", log);
    const b = new Leaf<number>("b", log);
    const s = select.biased(a, b);
    const cx = contextOf(countingWaker());
    s.poll(cx);
    b.reject(new Error("bad"));
    expect(() => s.poll(cx)).toThrow("bad");
    expect(log).toEqual(["drop a"]);
    expect(b.drops).toBe(0);
  });

  it("dropping the select drops every branch once", () => {
    const a = new Leaf<number>("a");
    const b = new Leaf<number>("b");
    const s = select(a, b);
    s.poll(contextOf(countingWaker()));
    expect(s.describe()).toBe("select(a | b)");
    s.drop();
    s.drop();
    expect([a.drops, b.drops]).toEqual([1, 1]);
  });

  it("works under LocalExecutor and wakes on the branch that becomes ready", () => {
    const ex = new LocalExecutor({ manual: true });
    const a = new Leaf<number>("a");
    const b = new Leaf<number>("b");
    const h = ex.spawn(select(a, b));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    a.resolve(7);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(b.drops).toBe(1);
  });

  it("rejects bad input eagerly", () => {
    expect(() => select()).toThrow(TypeError);
    expect(() => select(ready(1), 2 as never)).toThrow(/select\(...futures\): futures\[1\]/);
    expect(() => select.biased(null as never)).toThrow(TypeError);
  });
});
