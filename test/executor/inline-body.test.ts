/**
 * A task spawned with an async block nobody has polled runs the block's body itself (one object
 * fewer per task). It must behave exactly like a task polling the block: laziness, arguments,
 * dumps, errors, abort and drop order, and the block left behind is an inert shell.
 */
import { describe, expect, it } from "vitest";
import { asyncFn, future } from "../../src/core/async-block.js";
import { AwaitDuringDropError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { noopContext } from "../../src/testing/wakers.js";
import { Gate } from "../core/helpers.js";

function manual(errors: unknown[] = []): LocalExecutor {
  return new LocalExecutor({ manual: true, onUnhandledError: (e) => errors.push(e) });
}

describe("a spawned async block runs inline in its task", () => {
  it("starts the body on the first poll only, with its arguments and `this`", () => {
    const ex = manual();
    const seen: unknown[] = [];
    const obj = {
      base: 100,
      add: asyncFn(function* (this: { base: number }, a: number, b: number) {
        seen.push("started");
        return this.base + a + b;
      }),
    };
    const one = asyncFn(function* (x: string) {
      return x;
    });
    const h1 = ex.spawn(obj.add(1, 2));
    const h2 = ex.spawn(one("solo"));
    expect(seen).toEqual([]);
    ex.runUntilStalled();
    expect(seen).toEqual(["started"]);
    const out = future(function* () {
      return [yield* h1, yield* h2];
    }).poll(noopContext());
    expect(Poll.isReady(out) && out.value).toEqual([103, "solo"]);
  });

  it("shows the body's name before it starts, then what it waits on", () => {
    const ex = manual();
    const gate = new Gate("the gate");
    const fetchUser = asyncFn(function* fetchUser(_id: number) {
      yield* gate;
      yield* yieldNow();
    });
    ex.spawn(fetchUser(7));
    expect(ex.tasks()[0]?.waitingOn).toBe("fetchUser (not started)");
    ex.runUntilStalled();
    expect(ex.tasks()[0]?.waitingOn).toBe("the gate");
    gate.resolve();
    ex.tryRunOne();
    expect(ex.tasks()[0]?.waitingOn).toBe("yieldNow");
    ex.runUntilStalled();
    expect(ex.tasks()).toEqual([]);
  });

  it("a body that throws, at once or after a suspension, fails the task with its error", async () => {
    const ex = new LocalExecutor();
    const boom = new Error("boom");
    const early = asyncFn(function* (_x: number) {
      throw boom;
    });
    const late = future(function* () {
      yield* yieldNow();
      throw boom;
    });
    const outcome = await ex.run(
      future(function* () {
        const errors: unknown[] = [];
        for (const h of [ex.spawn(early(1)), ex.spawn(late)]) {
          try {
            yield* h;
          } catch (error) {
            errors.push(error);
          }
        }
        return errors;
      }),
    );
    expect(outcome).toHaveLength(2);
    for (const e of outcome) {
      expect((e as { isPanic: boolean }).isPanic).toBe(true);
      expect((e as Error).cause).toBe(boom);
    }
  });

  it("abort before the first poll: the body never runs", () => {
    const ex = manual();
    let ran = false;
    const h = ex.spawn(
      future(function* () {
        ran = true;
      }),
    );
    h.abort();
    ex.runUntilStalled();
    expect(ran).toBe(false);
    expect(h.isFinished).toBe(true);
  });

  it("abort while suspended: drops the awaited future first, then runs finally once", () => {
    const ex = manual();
    const log: string[] = [];
    const gate = new Gate("inner");
    const h = ex.spawn(
      future(function* () {
        try {
          yield* gate;
        } finally {
          log.push(`finally (gate dropped: ${gate.isDropped})`);
        }
      }),
    );
    ex.runUntilStalled();
    h.abort();
    ex.runUntilStalled();
    expect(log).toEqual(["finally (gate dropped: true)"]);
    expect(gate.drops).toBe(1);
    ex.shutdown();
    expect(log).toHaveLength(1);
  });

  it("a finally that awaits during shutdown gets AwaitDuringDropError, reported", () => {
    const errors: unknown[] = [];
    const ex = manual(errors);
    ex.spawn(
      future(function* () {
        try {
          yield* new Gate();
        } finally {
          yield* yieldNow();
        }
      }),
    );
    ex.runUntilStalled();
    ex.shutdown();
    expect(errors.some((e) => e instanceof AwaitDuringDropError)).toBe(true);
  });

  it("leaves the spawned block an inert shell: polling it throws, dropping it does nothing", () => {
    const ex = manual();
    let runs = 0;
    const block = future(function* () {
      runs++;
      return 1;
    });
    ex.spawn(block);
    expect(block.describe()).toBe("moved into a task");
    expect(() => block.poll(noopContext())).toThrow(/moved it into a task/);
    block.drop();
    ex.runUntilStalled();
    expect(runs).toBe(1);
  });

  it("a block already polled is spawned as an ordinary future and finishes where it was", () => {
    const ex = manual();
    const gate = new Gate<number>();
    const block = future(function* () {
      return (yield* gate) + 1;
    });
    expect(block.poll(noopContext())).toBe(Poll.pending);
    const h = ex.spawn(block);
    ex.runUntilStalled();
    expect(ex.tasks()[0]?.waitingOn).toBe("gate");
    gate.resolve(41);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    const out = future(function* () {
      return yield* h;
    }).poll(noopContext());
    expect(Poll.isReady(out) && out.value).toBe(42);
  });
});
