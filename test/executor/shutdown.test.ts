/**
 * Shutdown drops every task left when the root finishes, however many rounds it takes: a
 * dropped task may spawn another (a `drop()` or `finally` that spawns), which is dropped in the
 * next round, never polled. Drops that keep spawning forever end with a clear error.
 */
import { describe, expect, it } from "vitest";
import {
  type Context,
  Future,
  future,
  LocalExecutor,
  Poll,
  pending,
  run,
  spawn,
  yieldNow,
} from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";

interface Log {
  polls: number;
  pollsAfterRoot: number;
  drops: number;
  rootDone: boolean;
}

/** A task future whose drop spawns the next link of the chain (`left` more of them). */
class Link extends Future<void> {
  readonly #left: number;
  readonly #log: Log;
  constructor(left: number, log: Log) {
    super();
    this.#left = left;
    this.#log = log;
  }
  poll(_cx: Context): Poll<void> {
    this.#log.polls++;
    if (this.#log.rootDone) this.#log.pollsAfterRoot++;
    return Poll.pending;
  }
  override drop(): void {
    this.#log.drops++;
    if (this.#left > 0) spawn(new Link(this.#left - 1, this.#log), { name: `link ${this.#left}` });
  }
}

function newLog(): Log {
  return { polls: 0, pollsAfterRoot: 0, drops: 0, rootDone: false };
}

/** A root that starts a chain of `depth` links and returns once the first one was polled. */
function chainRoot(depth: number, log: Log): Future<string> {
  return future(function* () {
    spawn(new Link(depth - 1, log));
    yield* yieldNow();
    yield* yieldNow();
    log.rootDone = true;
    return "root done";
  });
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe("shutdown of a drop() chain", () => {
  it("run() drops a chain 150 deep to the end; no link is polled after the root finished", async () => {
    const log = newLog();
    const errors: unknown[] = [];
    const value = await run(chainRoot(150, log), { onUnhandledError: (e) => errors.push(e) });
    await macrotask();
    await macrotask();
    expect(value).toBe("root done");
    expect(log.drops).toBe(150);
    expect(log.polls).toBe(1);
    expect(log.pollsAfterRoot).toBe(0);
    expect(errors).toEqual([]);
  });

  it("LocalExecutor.shutdown() leaves no task alive after a chain 5,000 deep", () => {
    const log = newLog();
    const ex = new LocalExecutor({ manual: true });
    ex.spawn(new Link(4999, log));
    ex.runUntilStalled();
    ex.shutdown();
    expect(log.drops).toBe(5000);
    expect(ex.tasks()).toEqual([]);
    ex.runUntilStalled(); // the dropped links left in the queue are skipped, not polled
    expect(log.polls).toBe(1);
  });

  it("SimExecutor drops a chain 150 deep too", async () => {
    const log = newLog();
    const sim = new SimExecutor({ strategy: "fifo" });
    await expect(sim.run(chainRoot(150, log))).resolves.toBe("root done");
    expect(log.drops).toBe(150);
    expect(log.pollsAfterRoot).toBe(0);
    expect(sim.tasks()).toEqual([]);
  });
});

/** A task future whose drop spawns another like it: a true cycle. */
class Hydra extends Future<void> {
  static drops = 0;
  static polls = 0;
  poll(): Poll<void> {
    Hydra.polls++;
    return Poll.pending;
  }
  override drop(): void {
    Hydra.drops++;
    spawn(new Hydra(), { name: "hydra" });
  }
}

describe("shutdown when drops spawn forever", () => {
  it("LocalExecutor stops with an error naming the task it gave up on, without hanging", () => {
    Hydra.drops = 0;
    Hydra.polls = 0;
    const errors: unknown[] = [];
    const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => errors.push(e) });
    ex.spawn(new Hydra(), { name: "hydra" });
    ex.spawn(pending(), { name: "bystander" });
    ex.runUntilStalled();
    ex.shutdown();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(
      /shutdown: dropping tasks kept spawning new ones for 10000 rounds/,
    );
    expect(String(errors[0])).toMatch(/#\d+ \(hydra\) waits on Hydra/);
    expect(Hydra.drops).toBe(10_000);
    // The task given up on is finished without being dropped, so nothing spawns again.
    expect(ex.tasks()).toEqual([]);
    ex.runUntilStalled();
    expect(Hydra.drops).toBe(10_000);
    expect(Hydra.polls).toBe(1);
  });

  it("run() reports it and settles", async () => {
    Hydra.drops = 0;
    const errors: unknown[] = [];
    const value = await run(
      future(function* () {
        spawn(new Hydra());
        yield* yieldNow();
        return "root done";
      }),
      { onUnhandledError: (e) => errors.push(e) },
    );
    expect(value).toBe("root done");
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/kept spawning new ones/);
  });

  it("SimExecutor rejects the run with that error unless onUnhandledError takes it", async () => {
    Hydra.drops = 0;
    const sim = new SimExecutor();
    await expect(
      sim.run(
        future(function* () {
          spawn(new Hydra());
          yield* yieldNow();
          return "root done";
        }),
      ),
    ).rejects.toThrow(/kept spawning new ones/);
    expect(sim.tasks()).toEqual([]);
  });
});
