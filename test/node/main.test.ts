/**
 * main()'s sequence on a fake host (signals fired by hand, the deadline timer run by hand):
 * which ending happens, exactly once, and what is left registered afterwards.
 */
import { describe, expect, it } from "vitest";
import { type CancellationToken, type Future, future, pending, sleep } from "../../src/index.js";
import { type MainHost, runMain } from "../../src/node/main.js";

class FakeHost implements MainHost {
  readonly listeners = new Map<string, () => void>();
  readonly exits: number[] = [];
  readonly errors: unknown[] = [];
  timer: { fn: () => void; ms: number } | undefined;
  alive = 0;

  on(signal: string, listener: () => void): void {
    this.listeners.set(signal, listener);
  }
  off(signal: string, listener: () => void): void {
    if (this.listeners.get(signal) === listener) this.listeners.delete(signal);
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timer = { fn, ms };
    return this.timer;
  }
  clearTimeout(timer: unknown): void {
    if (this.timer === timer) this.timer = undefined;
  }
  keepAlive(): () => void {
    this.alive++;
    return () => {
      this.alive--;
    };
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  printError(error: unknown): void {
    this.errors.push(error);
  }
  signal(name: string): void {
    this.listeners.get(name)?.();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A root that records what happens to it, waiting for the token then for `cleanup`. */
function recorder(log: string[], cleanup: Future<void>) {
  return (token: CancellationToken) =>
    future(function* () {
      try {
        yield* token.cancelled();
        log.push(`cancelled: ${String(token.reason)}`);
        yield* cleanup;
        log.push("cleaned");
      } finally {
        log.push("finally");
      }
    });
}

describe("runMain (main on a fake host)", () => {
  it("listens to SIGINT and SIGTERM by default and keeps the host alive while running", async () => {
    const host = new FakeHost();
    const log: string[] = [];
    const code = runMain(recorder(log, sleep(1)), {}, host);
    expect([...host.listeners.keys()]).toEqual(["SIGINT", "SIGTERM"]);
    expect(host.alive).toBe(1);
    await tick();
    host.signal("SIGTERM");
    expect(host.timer?.ms).toBe(10_000);
    expect(await code).toBe(0);
    expect(log).toEqual(["cancelled: SIGTERM", "cleaned", "finally"]);
    expect(host.exits).toEqual([0]);
    expect(host.listeners.size).toBe(0);
    expect(host.timer).toBeUndefined();
    expect(host.alive).toBe(0);
  });

  it("a second signal drops the root synchronously and exits 128 + its number, once", async () => {
    const host = new FakeHost();
    const log: string[] = [];
    const code = runMain(recorder(log, pending()), { graceMs: 1000 }, host);
    await tick();
    host.signal("SIGINT");
    await tick();
    expect(log).toEqual(["cancelled: SIGINT"]);
    host.signal("SIGTERM");
    expect(log).toEqual(["cancelled: SIGINT", "finally"]); // dropped at once
    expect(host.exits).toEqual([143]);
    expect(await code).toBe(143);
    await tick();
    expect(host.exits).toEqual([143]); // the root's AbortedError ends nothing a second time
    expect(host.errors).toEqual([]);
  });

  it("the deadline drops the root and exits with the first signal's code", async () => {
    const host = new FakeHost();
    const log: string[] = [];
    const code = runMain(recorder(log, pending()), { graceMs: 250 }, host);
    await tick();
    host.signal("SIGINT");
    await tick();
    expect(host.timer?.ms).toBe(250);
    host.timer?.fn();
    expect(await code).toBe(130);
    expect(log).toEqual(["cancelled: SIGINT", "finally"]);
  });

  it("graceMs: Infinity sets no deadline; only a second signal forces the exit", async () => {
    const host = new FakeHost();
    const code = runMain(recorder([], pending()), { graceMs: Number.POSITIVE_INFINITY }, host);
    await tick();
    host.signal("SIGINT");
    expect(host.timer).toBeUndefined();
    host.signal("SIGINT");
    expect(await code).toBe(130);
  });

  it("only the signals given are listened to", async () => {
    const host = new FakeHost();
    const code = runMain(recorder([], sleep(0)), { signals: ["SIGHUP"] }, host);
    expect([...host.listeners.keys()]).toEqual(["SIGHUP"]);
    await tick();
    host.signal("SIGHUP");
    expect(await code).toBe(0);
  });

  it("a failing root, or a root factory that throws, prints the error and exits 1", async () => {
    const boom = new Error("boom");
    const host = new FakeHost();
    const failing = runMain(
      () =>
        future(function* () {
          yield* sleep(0);
          throw boom;
        }),
      {},
      host,
    );
    expect(await failing).toBe(1);
    expect(host.errors).toEqual([boom]);
    const host2 = new FakeHost();
    expect(
      await runMain(
        () => {
          throw boom;
        },
        {},
        host2,
      ),
    ).toBe(1);
    expect(host2.listeners.size).toBe(0);
    expect(host2.alive).toBe(0);
    const host3 = new FakeHost();
    expect(await runMain(() => 5 as never, {}, host3)).toBe(1);
    expect(String(host3.errors[0])).toMatch(/root\(token\) must return a Future/);
  });

  it("an error other than the token's AbortedError after a signal still exits 1", async () => {
    const host = new FakeHost();
    const code = runMain(
      (token) =>
        future(function* () {
          yield* token.cancelled();
          throw new Error("cleanup failed");
        }),
      {},
      host,
    );
    await tick();
    host.signal("SIGINT");
    expect(await code).toBe(1);
    expect(String(host.errors[0])).toContain("cleanup failed");
  });

  it("rejects bad arguments with errors naming them", () => {
    const host = new FakeHost();
    const root = () => pending();
    expect(() => runMain(5 as never, {}, host)).toThrow(/root must be a function/);
    expect(() => runMain(root, null as never, host)).toThrow(TypeError);
    expect(() => runMain(root, { signals: "SIGINT" as never }, host)).toThrow(/options.signals/);
    expect(() => runMain(root, { signals: ["SIGNOPE" as never] }, host)).toThrow(RangeError);
    expect(() => runMain(root, { graceMs: -1 }, host)).toThrow(/options.graceMs/);
    expect(() => runMain(root, { graceMs: Number.NaN }, host)).toThrow(RangeError);
    expect(host.listeners.size).toBe(0);
  });
});
