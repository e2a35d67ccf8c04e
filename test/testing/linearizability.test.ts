/** `History`, `checkLinearizable` and `linearizabilityProperty` (issue 14). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { ready } from "../../src/core/poll-fn.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { History, type Operation } from "../../src/testing/history.js";
import type { LinearizabilityModel } from "../../src/testing/linear-model.js";
import { checkLinearizable } from "../../src/testing/linearizability.js";
import {
  command,
  LinearizabilityError,
  linearizabilityProperty,
} from "../../src/testing/linearizability-property.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { kvModel, LockedCacheAside, RacyCacheAside, type Store } from "./stores.js";

/** A register: write(v) sets it, read() returns it. */
const register: LinearizabilityModel<number> = {
  init: () => 0,
  step: (value, op) =>
    op.name === "write"
      ? (op.input as number)
      : !op.returned || op.output === value
        ? value
        : undefined,
};

let nextId = 0;
/** An operation by hand: [call, return] (return undefined: never returned). */
function op(name: string, input: unknown, output: unknown, call: number, ret?: number): Operation {
  return { id: nextId++, name, input, output, call, return: ret };
}

describe("checkLinearizable on hand-made histories", () => {
  it("a read that overlaps a write may see either value", () => {
    for (const seen of [0, 1]) {
      const result = checkLinearizable(
        [op("write", 1, undefined, 0, 3), op("read", undefined, seen, 1, 2)],
        register,
      );
      expect(result.ok).toBe(true);
    }
  });

  it("a read after a write returned must see it", () => {
    const write = op("write", 1, undefined, 0, 1);
    const read = op("read", undefined, 0, 2, 3);
    const result = checkLinearizable([write, read], register);
    expect(result.ok).toBe(false);
    expect(result.culprit).toBe(read);
    expect(result.window).toEqual([read]);
    expect(result.message).toBe(
      [
        "not linearizable: no order of the operations explains #" +
          `${read.id} read(undefined) → 0, returned at 3.`,
        "Smallest failing window (1 operation; the operations before it leave the state at 1):",
        `  [2–3] #${read.id} read(undefined) → 0`,
      ].join("\n"),
    );
  });

  it("a write that never returned may or may not have taken effect", () => {
    const lost = op("write", 5, undefined, 0);
    expect(checkLinearizable([lost, op("read", undefined, 5, 1, 2)], register).ok).toBe(true);
    expect(checkLinearizable([lost, op("read", undefined, 0, 1, 2)], register).ok).toBe(true);
    expect(checkLinearizable([lost, op("read", undefined, 7, 1, 2)], register).ok).toBe(false);
  });

  it("values cannot go back: two sequential reads see 1 then 0 after a concurrent write", () => {
    const result = checkLinearizable(
      [
        op("write", 1, undefined, 0, 10),
        op("read", undefined, 1, 1, 2),
        op("read", undefined, 0, 3, 4),
      ],
      register,
    );
    expect(result.ok).toBe(false);
    expect(result.window.map((o) => o.name)).toEqual(["write", "read", "read"]);
  });

  it("narrows a long history to the window that fails on its own", () => {
    const ops: Operation[] = [];
    let t = 0;
    for (let v = 1; v <= 200; v++) {
      ops.push(op("write", v, undefined, t, t + 1));
      ops.push(op("read", undefined, v, t + 2, t + 3));
      t += 4;
    }
    const stale = op("read", undefined, 150, t, t + 1);
    ops.push(stale);
    const result = checkLinearizable(ops, register);
    expect(result.ok).toBe(false);
    expect(result.culprit).toBe(stale);
    expect(result.window).toEqual([stale]);
    expect(result.message).toContain("leave the state at 200");
  });

  it("checks partitions apart and counts them", () => {
    const ops = [
      op("put", ["a", 1], undefined, 0, 1),
      op("put", ["b", 2], undefined, 2, 3),
      op("get", ["a"], 1, 4, 5),
      op("get", ["b"], 2, 4, 6),
    ];
    const result = checkLinearizable(ops, kvModel);
    expect(result).toMatchObject({ ok: true, operations: 4, partitions: 2 });
    const bad = [...ops, op("get", ["b"], 1, 7, 8)];
    expect(checkLinearizable(bad, kvModel).ok).toBe(false);
    expect(checkLinearizable(bad, { ...kvModel, partition: undefined }).partitions).toBe(1);
  });

  it("uses the model's equal, describe and states of any shape", () => {
    const calls: string[] = [];
    const result = checkLinearizable([op("inc", undefined, 2, 0, 1)], {
      init: () => ({ n: 0 }),
      step: (s, o) => (o.output === s.n + 1 ? { n: s.n + 1 } : undefined),
      equal: (a, b) => a.n === b.n,
      describe: (o) => {
        calls.push(o.name);
        return `increment, saw ${String(o.output)}`;
      },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("increment, saw 2");
    expect(calls.length).toBeGreaterThan(0);
  });

  it("checks its arguments", () => {
    expect(() => checkLinearizable([], {} as never)).toThrow(TypeError);
    expect(() => checkLinearizable({} as never, register)).toThrow(
      "checkLinearizable(history, model): history must be a History or a list of operations",
    );
  });
});

describe("History", () => {
  it("records calls at the first poll and returns at completion, in one clock", async () => {
    const history = new History();
    const sim = new SimExecutor({ strategy: "fifo" });
    await sim.run(
      future(function* () {
        const slow = spawn(
          history.record(
            "slow",
            [1],
            future(function* () {
              yield* yieldNow();
              return "s";
            }),
          ),
        );
        const quick = history.record("quick", [2], ready("q"));
        yield* yieldNow();
        expect(yield* quick).toBe("q");
        yield* slow;
      }),
    );
    expect(history.operations.map((o) => [o.name, o.call, o.return, o.output])).toEqual([
      ["slow", 0, 3, "s"],
      ["quick", 1, 2, "q"],
    ]);
  });

  it("an operation that throws or is dropped never returns", async () => {
    const history = new History();
    await new SimExecutor().run(
      future(function* () {
        try {
          yield* history.record(
            "boom",
            [],
            future(function* () {
              throw new Error("boom");
            }),
          );
        } catch {}
        const h = spawn(
          history.record(
            "parked",
            [],
            future(function* () {
              yield* yieldNow();
              yield* yieldNow();
              return 1;
            }),
          ),
        );
        yield* yieldNow();
        h.abort();
      }),
    );
    const [boom, parked] = history.operations;
    expect(boom?.return).toBeUndefined();
    expect(boom?.error).toEqual(new Error("boom"));
    expect(parked?.return).toBeUndefined();
  });

  it("checks its arguments", () => {
    expect(() => new History().record("", [], ready(1))).toThrow(TypeError);
    expect(() => new History().record("x", [], 42 as never)).toThrow(TypeError);
  });
});

/** Client 1 writes 1, then two clients race a read and a write, then client 1 reads again. */
function scenario(store: Store, history: History) {
  return future(function* () {
    yield* history.record("put", ["a", 1], store.put("a", 1));
    const reader = spawn(
      future(function* () {
        yield* history.record("get", ["a"], store.get("a"));
        yield* history.record("get", ["a"], store.get("a"));
      }),
    );
    const writer = spawn(history.record("put", ["a", 2], store.put("a", 2)));
    yield* reader;
    yield* writer;
  });
}

describe("a cache-aside store under SimExecutor", () => {
  it("the racy store leaves a stale cache entry: not linearizable, and the window says why", async () => {
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const history = new History();
        await new SimExecutor({ schedule }).run(scenario(new RacyCacheAside(), history));
        const result = checkLinearizable(history, kvModel);
        if (!result.ok) throw new Error(result.message);
      }),
      { seed: 3, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const message = (details.errorInstance as Error).message;
    expect(message).toMatch(
      /^not linearizable: no order of the operations explains #\d+ get\("a"\) → 1/,
    );
    // The put of 2 returned before the window: only the state it left is needed to explain it.
    expect(message).toContain(
      'Smallest failing window (1 operation; the operations before it leave the state at Map{"a" → 2})',
    );
  });

  it("the Mutex-protected store is linearizable under every schedule tried", async () => {
    await fc.assert(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const history = new History();
        await new SimExecutor({ schedule }).run(scenario(new LockedCacheAside(), history));
        const result = checkLinearizable(history, kvModel);
        if (!result.ok) throw new Error(result.message);
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});

describe("linearizabilityProperty(fc, …) with fc.commands", () => {
  const commands = [
    fc
      .tuple(fc.constantFrom("a", "b"), fc.integer({ min: 1, max: 3 }))
      .map(([k, v]) => command("put", [k, v], (store: Store) => store.put(k, v))),
    fc.constantFrom("a", "b").map((k) => command("get", [k], (store: Store) => store.get(k))),
  ];

  it("finds the stale read of the racy store and shrinks it", async () => {
    const details = await fc.check(
      linearizabilityProperty(fc, {
        commands,
        setup: () => new RacyCacheAside(),
        model: kvModel,
        clients: 2,
      }),
      { seed: 1, numRuns: 300 },
    );
    expect(details.failed).toBe(true);
    expect(details.errorInstance).toBeInstanceOf(LinearizabilityError);
    const error = details.errorInstance as LinearizabilityError;
    expect(error.result.ok).toBe(false);
    expect(error.message).toContain("schedule: ");
    expect(fc.stringify(details.counterexample)).toMatch(/put\(/);
  });

  it("passes for the Mutex-protected store", async () => {
    await fc.assert(
      linearizabilityProperty(fc, {
        commands,
        setup: () => new LockedCacheAside(),
        model: kvModel,
      }),
      { seed: 1, numRuns: 150 },
    );
  });

  it("checks its arguments", () => {
    expect(() => linearizabilityProperty(undefined as never, {} as never)).toThrow(TypeError);
    expect(() =>
      linearizabilityProperty(fc, {
        commands,
        setup: () => 1,
        model: kvModel,
        clients: 0,
      } as never),
    ).toThrow(RangeError);
    expect(() => command("", [], () => ready(1))).toThrow(TypeError);
  });
});
