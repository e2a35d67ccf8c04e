/**
 * Property: `run` settles iff its root settles, with the root's value or error, whatever the
 * children do; children left running are dropped when the root ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { pending } from "../../src/core/poll-fn.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Gate, macrotask, track } from "../core/helpers.js";

interface ChildSpec {
  yields: number;
  outcome: "value" | "throw" | "forever";
  awaited: boolean;
}

const childArb: fc.Arbitrary<ChildSpec> = fc.record({
  yields: fc.nat(5),
  outcome: fc.constantFrom("value" as const, "throw" as const, "forever" as const),
  awaited: fc.boolean(),
});

type RootEnd = "value" | "throw" | "gateLater" | "gateNever";

async function settleOrStall(ex: LocalExecutor, settled: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !settled(); i++) {
    await macrotask();
    if (ex.tasks().every((t) => t.state === "idle")) break;
  }
}

describe("run settles iff the root settles", () => {
  it("holds for random trees of children and random root endings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(childArb, { maxLength: 5 }),
        fc.nat(4),
        fc.constantFrom<RootEnd>("value", "throw", "gateLater", "gateNever"),
        async (children, rootYields, end) => {
          const ex = new LocalExecutor({ onUnhandledError: () => {} });
          const gate = new Gate<string>("gate");
          const cleanups: number[] = [];
          const started: number[] = [];
          const rootError = new Error("root");
          const result = track(
            ex.run(
              future(function* () {
                const handles: JoinHandle<number>[] = children.map((c, i) =>
                  spawn(
                    future(function* () {
                      started.push(i);
                      try {
                        for (let k = 0; k < c.yields; k++) yield* yieldNow();
                        if (c.outcome === "throw") throw new Error(`child ${i}`);
                        if (c.outcome === "forever") yield* pending();
                        return i;
                      } finally {
                        cleanups.push(i);
                      }
                    }),
                  ),
                );
                for (let k = 0; k < rootYields; k++) yield* yieldNow();
                for (let i = 0; i < children.length; i++) {
                  if (!children[i]?.awaited || children[i]?.outcome === "forever") continue;
                  try {
                    yield* handles[i] as JoinHandle<number>;
                  } catch {
                    // a failed child is fine
                  }
                }
                if (end === "throw") throw rootError;
                if (end === "gateLater" || end === "gateNever") return yield* gate;
                return "value";
              }),
            ),
          );
          await settleOrStall(ex, () => result.settled);
          if (end === "value" || end === "throw") {
            expect(result.settled).toBe(true);
            if (end === "value") expect(result.value).toBe("value");
            else expect(result.error).toBe(rootError);
          } else {
            expect(result.settled).toBe(false);
            if (end === "gateLater") {
              gate.resolve("opened");
              await settleOrStall(ex, () => result.settled);
              expect(result.settled).toBe(true);
              expect(result.value).toBe("opened");
            }
          }
          if (result.settled) {
            // every child that started ran its finally exactly once (a child never polled has
            // no body to clean up), and no task is left alive
            expect([...cleanups].sort()).toEqual([...started].sort());
            expect(ex.tasks()).toEqual([]);
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});
