/**
 * The cooperative budget (core/coop.ts): a task that keeps finding join handles finished
 * yields after TASK_BUDGET of them, so other tasks (and the host) get a turn; outside a task
 * nothing ever yields for the budget.
 */
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { beginTaskBudget, endTaskBudget, proceed, TASK_BUDGET } from "../../src/core/coop.js";
import { Poll } from "../../src/core/poll.js";
import { ready } from "../../src/core/poll-fn.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { JoinSet } from "../../src/executor/join-set.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { countingWaker, noopContext } from "../../src/testing/wakers.js";

/** Spawns `n` tasks returning their index and runs them to completion. */
function finished(ex: LocalExecutor, n: number): JoinHandle<number>[] {
  const handles = Array.from({ length: n }, (_, i) => ex.spawn(ready(i)));
  ex.runUntilStalled();
  expect(handles.every((h) => h.isFinished)).toBe(true);
  return handles;
}

const sumTo = (n: number): number => (n * (n - 1)) / 2;

describe("cooperative budget", () => {
  it("proceed() is unconstrained outside a task, and spends TASK_BUDGET units inside one", () => {
    const waker = countingWaker();
    const cx = waker.context;
    for (let i = 0; i < 1000; i++) expect(proceed(cx)).toBe(true);
    beginTaskBudget();
    try {
      for (let i = 0; i < TASK_BUDGET; i++) expect(proceed(cx)).toBe(true);
      expect(waker.wakeCount).toBe(0);
      expect(proceed(cx)).toBe(false);
      expect(waker.wakeCount).toBe(1); // woken, so the task is polled again
    } finally {
      endTaskBudget();
    }
    expect(proceed(cx)).toBe(true);
  });

  it("a task joining many finished handles yields every TASK_BUDGET handles", () => {
    const ex = new LocalExecutor({ manual: true });
    const n = 2 * TASK_BUDGET + 44;
    const handles = finished(ex, n);
    const joiner = ex.spawn(
      future(function* () {
        let sum = 0;
        for (const h of handles) sum += yield* h;
        return sum;
      }),
      { name: "joiner" },
    );
    const log: string[] = [];
    ex.spawn(
      future(function* () {
        log.push(`other ran while joiner was ${ex.tasks()[0]?.state}`);
      }),
    );
    expect(ex.tryRunOne()).toBe(true); // the joiner: 128 handles, then it yields
    expect(joiner.isFinished).toBe(false);
    expect(ex.tasks().find((t) => t.name === "joiner")?.state).toBe("scheduled");
    ex.runUntilStalled();
    expect(log).toEqual(["other ran while joiner was scheduled"]);
    expect(joiner.isFinished).toBe(true);
    const out = future(function* () {
      return yield* joiner;
    }).poll(noopContext());
    expect(Poll.isReady(out) && out.value).toBe(sumTo(n));
  });

  it("counts polls exactly: ceil(n / TASK_BUDGET) for n finished handles", () => {
    for (const n of [1, TASK_BUDGET, TASK_BUDGET + 1, 3 * TASK_BUDGET]) {
      const ex = new LocalExecutor({ manual: true });
      const handles = finished(ex, n);
      ex.spawn(
        future(function* () {
          for (const h of handles) yield* h;
        }),
        { name: "joiner" },
      );
      let polls = 0;
      while (ex.tryRunOne()) polls++;
      expect(polls).toBe(Math.ceil(n / TASK_BUDGET));
    }
  });

  it("a future polled by hand, outside any task, joins them all in one poll", () => {
    const ex = new LocalExecutor({ manual: true });
    const n = 3 * TASK_BUDGET;
    const handles = finished(ex, n);
    const p = future(function* () {
      let sum = 0;
      for (const h of handles) sum += yield* h;
      return sum;
    }).poll(noopContext());
    expect(Poll.isReady(p) && p.value).toBe(sumTo(n));
  });

  it("JoinSet.joinNext over more finished tasks than the budget delivers each value once", async () => {
    const ex = new LocalExecutor();
    const n = 3 * TASK_BUDGET;
    const seen = await ex.run(
      future(function* () {
        const set = new JoinSet<number>();
        for (let i = 0; i < n; i++) set.spawn(ready(i));
        const values: number[] = [];
        for (let r = yield* set.joinNext(); !r.done; r = yield* set.joinNext()) {
          values.push(r.value);
        }
        return values;
      }),
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
