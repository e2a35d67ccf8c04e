/**
 * What a pick chooses among, as strategies see it: the ready tasks (oldest first), then the
 * pending outside calls (oldest first, see external-calls.ts), then, when no task is ready and
 * a timer is pending, letting virtual time move to it.
 *
 * Invariants:
 * - Option `i` keeps its meaning for a given state of the simulation: tasks, then calls, then
 *   the clock. Option 0 is what plain FIFO does: the oldest ready task; with none ready, the
 *   oldest call is delivered before time moves (a reply beats a timeout unless a schedule says
 *   otherwise).
 * - Every option has an id (`at(i).id`): a task's id (>= 1), a call's id (<= -1), or
 *   {@link CLOCK_ID} for the clock, the same in every run of the same program.
 * - Reading the view allocates nothing.
 * @module
 */
import type { ScheduledTask } from "../executor/owned-tasks.js";
import type { ExternalCalls } from "./external-calls.js";
import type { ReadyTasks } from "./ready-ring.js";

/** @internal The id of the "let virtual time move" option. */
export const CLOCK_ID = 0;

const CLOCK: ScheduledTask = { id: CLOCK_ID };

/** @internal The options of one pick: ready tasks, pending calls, and maybe the clock. */
export class Choices implements ReadyTasks {
  readonly #ready: ReadyTasks;
  readonly #calls: ExternalCalls;
  #clock = false;

  constructor(ready: ReadyTasks, calls: ExternalCalls) {
    this.#ready = ready;
    this.#calls = calls;
  }

  /** Includes the clock option from now on (only when no task is ready). */
  withClock(on: boolean): this {
    this.#clock = on;
    return this;
  }

  get count(): number {
    return this.#ready.count + this.#calls.count + (this.#clock ? 1 : 0);
  }

  /** How many of the options are ready tasks. */
  get tasks(): number {
    return this.#ready.count;
  }

  at(i: number): ScheduledTask {
    const tasks = this.#ready.count;
    if (i < tasks) return this.#ready.at(i);
    const j = i - tasks;
    return j < this.#calls.count ? this.#calls.at(j) : CLOCK;
  }
}
