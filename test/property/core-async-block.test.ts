/**
 * Property, with counting wakers and hand polling: an async block awaiting a random sequence
 * of leaves returns Pending exactly when a leaf is pending, leaves each pending leaf holding the
 * waker of the latest poll (so the wake reaches the latest waker, once), resumes at once past
 * leaves that are ready on their first poll, and computes the right value. Nothing is polled
 * after Ready.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { ready } from "../../src/core/poll-fn.js";
import { type CountingWaker, countingWaker } from "../../src/testing/wakers.js";
import { Gate } from "../core/helpers.js";

type Step = { kind: "ready"; value: number } | { kind: "gate"; value: number; spurious: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("ready" as const), value: fc.integer({ min: -50, max: 50 }) }),
  fc.record({
    kind: fc.constant("gate" as const),
    value: fc.integer({ min: -50, max: 50 }),
    spurious: fc.nat(2),
  }),
);

describe("async block driven by hand", () => {
  it("suspends only on pending leaves, keeps the latest waker, and sums correctly", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
        const gates: Gate<number>[] = [];
        const fut = future(function* () {
          let sum = 0;
          for (const s of steps) {
            if (s.kind === "ready") sum += yield* ready(s.value);
            else {
              const g = new Gate<number>(`gate ${gates.length}`);
              gates.push(g);
              sum += yield* g;
            }
          }
          return sum;
        });

        let polls = 0;
        let lastWaker: CountingWaker | undefined;
        const pollOnce = () => {
          const waker = countingWaker();
          lastWaker = waker;
          polls++;
          return fut.poll(waker.context);
        };

        const gateSteps = steps.filter((s) => s.kind === "gate");
        let result = pollOnce();
        for (let g = 0; g < gateSteps.length; g++) {
          const step = gateSteps[g] as Extract<Step, { kind: "gate" }>;
          expect(Poll.isPending(result)).toBe(true);
          expect(gates).toHaveLength(g + 1); // later leaves have not started yet
          const gate = gates[g] as Gate<number>;
          for (let s = 0; s < step.spurious; s++) {
            const earlier = lastWaker as CountingWaker;
            expect(pollOnce()).toBe(Poll.pending);
            expect(gate.waker?.willWake(lastWaker as CountingWaker)).toBe(true);
            expect(gate.waker?.willWake(earlier)).toBe(false);
          }
          expect(gate.waker?.willWake(lastWaker as CountingWaker)).toBe(true);
          gate.resolve(step.value);
          expect(lastWaker?.wakeCount).toBe(1);
          result = pollOnce();
        }
        const expected = steps.reduce((a, s) => a + s.value, 0);
        expect(Poll.isReady(result)).toBe(true);
        if (Poll.isReady(result)) expect(result.value).toBe(expected);
        // one poll to start, one per gate resolution, plus the spurious ones
        expect(polls).toBe(
          1 +
            gateSteps.length +
            gateSteps.reduce((a, s) => a + (s.kind === "gate" ? s.spurious : 0), 0),
        );
        for (const g of gates) {
          expect(g.violations).toEqual([]);
          expect(g.drops).toBe(0);
        }
        expect(() => fut.poll(countingWaker().context)).toThrow(PollAfterReadyError);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
