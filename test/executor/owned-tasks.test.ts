import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { OwnedTasks, type ScheduledTask } from "../../src/executor/owned-tasks.js";
import { yieldNow } from "../../src/executor/yield-now.js";

/** An executor made of `OwnedTasks` and an array, stepped by hand; counts what the hooks see. */
function fifo(repollNow?: () => boolean) {
  const ready: ScheduledTask[] = [];
  let schedules = 0;
  const tasks = new OwnedTasks({
    schedule: (task) => {
      schedules++;
      ready.push(task);
    },
    unhandled: (error) => {
      throw error;
    },
    ...(repollNow === undefined ? {} : { repollNow }),
  });
  return {
    tasks,
    get schedules() {
      return schedules;
    },
    runAll(): number {
      let polls = 0;
      for (let t = ready.shift(); t !== undefined; t = ready.shift()) {
        tasks.run(t);
        polls++;
      }
      return polls;
    },
  };
}

const yieldFiveTimes = () =>
  future(function* () {
    for (let i = 0; i < 5; i++) yield* yieldNow();
    return "done";
  });

describe("OwnedTasks hooks.repollNow", () => {
  it("without it, every yield goes through schedule", () => {
    const ex = fifo();
    const h = ex.tasks.spawn(yieldFiveTimes());
    expect(ex.runAll()).toBe(6);
    expect(ex.schedules).toBe(6);
    expect(ex.tasks.takeOutcome(h)).toBe("done");
  });

  it("answering true lets a yielding task go on in the same run; each repoll is asked once", () => {
    let asked = 0;
    const ex = fifo(() => {
      asked++;
      return true;
    });
    const h = ex.tasks.spawn(yieldFiveTimes());
    expect(ex.runAll()).toBe(1);
    expect(ex.schedules).toBe(1); // the spawn only
    expect(asked).toBe(5);
    expect(ex.tasks.takeOutcome(h)).toBe("done");
  });

  it("answering false sends the yield through schedule as usual", () => {
    let asked = 0;
    const ex = fifo(() => ++asked > 2); // refuse the first two
    const h = ex.tasks.spawn(yieldFiveTimes());
    expect(ex.runAll()).toBe(3);
    expect(ex.schedules).toBe(3);
    expect(ex.tasks.takeOutcome(h)).toBe("done");
  });

  it("a repollNow that is not a function is refused, naming it", () => {
    expect(
      () =>
        new OwnedTasks({
          schedule: () => {},
          unhandled: () => {},
          repollNow: 1 as unknown as () => boolean,
        }),
    ).toThrow(/hooks\.repollNow must be a function/);
  });
});
