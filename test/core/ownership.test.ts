/**
 * One owner per future: the entry points that take a future over refuse an async block that a
 * task already runs, or the same future twice, with a TypeError instead of a silent hang (a
 * future keeps only its latest waker, so a second owner steals the first one's wake-ups).
 */
import { describe, expect, it } from "vitest";
import {
  abortable,
  CancellationToken,
  Future,
  future,
  join,
  joinAll,
  LocalExecutor,
  oneshot,
  Poll,
  PollAfterReadyError,
  pending,
  ready,
  run,
  select,
  sleep,
  timeout,
} from "../../src/index.js";
import { notifyHostExit } from "../../src/node/exit-watch.js";
import { SimExecutor } from "../../src/testing.js";

const ALREADY_RUN = /is already run by a task .*JoinHandle/;

/** A leaf future that stays pending and counts its drops. */
class Counted extends Future<never> {
  drops = 0;
  poll(): Poll<never> {
    return Poll.pending;
  }
  override drop(): void {
    this.drops++;
  }
}

/** A leaf future (not an async block): a oneshot receiver. */
function leaf(): Future<number> {
  return oneshot<number>()[1];
}

describe("the same future twice in one combinator", () => {
  it("join(f, f) throws a TypeError naming both places instead of never settling", () => {
    const f = leaf();
    expect(() => join(f, f)).toThrow(TypeError);
    expect(() => join(ready(0), f, f)).toThrow(
      /^join\(futures\[2\]\): the same Future as at index 1; a future runs once/,
    );
    const block = future(function* () {
      yield* sleep(1);
      return 1;
    });
    expect(() => join(block, block)).toThrow(/join\(futures\[1\]\): the same Future as at index 0/);
  });

  it("joinAll([s, s]) throws at the call", () => {
    const s = sleep(5);
    expect(() => joinAll([s, s])).toThrow(
      /^joinAll\(futures\): element 1: the same Future as at index 0/,
    );
    expect(() => joinAll(new Set<Future<unknown>>([s, leaf()]))).not.toThrow();
  });

  it("a long joinAll with a repeat that stays pending names it in task dumps and deadlocks", async () => {
    const futures = Array.from({ length: 100 }, () => new Counted());
    const list: Future<unknown>[] = [...futures, futures[40] as Counted];
    const ex = new LocalExecutor({ manual: true });
    // Too long to hash every child at the call: the join is made, and hangs when run.
    ex.spawn(joinAll(list), { name: "big join" });
    ex.runUntilStalled();
    expect(ex.tasks()[0]?.waitingOn).toBe(
      "joinAll stuck: joinAll(futures): element 100 is the same Future as at index 40, " +
        "which can wake only one of them",
    );
    ex.shutdown();
    // Every child is dropped; the repeated future once per child holding it (deduplicating
    // would mean hashing every child on every drop of a long join).
    expect(futures.map((f) => f.drops)).toEqual(futures.map((_, i) => (i === 40 ? 2 : 1)));
    const args = Array.from({ length: 17 }, () => leaf() as Future<unknown>);
    const g = new Counted();
    args[16] = g;
    args[3] = g;
    const outcome = run(join(...args)).catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    notifyHostExit();
    expect(String(await outcome)).toMatch(
      /waits on join stuck: join\(futures\[16\]\) is the same Future as at index 3/,
    );
  });

  it("a long joinAll with a repeat that finishes at once fails with PollAfterReadyError", async () => {
    const r = ready(1);
    const list = Array.from({ length: 20 }, (_, i) => (i === 12 ? r : ready(i)));
    list[17] = r;
    await expect(run(joinAll(list))).rejects.toThrow(PollAfterReadyError);
  });

  it("a long select is checked at the call", () => {
    const f = leaf();
    const branches = Array.from({ length: 30 }, () => leaf() as Future<unknown>);
    branches[29] = f;
    branches[7] = f;
    expect(() => select(...branches)).toThrow(/futures\[29\]: the same Future as at index 7/);
  });

  it("select(f, f) and select.biased(f, f) throw", () => {
    const f = leaf();
    expect(() => select(f, f)).toThrow(/^select\(\.\.\.futures\): futures\[1\]: the same Future/);
    expect(() => select.biased(ready(1), f, f)).toThrow(
      /^select\.biased\(\.\.\.futures\): futures\[2\]: the same Future as at index 1/,
    );
  });

  it("pending(), one stateless future shared by all, may appear any number of times", async () => {
    expect(await run(select(pending(), pending(), ready("r")))).toEqual({ index: 2, value: "r" });
    const ex = new LocalExecutor({ manual: true });
    ex.spawn(pending());
    ex.spawn(pending());
    expect(() => joinAll([pending(), pending()])).not.toThrow();
    ex.shutdown();
  });
});

describe("an async block a task already runs", () => {
  const parked = () =>
    future(function* () {
      yield* pending();
    });

  it("spawning it twice throws at the second spawn, not when it is polled", () => {
    const ex = new LocalExecutor({ manual: true });
    const block = parked();
    ex.spawn(block);
    expect(() => ex.spawn(block)).toThrow(TypeError);
    expect(() => ex.spawn(block)).toThrow(/^spawn\(fut\): this Future is already run by a task/);
    ex.shutdown();
  });

  it("joining or racing it throws at once", () => {
    const ex = new LocalExecutor({ manual: true });
    const owned = parked();
    ex.spawn(owned);
    expect(() => join(owned, ready(1))).toThrow(/^join\(futures\[0\]\): this Future is already/);
    expect(() => joinAll<unknown>([ready(1), owned])).toThrow(
      /element 1: this Future is already run/,
    );
    expect(() => select(ready(1), owned)).toThrow(/futures\[1\]: this Future is already run/);
    expect(() => timeout(10, owned)).toThrow(/^timeout\(ms, fut\): fut: this Future is/);
    expect(() => abortable(owned)).toThrow(/^abortable\(fut\): this Future is already run/);
    expect(() => new CancellationToken().runUntilCancelled(owned)).toThrow(ALREADY_RUN);
    expect(() => run(owned)).toThrow(/^run\(fut\): this Future is already run by a task/);
    ex.shutdown();
  });

  it("one run to completion by run() cannot be run again", async () => {
    const block = future(function* () {
      return 3;
    });
    expect(await run(block)).toBe(3);
    expect(() => run(block)).toThrow(ALREADY_RUN);
  });

  it("SimExecutor refuses the same way", async () => {
    const sim = new SimExecutor();
    const block = parked();
    sim.spawn(block);
    expect(() => sim.spawn(block)).toThrow(ALREADY_RUN);
    expect(() => new SimExecutor().run(block)).toThrow(ALREADY_RUN);
    const seen: unknown[] = [];
    await expect(
      sim.run(
        future(function* () {
          try {
            yield* join(block, ready(1));
          } catch (error) {
            seen.push(error);
          }
          return "root done";
        }),
      ),
    ).resolves.toBe("root done");
    expect(seen).toHaveLength(1);
    expect(String(seen[0])).toMatch(ALREADY_RUN);
  });
});
