/**
 * Strategies: who makes the simulation executor's decisions (see schedule.ts for what a
 * decision is). One per `strategy` option, plus the two that follow a given schedule.
 *
 * Invariants:
 * - A strategy is asked only about real decisions: `pick` among `count >= 2` options (ready
 *   tasks, pending outside calls, the clock: choices.ts), `draw` for every `random()` call,
 *   `fault` for every fault point with a probability strictly between 0 and 1. It returns an
 *   index in `[0, count)`, a level in `[0, DRAW_LEVELS)`, or 0 (no fault) / 1 (fault), or -1
 *   when it cannot follow its schedule; `problem()` then says why.
 * - Option 0 is always the plain one (FIFO's pick, draw level 0, no fault), so a schedule of
 *   deviations from FIFO that fast-check shrinks away also shrinks faults away.
 * - Everything a strategy does is a function of its seed / schedule and of the sequence of
 *   questions it is asked, so equal programs get equal answers.
 * - `pick` and `draw` allocate nothing in the steady state.
 * @module
 */
import type { ScheduledTask } from "../executor/owned-tasks.js";
import type { ReadyTasks } from "./ready-ring.js";
import { Rng } from "./rng.js";
import { DRAW_LEVELS, reduceChecksum, type ScheduleData } from "./schedule.js";
import type { ResolvedOptions } from "./sim-options.js";

/** @internal */
export interface Strategy {
  /** Index of the ready task to poll next (0 = oldest), given the task polled last. */
  pick(ready: ReadyTasks, last: ScheduledTask | undefined): number;
  /** A draw level in [0, DRAW_LEVELS). */
  draw(): number;
  /** 1 to inject the fault of a fault point that fires with `probability`, else 0. */
  fault(probability: number): number;
  /**
   * Called when the run ended with the recorded decisions; returns why the run does not match
   * the schedule, or undefined.
   */
  finish(decisions: number, checksum: number): string | undefined;
  /** Why the last -1 was returned. */
  problem(): string;
}

/** @internal Plain FIFO: always the oldest ready task, always draw level 0. */
export class FifoStrategy implements Strategy {
  pick(): number {
    return 0;
  }
  draw(): number {
    return 0;
  }
  fault(): number {
    return 0;
  }
  finish(): undefined {
    return undefined;
  }
  problem(): string {
    return "";
  }
}

/** @internal Every pick and draw uniformly at random from the seed. */
export class RandomStrategy implements Strategy {
  readonly #rng: Rng;
  constructor(rng: Rng) {
    this.#rng = rng;
  }
  pick(ready: ReadyTasks): number {
    return this.#rng.int(ready.count);
  }
  draw(): number {
    return this.#rng.int(DRAW_LEVELS);
  }
  fault(probability: number): number {
    return this.#rng.float() < probability ? 1 : 0;
  }
  finish(): undefined {
    return undefined;
  }
  problem(): string {
    return "";
  }
}

/** @internal Consecutive picks of one task after which PCT lowers its priority (spin guard). */
export const PCT_SPIN_LIMIT = 32;

/**
 * @internal PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte: "A Randomized Scheduler with
 * Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), as shuttle and Coyote do it:
 * - each task gets a random priority when first seen (distinct with probability 1), and the
 *   highest-priority ready task always runs;
 * - `depth - 1` change points are drawn uniformly from the pick steps `[1, steps]`; at a change
 *   point the task that ran last drops below every other task;
 * - only real decisions count as steps; draws come from the seed;
 * - spin guard (not in the paper): a task picked `PCT_SPIN_LIMIT` times in a row while others
 *   were ready is lowered too, so a `yieldNow` loop that waits on a lower-priority task ends.
 * A bug of depth `d` among `n` tasks and `k` steps is found with probability >= 1/(n·k^(d-1)).
 */
export class PctStrategy implements Strategy {
  readonly #rng: Rng;
  /** Priority by task id: 0 = not seen yet, [1, 2) initial, negative once lowered. */
  #priority = new Float64Array(64);
  /** Priorities of the other options (outside calls, the clock), by their ids (<= 0). */
  readonly #others = new Map<number, number>();
  readonly #changePoints: number[];
  #step = 0;
  #lowest = 0;
  #previous = 0;
  #streak = 0;

  constructor(rng: Rng, depth: number, steps: number) {
    this.#rng = rng;
    const points = new Set<number>();
    const wanted = Math.min(depth - 1, steps);
    while (points.size < wanted) points.add(1 + rng.int(steps));
    this.#changePoints = [...points].sort((a, b) => a - b);
  }

  pick(ready: ReadyTasks, last: ScheduledTask | undefined): number {
    const step = ++this.#step;
    const points = this.#changePoints;
    while (points.length > 0 && (points[0] as number) <= step) {
      points.shift();
      if (last !== undefined) this.#lower(last.id);
    }
    let index = this.#best(ready);
    const id = ready.at(index).id;
    if (id !== this.#previous) {
      this.#previous = id;
      this.#streak = 0;
    } else if (++this.#streak >= PCT_SPIN_LIMIT) {
      this.#lower(id);
      index = this.#best(ready);
      this.#previous = ready.at(index).id;
      this.#streak = 0;
    }
    return index;
  }

  #best(ready: ReadyTasks): number {
    let priority = this.#priority;
    let best = 0;
    let bestPriority = Number.NEGATIVE_INFINITY;
    const count = ready.count;
    for (let i = 0; i < count; i++) {
      const id = ready.at(i).id;
      let p: number;
      if (id <= 0) {
        p = this.#others.get(id) ?? 0;
        if (p === 0) {
          p = 1 + this.#rng.float();
          this.#others.set(id, p);
        }
      } else {
        if (id >= priority.length) priority = this.#grow(id);
        p = priority[id] as number;
        if (p === 0) {
          p = 1 + this.#rng.float();
          priority[id] = p;
        }
      }
      if (p > bestPriority) {
        bestPriority = p;
        best = i;
      }
    }
    return best;
  }

  #grow(id: number): Float64Array<ArrayBuffer> {
    const bigger = new Float64Array(Math.max(id + 1, this.#priority.length * 2));
    bigger.set(this.#priority);
    this.#priority = bigger;
    return bigger;
  }

  #lower(id: number): void {
    if (id >= this.#priority.length) this.#grow(id);
    this.#priority[id] = --this.#lowest;
  }

  draw(): number {
    return this.#rng.int(DRAW_LEVELS);
  }
  fault(probability: number): number {
    return this.#rng.float() < probability ? 1 : 0;
  }
  finish(): undefined {
    return undefined;
  }
  problem(): string {
    return "";
  }
}

/** @internal Follows a recorded trace exactly, and says where a run departs from it. */
export class TraceStrategy implements Strategy {
  readonly #choices: readonly number[];
  readonly #checksum: number;
  #next = 0;
  #problem = "";

  constructor(schedule: ScheduleData) {
    this.#choices = schedule.choices as readonly number[];
    this.#checksum = schedule.checksum;
  }

  pick(ready: ReadyTasks): number {
    return this.#take(ready.count, "ready tasks");
  }

  draw(): number {
    return this.#take(DRAW_LEVELS, "random() levels");
  }

  fault(): number {
    return this.#take(2, "fault outcomes");
  }

  #take(options: number, what: string): number {
    const i = this.#next++;
    if (i >= this.#choices.length) {
      this.#problem = `the run needs decision #${i}, but the schedule holds only ${this.#choices.length}`;
      return -1;
    }
    const c = this.#choices[i] as number;
    if (c >= options) {
      this.#problem = `decision #${i} takes option ${c}, but there are only ${options} ${what}`;
      return -1;
    }
    return c;
  }

  finish(decisions: number, checksum: number): string | undefined {
    if (decisions < this.#choices.length) {
      return `the run ended after ${decisions} decisions, but the schedule holds ${this.#choices.length}`;
    }
    if (reduceChecksum(checksum) !== this.#checksum) {
      return "the run made as many decisions as the schedule, but among different numbers of ready tasks (the checksum differs)";
    }
    return undefined;
  }

  problem(): string {
    return this.#problem;
  }
}

/** @internal FIFO except at the listed steps (lenient: any program can run under it). */
export class DeviationStrategy implements Strategy {
  readonly #deviations: readonly (readonly [number, number])[];
  #step = 0;
  #next = 0;

  constructor(schedule: ScheduleData) {
    this.#deviations = schedule.deviations as readonly (readonly [number, number])[];
  }

  pick(ready: ReadyTasks): number {
    return this.#choose(ready.count);
  }

  draw(): number {
    return this.#choose(DRAW_LEVELS);
  }

  fault(): number {
    return this.#choose(2);
  }

  #choose(options: number): number {
    const step = this.#step++;
    const d = this.#deviations[this.#next];
    if (d === undefined || d[0] !== step) return 0;
    this.#next++;
    return 1 + (d[1] % (options - 1));
  }

  finish(): undefined {
    return undefined;
  }
  problem(): string {
    return "";
  }
}

/** @internal The strategy the options ask for: the schedule's, else the named one. */
export function createStrategy(o: ResolvedOptions): Strategy {
  const schedule = o.schedule;
  if (schedule !== undefined) {
    return schedule.choices !== undefined
      ? new TraceStrategy(schedule)
      : new DeviationStrategy(schedule);
  }
  if (o.strategy === "fifo") return new FifoStrategy();
  if (o.strategy === "pct") return new PctStrategy(new Rng(o.seed), o.depth, o.steps);
  return new RandomStrategy(new Rng(o.seed));
}
