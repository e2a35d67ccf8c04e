/**
 * Property: letting a task that yields with nothing else ready go on at once (LocalExecutor in
 * a drain, task.ts `yieldInPlace`) changes nothing another task or the program can see. Random
 * programs of a few tasks that log, yield, wake each other through `Notify` (a `select` of
 * `notified()` and one `yieldNow()`, so nothing waits forever) and spawn children
 * run twice: under `run()` (drains, where yields may go on in place) and stepped by hand
 * (`manual: true` and `runUntilStalled`, where every yield goes through the ready queue). Both
 * runs must log the same steps in the same order, count the same polls per task and end the
 * same way.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { select } from "../../src/combinators/select.js";
import { future } from "../../src/core/async-block.js";
import type { Future } from "../../src/core/future.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Notify } from "../../src/sync/notify.js";

/** One step of a task's script. */
type Step =
  | { op: "yield"; times: number }
  | { op: "notify"; target: number }
  | { op: "wait" }
  | { op: "spawn"; yields: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("yield" as const), times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant("notify" as const), target: fc.nat(3) }),
  fc.record({ op: fc.constant("wait" as const) }),
  fc.record({ op: fc.constant("spawn" as const), yields: fc.nat(3) }),
);

const programArb = fc.array(fc.array(stepArb, { maxLength: 6 }), { minLength: 1, maxLength: 4 });

interface Outcome {
  log: string[];
  polls: number[];
}

/**
 * The program as a root future: it spawns one task per script and joins them. A `wait` takes a
 * stored `notifyOne` permit or waits for one, for one yield at most. Each task logs the poll
 * counts of every live task when it ends.
 */
function program(scripts: Step[][], log: string[], polls: number[], ex: LocalExecutor) {
  const notifies = scripts.map(() => new Notify());
  const body = (me: number, script: Step[]): Future<void> =>
    future(function* () {
      for (const [i, step] of script.entries()) {
        log.push(`${me}.${i} ${step.op}`);
        switch (step.op) {
          case "yield":
            for (let k = 0; k < step.times; k++) yield* yieldNow();
            break;
          case "notify":
            notifies[step.target % notifies.length]?.notifyOne();
            break;
          case "wait": {
            // Waits for a notification or one yield, whichever comes first (never forever).
            const which = yield* select.biased((notifies[me] as Notify).notified(), yieldNow());
            log.push(`${me}.${i} woke by ${which.index === 0 ? "notify" : "yield"}`);
            break;
          }
          case "spawn": {
            const child = spawn(
              future(function* () {
                for (let k = 0; k < step.yields; k++) {
                  log.push(`${me}.${i} child ${k}`);
                  yield* yieldNow();
                }
              }),
            );
            yield* child;
            break;
          }
        }
      }
      log.push(
        `${me} done; polls ${ex
          .tasks()
          .map((t) => `${t.id}:${t.polls}`)
          .join(" ")}`,
      );
      for (const n of notifies) n.notifyOne();
    });
  return future(function* () {
    const handles: JoinHandle<void>[] = scripts.map((s, me) => spawn(body(me, s)));
    for (const h of handles) yield* h;
    for (const t of ex.tasks()) polls.push(t.polls);
  });
}

async function underRun(scripts: Step[][]): Promise<Outcome> {
  const log: string[] = [];
  const polls: number[] = [];
  const ex = new LocalExecutor();
  await ex.run(program(scripts, log, polls, ex));
  return { log, polls };
}

function steppedByHand(scripts: Step[][]): Outcome {
  const log: string[] = [];
  const polls: number[] = [];
  const ex = new LocalExecutor({ manual: true });
  const root = ex.spawn(program(scripts, log, polls, ex));
  ex.runUntilStalled();
  expect(root.isFinished).toBe(true);
  return { log, polls };
}

describe("a yield that goes on at once is invisible", () => {
  it("run() and stepping by hand log the same steps and count the same polls", async () => {
    await fc.assert(
      fc.asyncProperty(programArb, async (scripts) => {
        const byHand = steppedByHand(scripts);
        const drained = await underRun(scripts);
        expect(drained.log).toEqual(byHand.log);
        expect(drained.polls).toEqual(byHand.polls);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
