import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import type { Context } from "../../src/core/context.js";
import { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { pending, pollFn } from "../../src/core/poll-fn.js";
import type { Waker } from "../../src/core/waker.js";
import { currentExecutor } from "../../src/executor/executor.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { ManualClock } from "../../src/time/clock.js";
import { Gate, macrotask } from "../core/helpers.js";

/** A future that records each poll in `log` and stays pending until `finish()`. */
class Probe extends Future<string> {
  polls = 0;
  waker: Waker | undefined;
  done = false;
  wakeSelfOnPoll = 0;
  constructor(
    readonly name: string,
    readonly log: string[],
  ) {
    super();
  }
  poll(cx: Context): Poll<string> {
    this.polls++;
    this.log.push(this.name);
    this.waker = cx.waker;
    for (; this.wakeSelfOnPoll > 0; this.wakeSelfOnPoll--) cx.waker.wake();
    return this.done ? Poll.ready(this.name) : Poll.pending;
  }
  override describe(): string {
    return `probe ${this.name}`;
  }
}

describe("LocalExecutor (manual)", () => {
  it("spawn never polls on the spot; it queues", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    const p = new Probe("a", log);
    const h = ex.spawn(p);
    expect(p.polls).toBe(0);
    expect(h.isFinished).toBe(false);
    expect(ex.tasks().map((t) => t.state)).toEqual(["scheduled"]);
    expect(ex.tryRunOne()).toBe(true);
    expect(p.polls).toBe(1);
  });

  it("tryRunOne returns whether it polled a task", () => {
    const ex = new LocalExecutor({ manual: true });
    expect(ex.tryRunOne()).toBe(false);
    const p = new Probe("a", []);
    ex.spawn(p);
    expect(ex.tryRunOne()).toBe(true);
    expect(ex.tryRunOne()).toBe(false);
    p.waker?.wake();
    expect(ex.tryRunOne()).toBe(true);
    expect(p.polls).toBe(2);
  });

  it("the ready queue is FIFO in wake order", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    const probes = ["a", "b", "c"].map((n) => new Probe(n, log));
    for (const p of probes) ex.spawn(p);
    expect(ex.runUntilStalled()).toBe(3);
    expect(log).toEqual(["a", "b", "c"]);
    log.length = 0;
    probes[2]?.waker?.wake();
    probes[0]?.waker?.wake();
    probes[1]?.waker?.wake();
    ex.runUntilStalled();
    expect(log).toEqual(["c", "a", "b"]);
  });

  it("a task is never queued twice: repeated wakes before its poll give one poll", () => {
    const ex = new LocalExecutor({ manual: true });
    const p = new Probe("a", []);
    ex.spawn(p);
    ex.runUntilStalled();
    for (let i = 0; i < 5; i++) p.waker?.wake();
    expect(ex.tasks()[0]?.state).toBe("scheduled");
    expect(ex.runUntilStalled()).toBe(1);
    expect(p.polls).toBe(2);
  });

  it("a wake during the task's own poll is not lost: the task is polled again, once", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    const a = new Probe("a", log);
    const b = new Probe("b", log);
    a.wakeSelfOnPoll = 3;
    ex.spawn(a);
    ex.spawn(b);
    expect(ex.runUntilStalled()).toBe(3);
    // re-queued behind b, and only once despite three wakes
    expect(log).toEqual(["a", "b", "a"]);
    expect(ex.tasks().map((t) => t.state)).toEqual(["idle", "idle"]);
  });

  it("a wake after the task finished does nothing", () => {
    const ex = new LocalExecutor({ manual: true });
    const p = new Probe("a", []);
    p.done = true;
    const h = ex.spawn(p);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    p.waker?.wake();
    expect(ex.tryRunOne()).toBe(false);
    expect(p.polls).toBe(1);
  });

  it("runUntilStalled polls until nothing is ready and returns how many polls it made", () => {
    const ex = new LocalExecutor({ manual: true });
    let n = 0;
    const h = ex.spawn(
      future(function* () {
        for (let i = 0; i < 4; i++) {
          n++;
          yield* yieldNow();
        }
        return n;
      }),
    );
    expect(ex.runUntilStalled()).toBe(5);
    expect(h.isFinished).toBe(true);
    expect(ex.runUntilStalled()).toBe(0);
  });

  it("nothing runs without a step in manual mode", async () => {
    const ex = new LocalExecutor({ manual: true });
    const p = new Probe("a", []);
    ex.spawn(p);
    await macrotask();
    expect(p.polls).toBe(0);
  });

  it("tasks() is a snapshot of live tasks, oldest first, with id, name, state, polls, waitingOn", () => {
    const ex = new LocalExecutor({ manual: true, clock: new ManualClock() });
    const gate = new Gate("the gate");
    const a = ex.spawn(
      future(function* () {
        yield* gate;
      }),
      { name: "waiter" },
    );
    const b = ex.spawn(pending());
    const snapshot = ex.tasks();
    const fresh = { parent: undefined, age: 0, sinceLastPoll: undefined };
    expect(snapshot).toEqual([
      {
        id: a.id,
        name: "waiter",
        state: "scheduled",
        polls: 0,
        waitingOn: expect.any(String),
        ...fresh,
      },
      { id: b.id, name: undefined, state: "scheduled", polls: 0, waitingOn: "pending()", ...fresh },
    ]);
    expect(Object.keys(snapshot[0] ?? {}).sort()).toEqual(
      ["id", "name", "polls", "state", "waitingOn", "parent", "age", "sinceLastPoll"].sort(),
    );
    expect(a.id).not.toBe(b.id);
    ex.runUntilStalled();
    expect(snapshot[0]?.polls).toBe(0); // a snapshot does not change afterwards
    const polled = { parent: undefined, age: 0, sinceLastPoll: 0 };
    expect(ex.tasks()).toEqual([
      { id: a.id, name: "waiter", state: "idle", polls: 1, waitingOn: "the gate", ...polled },
      { id: b.id, name: undefined, state: "idle", polls: 1, waitingOn: "pending()", ...polled },
    ]);
    gate.resolve(undefined);
    expect(ex.tasks()[0]?.state).toBe("scheduled");
    ex.runUntilStalled();
    expect(ex.tasks().map((t) => t.id)).toEqual([b.id]);
  });

  it("tasks() shows a task as running from inside its own poll", () => {
    const ex = new LocalExecutor({ manual: true });
    let seen: string | undefined;
    ex.spawn(
      pollFn(() => {
        seen = ex.tasks()[0]?.state;
        return Poll.ready(1);
      }),
    );
    ex.runUntilStalled();
    expect(seen).toBe("running");
  });

  it("is the current executor while it polls, and only then", () => {
    const ex = new LocalExecutor({ manual: true });
    let inside: unknown;
    ex.spawn(
      pollFn(() => {
        inside = currentExecutor();
        return Poll.ready(undefined);
      }),
    );
    expect(currentExecutor()).toBeUndefined();
    ex.tryRunOne();
    expect(inside).toBe(ex);
    expect(currentExecutor()).toBeUndefined();
  });

  it("spawn from inside a task queues onto the same executor, behind the others", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    ex.spawn(
      future(function* () {
        log.push("parent");
        spawn(
          pollFn(() => {
            log.push("child");
            return Poll.ready(undefined);
          }),
        );
        log.push("parent after spawn");
      }),
    );
    ex.spawn(
      pollFn(() => {
        log.push("sibling");
        return Poll.ready(undefined);
      }),
    );
    ex.runUntilStalled();
    expect(log).toEqual(["parent", "parent after spawn", "sibling", "child"]);
  });

  it("shutdown() (and dispose) drops every live task; their finally blocks run", () => {
    const log: string[] = [];
    const body = (name: string) =>
      future(function* () {
        try {
          yield* pending();
        } finally {
          log.push(name);
        }
      });
    {
      using ex = new LocalExecutor({ manual: true });
      const a = ex.spawn(body("a"));
      ex.spawn(body("never polled"));
      ex.tryRunOne();
      expect(a.isFinished).toBe(false);
      void a;
    }
    // the unpolled task's body never started, so only "a" has cleanup to run
    expect(log).toEqual(["a"]);
  });

  it("validates its options", () => {
    expect(() => new LocalExecutor(null as never)).toThrow(TypeError);
    expect(() => new LocalExecutor({ onUnhandledError: 1 as never })).toThrow(
      /onUnhandledError must be a function/,
    );
    expect(() => new LocalExecutor({ budgetPolls: 0 })).toThrow(RangeError);
    expect(() => new LocalExecutor({ budgetPolls: 0 })).toThrow(/budgetPolls/);
    expect(() => new LocalExecutor({ budgetMs: -1 })).toThrow(/budgetMs/);
    expect(() => new LocalExecutor({ budgetMs: Number.NaN })).toThrow(RangeError);
  });

  it("spawn validates its arguments eagerly", () => {
    const ex = new LocalExecutor({ manual: true });
    expect(() => ex.spawn(42 as never)).toThrow(TypeError);
    expect(() => ex.spawn(42 as never)).toThrow(/spawn\(fut\): expected a Future, got number/);
    expect(() => ex.spawn(pending(), { name: 3 as never })).toThrow(/options\.name/);
    expect(ex.tasks()).toEqual([]);
  });
});

describe("LocalExecutor (automatic)", () => {
  it("drains spawned tasks on its own, after the current synchronous code", async () => {
    const ex = new LocalExecutor();
    const log: string[] = [];
    const h = ex.spawn(
      future(function* () {
        log.push("ran");
        yield* yieldNow();
        return 5;
      }),
    );
    expect(log).toEqual([]);
    await macrotask();
    expect(log).toEqual(["ran"]);
    expect(h.isFinished).toBe(true);
  });

  it("an external wake schedules the next drain", async () => {
    const ex = new LocalExecutor();
    const gate = new Gate<number>();
    const h = ex.spawn(gate);
    await macrotask();
    expect(gate.polls).toBe(1);
    gate.resolve(3);
    expect(gate.polls).toBe(1);
    await macrotask();
    expect(gate.polls).toBe(2);
    expect(h.isFinished).toBe(true);
  });
});

describe("LocalExecutor.shutdown from inside a task", () => {
  it("drops the other tasks at once and the calling task when its poll returns", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    ex.spawn(
      future(function* () {
        try {
          yield* pending();
        } finally {
          log.push("other dropped");
        }
      }),
    );
    ex.runUntilStalled();
    const caller = ex.spawn(
      future(function* () {
        try {
          ex.shutdown();
          log.push("shutdown returned");
          yield* pending();
        } finally {
          log.push("caller dropped");
        }
      }),
    );
    ex.runUntilStalled();
    expect(log).toEqual(["other dropped", "shutdown returned", "caller dropped"]);
    expect(caller.isFinished).toBe(true);
    expect(ex.tasks()).toEqual([]);
  });
});
