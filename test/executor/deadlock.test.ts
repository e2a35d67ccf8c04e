/**
 * A deadlock under run(): when the host is about to exit (Node's `beforeExit`) while the root is
 * still pending, run() rejects with a DeadlockError naming every live task and what it waits
 * on, after dropping them. In-process tests stand in for `beforeExit` with notifyHostExit()
 * (a test process never gets to exit); the child-process tests use the real event.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { deadlockReport } from "../../src/executor/deadlock.js";
import {
  DeadlockError,
  future,
  LocalExecutor,
  oneshot,
  pending,
  ready,
  run,
  spawn,
} from "../../src/index.js";
import { notifyHostExit } from "../../src/node/exit-watch.js";
import { DeadlockError as TestingDeadlockError } from "../../src/testing.js";

const listeners = (): number => process.listenerCount("beforeExit");
const baseline = listeners();

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function settle<T>(p: Promise<T>): Promise<unknown> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );
}

afterEach(() => {
  expect(listeners()).toBe(baseline);
});

describe("run() when the host is about to exit", () => {
  it("rejects with a DeadlockError naming every live task and what it waits on", async () => {
    const cleaned: string[] = [];
    const [tx, rx] = oneshot<number>();
    const outcome = settle(
      run(
        future(function* () {
          const waiter = spawn(
            future(function* () {
              try {
                return yield* rx;
              } finally {
                cleaned.push("waiter");
              }
            }),
            { name: "waiter" },
          );
          spawn(pending(), { name: "idler" });
          try {
            return yield* waiter;
          } finally {
            cleaned.push("root");
          }
        }),
      ),
    );
    await macrotask();
    expect(listeners()).toBe(baseline + 1);
    notifyHostExit();
    const error = await outcome;
    expect(error).toBeInstanceOf(DeadlockError);
    const d = error as DeadlockError;
    expect(d.tasks.map((t) => [t.name, t.waitingOn])).toEqual([
      ["root", "JoinHandle(#2 (waiter))"],
      ["waiter", "oneshot receiver"],
      ["idler", "pending()"],
    ]);
    expect(d.message).toMatch(/^deadlock: run\(\)'s root is still pending but the host is about/);
    expect(d.message).toMatch(/3 tasks wait and nothing can wake them/);
    expect(d.message).toMatch(/\n {2}#2 \(waiter\) waits on oneshot receiver/);
    expect(d.schedule).toBeUndefined();
    expect(d.now).toBeUndefined();
    // Every task was dropped, the root included: their cleanup ran.
    expect(cleaned.sort()).toEqual(["root", "waiter"]);
    void tx;
  });

  it("watches with one listener for many pending runs, and tells the oldest first", async () => {
    const runs = Array.from({ length: 50 }, (_, i) =>
      settle(new LocalExecutor().run(pending<number>())).then((e) => [i, e]),
    );
    const order: number[] = [];
    for (const r of runs) void r.then(([i]) => order.push(i as number));
    await macrotask();
    expect(listeners()).toBe(baseline + 1);
    for (let i = 0; i < 50; i++) notifyHostExit();
    const results = await Promise.all(runs);
    expect(results.every(([, e]) => e instanceof DeadlockError)).toBe(true);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(listeners()).toBe(baseline);
  });

  it("a run that finishes stops watching, and one that never waits leaves nothing behind", async () => {
    const [tx, rx] = oneshot<string>();
    const p = run(rx);
    await macrotask();
    expect(listeners()).toBe(baseline + 1);
    tx.send("done");
    expect(await p).toBe("done");
    expect(listeners()).toBe(baseline);
    expect(await run(ready(1))).toBe(1);
    expect(listeners()).toBe(baseline);
    notifyHostExit(); // nothing is watched: a no-op
  });

  it("a failing root stops watching too", async () => {
    await expect(
      run(
        future(function* () {
          throw new Error("boom");
        }),
      ),
    ).rejects.toThrow("boom");
    expect(listeners()).toBe(baseline);
  });

  it("is the same DeadlockError class from wakeful and wakeful/testing", () => {
    expect(TestingDeadlockError).toBe(DeadlockError);
  });
});

describe("deadlockReport", () => {
  const tasks = [
    {
      id: 1,
      name: "root",
      state: "idle" as const,
      polls: 1,
      waitingOn: "oneshot receiver",
      parent: undefined,
      age: 0,
      sinceLastPoll: 0,
    },
    {
      id: 4,
      name: undefined,
      state: "idle" as const,
      polls: 2,
      waitingOn: "pending()",
      parent: 1,
      age: 0,
      sinceLastPoll: 0,
    },
  ];

  it("under run(): names the host exit and each task, with no replay line", () => {
    expect(deadlockReport(tasks)).toBe(
      "deadlock: run()'s root is still pending but the host is about to exit: 2 tasks wait " +
        "and nothing can wake them (no timer, I/O or other outside work is left)\n" +
        "  #1 (root) waits on oneshot receiver\n" +
        "  #4 waits on pending()",
    );
  });

  it("under a simulation: the virtual time and how to replay, and why nothing can wake them", () => {
    expect(deadlockReport(tasks.slice(0, 1), "w1:.abc", 12)).toBe(
      "deadlock: 1 task waits and nothing can wake them (no ready task, no timer, no outside " +
        'work)\n  #1 (root) waits on oneshot receiver\nat virtual time 12 ms; replay with SimExecutor.replay("w1:.abc")',
    );
    expect(deadlockReport(tasks.slice(0, 1), "w1:.abc", 12, true)).toMatch(
      /\(the host is about to exit, so the outside work they wait on can never finish\)/,
    );
  });
});

const fixture = fileURLToPath(new URL("./fixtures/deadlock-exit.ts", import.meta.url));

function child(mode: string) {
  return spawnSync(process.execPath, ["--import", "tsx", fixture, mode], {
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("deadlock at exit, in a fresh process", () => {
  it("an uncaught deadlock fails the process loudly, naming the tasks (not a silent exit 13)", () => {
    const result = child("uncaught");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DeadlockError: deadlock: run()'s root is still pending");
    expect(result.stderr).toContain("#1 (root) waits on JoinHandle(#2 (only-waiter))");
    expect(result.stderr).toContain("#2 (only-waiter) waits on oneshot receiver");
    expect(result.stdout).toContain("only: cleanup ran");
    expect(result.stdout).not.toContain("unreachable");
  });

  it("several pending runs: each deadlocked one rejects, the others finish, exit code 0", () => {
    const result = child("caught");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split("\n").pop() as string)).toEqual({
      results: [
        ["root: JoinHandle(#2 (a-waiter))", "a-waiter: oneshot receiver"],
        "c done",
        ["root: pending()"],
      ],
      listeners: 0,
    });
  });

  it("a run that finishes leaves no listener and the exit code alone", () => {
    const result = child("plain");
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ value: "slept", before: 0, after: 0 });
  });

  it("SimExecutor waiting for outside work that can never finish reports a deadlock", () => {
    const result = child("sim-never-settles");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "DeadlockError: deadlock: 1 task waits and nothing can wake them (the host is about to " +
        "exit, so the outside work they wait on can never finish)",
    );
    expect(result.stdout).toContain("#1 (root) waits on promise");
    expect(result.stdout).toContain('{"listeners":0}');
  });
});
