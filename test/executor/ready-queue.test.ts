/**
 * The ready queue against a plain array model: FIFO across chunk boundaries, `length` exact,
 * and an emptied queue reusable from the start.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReadyQueue } from "../../src/executor/ready-queue.js";
import type { Task } from "../../src/executor/task.js";

const task = (n: number): Task<unknown> => ({ n }) as unknown as Task<unknown>;

describe("ReadyQueue", () => {
  it("behaves as a FIFO for any interleaving of sends and receives, across chunks", () => {
    // A run of pushes (up to 1,500, several chunks) or shifts, repeated.
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 1500 }) }),
      fc.record({ shift: fc.integer({ min: 1, max: 1500 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const queue = new ReadyQueue();
        const model: Task<unknown>[] = [];
        let next = 0;
        for (const o of ops) {
          if ("push" in o) {
            for (let i = 0; i < o.push; i++) {
              const t = task(next++);
              queue.push(t);
              model.push(t);
            }
          } else {
            for (let i = 0; i < o.shift; i++) expect(queue.shift()).toBe(model.shift());
          }
          expect(queue.length).toBe(model.length);
        }
        while (model.length > 0) expect(queue.shift()).toBe(model.shift());
        expect(queue.shift()).toBeUndefined();
        expect(queue.length).toBe(0);
      }),
      { seed: 20261122, numRuns: 200 },
    );
  });
});
