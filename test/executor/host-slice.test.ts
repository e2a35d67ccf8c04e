import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run, spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";

const HARD_CAP = 1_000_000;

/**
 * A root that yields forever until a host callback (registered on its first poll by `arm`)
 * has run; resolves with the number of polls made before the callback ran.
 */
function spinUntilHost(arm: (onHost: () => void) => void) {
  return future(function* () {
    let polls = 0;
    let pollsAtHost = -1;
    arm(() => {
      pollsAtHost = polls;
    });
    while (pollsAtHost < 0) {
      if (++polls > HARD_CAP) throw new Error("host callback starved");
      yield* yieldNow();
    }
    return pollsAtHost;
  });
}

describe("host time slice (the budgetPolls / budgetMs options)", () => {
  it("a task that yields forever does not starve setImmediate: it runs after at most budgetPolls polls", async () => {
    const pollsAtHost = await new LocalExecutor({ budgetPolls: 64, budgetMs: 1e9 }).run(
      spinUntilHost((cb) => setImmediate(cb)),
    );
    expect(pollsAtHost).toBeGreaterThan(0);
    expect(pollsAtHost).toBeLessThanOrEqual(64);
  });

  it("with the default budget (1024 polls), setImmediate runs within one slice", async () => {
    const pollsAtHost = await run(spinUntilHost((cb) => setImmediate(cb)));
    expect(pollsAtHost).toBeGreaterThan(0);
    expect(pollsAtHost).toBeLessThanOrEqual(1024);
  });

  it("a setTimeout callback gets its turn while a task yields forever", async () => {
    const pollsAtHost = await run(spinUntilHost((cb) => setTimeout(cb, 0)));
    expect(pollsAtHost).toBeGreaterThan(0);
    expect(pollsAtHost).toBeLessThan(HARD_CAP);
  });

  it("a host callback runs before a flood of spawned tasks completes", async () => {
    const N = 5000;
    let completed = 0;
    let completedAtHost = -1;
    await new LocalExecutor({ budgetPolls: 256, budgetMs: 1e9 }).run(
      future(function* () {
        setImmediate(() => {
          completedAtHost = completed;
        });
        const handles = [];
        for (let i = 0; i < N; i++) {
          handles.push(
            spawn(
              future(function* () {
                yield* yieldNow();
                completed++;
              }),
            ),
          );
        }
        for (const h of handles) yield* h;
      }),
    );
    expect(completed).toBe(N);
    expect(completedAtHost).toBeGreaterThanOrEqual(0);
    expect(completedAtHost).toBeLessThan(N);
  });

  it("the manual executor's run() also yields to the host", async () => {
    const pollsAtHost = await new LocalExecutor({
      manual: true,
      budgetPolls: 32,
      budgetMs: 1e9,
    }).run(spinUntilHost((cb) => setImmediate(cb)));
    expect(pollsAtHost).toBeLessThanOrEqual(32);
  });
});
