import { afterAll, describe, expect, it } from "vitest";
import { BlockingError } from "../../src/blocking/errors.js";
import { BlockingPool } from "../../src/blocking/pool.js";
import { spawnBlocking } from "../../src/blocking/spawn-blocking.js";
import { future } from "../../src/core/async-block.js";
import { run, spawn } from "../../src/executor/spawn.js";

afterAll(() => BlockingPool.shared.close());

describe("spawnBlocking", () => {
  it("runs a self-contained function on the shared pool, lazily", async () => {
    const job = spawnBlocking((a: number, b: number) => a * b, 6, 7);
    const threadsBefore = BlockingPool.shared.threads;
    expect(threadsBefore).toBe(0);
    expect(await run(job)).toBe(42);
    expect(BlockingPool.shared.threads).toBeGreaterThan(0);
  });

  it("runs nested named functions and awaits async ones", async () => {
    const [fib, later] = await run(
      future(function* () {
        const a = spawn(
          spawnBlocking((n: number) => {
            function fib(k: number): number {
              return k < 2 ? k : fib(k - 1) + fib(k - 2);
            }
            return fib(n);
          }, 20),
        );
        const b = spawn(spawnBlocking(async (s: string) => `${s}!`, "later"));
        return [yield* a, yield* b] as const;
      }),
    );
    expect(fib).toBe(6765);
    expect(later).toBe("later!");
  });

  it("explains that the function must be self-contained", async () => {
    const factor = 3;
    const error = await run(spawnBlocking((x: number) => x * factor, 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error as Error).message).toMatch(/factor is not defined/);
    expect((error as Error).message).toMatch(/^spawnBlocking\(anonymous\) threw ReferenceError/);
    expect((error as Error).message).toMatch(
      /A function run by spawnBlocking must be self-contained/,
    );
    expect((error as Error).cause).toBeInstanceOf(ReferenceError);
  });

  it("rejects what cannot run on its own, eagerly", () => {
    expect(() => spawnBlocking(42 as never)).toThrow(
      /spawnBlocking\(fn, \.\.\.args\): expected a function/,
    );
    expect(() => spawnBlocking(Math.max, 1, 2)).toThrow(/native or bound/);
    expect(() => spawnBlocking(((x: number) => x).bind(null), 1)).toThrow(/native or bound/);
    const obj = {
      method(x: number) {
        return x;
      },
    };
    expect(() => spawnBlocking(obj.method, 1)).toThrow(/does not compile on its own/);
  });

  it("a closed shared pool is replaced", async () => {
    const first = BlockingPool.shared;
    await first.close();
    expect(BlockingPool.shared).not.toBe(first);
    expect(await run(spawnBlocking(() => "fresh"))).toBe("fresh");
  });
});
