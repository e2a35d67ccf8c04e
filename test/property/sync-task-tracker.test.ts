/**
 * TaskTracker against a model, on virtual time under SimExecutor with random schedules: tasks
 * that finish, fail or are aborted at random times, and a close at a random time. `wait()` must
 * complete exactly when the tracker is both closed and empty, never earlier, and `size` must
 * count the tasks not yet finished at every step.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future, Instant, type JoinHandle, sleep, TaskTracker } from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";

const taskArb = fc.record({
  ms: fc.integer({ min: 0, max: 50 }),
  fate: fc.constantFrom("value", "error", "abort"),
});

describe("TaskTracker vs a model", () => {
  it("wait() completes when the tracker is closed and its last task ends, not before", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (tasks, closeAt, seed) => {
          const sim = new SimExecutor({ seed, onUnhandledError: () => {} });
          const sizes: [number, number][] = [];
          const result = await sim.run(
            future(function* () {
              const origin = Instant.now();
              const tracker = new TaskTracker();
              const handles: JoinHandle<void>[] = tasks.map(({ ms, fate }) =>
                tracker.spawn(
                  future(function* () {
                    yield* sleep(fate === "abort" ? 1_000_000 : ms);
                    if (fate === "error") throw new Error("task failed");
                  }),
                ),
              );
              tasks.forEach(({ ms, fate }, i) => {
                if (fate !== "abort") return;
                tracker.spawn(
                  future(function* () {
                    yield* sleep(ms);
                    (handles[i] as JoinHandle<void>).abort();
                  }),
                );
              });
              const aborters = tasks.filter((t) => t.fate === "abort").length;
              sizes.push([0, tracker.size]);
              expect(tracker.size).toBe(tasks.length + aborters);
              yield* sleep(closeAt);
              tracker.close();
              yield* tracker.wait();
              sizes.push([Instant.now().since(origin), tracker.size]);
              return Instant.now().since(origin);
            }),
          );
          const lastEnd = Math.max(0, ...tasks.map((t) => t.ms));
          expect(result).toBe(Math.max(closeAt, lastEnd));
          expect(sizes.at(-1)?.[1]).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
