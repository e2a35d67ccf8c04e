/**
 * `explore(program, options)`: runs a small program under every schedule, depth first, as
 * loom and shuttle do, cutting the schedules that only reorder steps that commute (partial-order
 * reduction; the search and its invariants are in dpor.ts, the dependency relation in
 * footprint.ts).
 *
 * Invariants:
 * - Each run is a fresh `SimExecutor` on a fresh `program(sim)`; a run's decisions come from
 *   the search tree, so the recorded schedule of a failing run replays it with
 *   `SimExecutor.replay`.
 * - The program must be deterministic: a run that replays a prefix and meets other choices
 *   than recorded ends the exploration with an error saying so.
 * - The first failing run ends the exploration; otherwise it ends when the tree is exhausted
 *   or `maxSchedules` runs were made.
 * @module
 */
import type { Future } from "../core/future.js";
import type { ScheduledTask } from "../executor/owned-tasks.js";
import type { Task } from "../executor/task.js";
import { CLOCK_ID } from "./choices.js";
import { type DataNode, type PickNode, SearchTree, type Step } from "./dpor.js";
import type { ExternalCall } from "./external-calls.js";
import { dependent, Footprint, HOST_ID, HOST_STEP, POLL, REPLY, TIMERS_STEP } from "./footprint.js";
import { DELIVERY, type SimObserver, TIMERS } from "./observer.js";
import type { ReadyTasks } from "./ready-ring.js";
import { DRAW_LEVELS } from "./schedule.js";
import { exploringExecutor, type SimExecutor } from "./sim-executor.js";
import type { Strategy } from "./strategies.js";

/** Options of {@link explore}. */
export interface ExploreOptions {
  /**
   * Explore only schedules with at most this many preemptions (switching away from a task
   * that could have gone on; the first schedule tried never preempts). Most concurrency bugs
   * need one or two (Musuvathi and Qadeer, PLDI 2007). A bound turns the partial-order
   * reduction off: every schedule within it runs.
   * @default Infinity
   */
  preemptionBound?: number;
  /**
   * Stop after this many runs (`exhausted` is then false).
   * @default 10000
   */
  maxSchedules?: number;
  /**
   * What the tasks share, which decides what can be pruned. `"any"`: they may share anything
   * (closures, `Mutex`, channels…), which `explore` cannot see, so every interleaving runs.
   * `"cells"`: tasks share state only through {@link shared} cells and talk only through what
   * wakes them (spawn, join, channels, `Notify`…), so steps that touch different cells (or only
   * read them) commute and only one order of them runs. State shared another way under
   * `"cells"`, or a sync primitive whose state decides an outcome without waking anybody (a
   * `Mutex` taken without waiting, `tryRecv`), can hide a bug: keep those under `"any"`.
   * @default "any"
   */
  sharing?: "any" | "cells";
  /**
   * How many values of each `random()` draw (`select`'s fair start branch) to try, from the
   * coarsest: 2 tries both halves (enough for a 2-way select), 4 the quarters, up to 32.
   * @default 2
   */
  drawLevels?: number;
  /**
   * The livelock guard of each run (task polls).
   * @default 10000
   */
  maxSteps?: number;
}

/** A failing run found by {@link explore}. */
export interface ExploreFailure {
  /** What the run rejected with (the program's error, a `DeadlockError`, …). */
  readonly error: unknown;
  /** The run's schedule: `SimExecutor.replay(schedule)` runs it again. */
  readonly schedule: string;
  /** The fault points that fired in the run. */
  readonly faults: readonly string[];
}

/** What {@link explore} found. */
export interface ExploreResult {
  /** Runs that went to the end: distinct schedules (no two only reorder commuting steps). */
  readonly schedules: number;
  /** Runs cut short because every way on repeated a schedule already run. */
  readonly pruned: number;
  /** True when every schedule (within the preemption bound) was covered. */
  readonly exhausted: boolean;
  /** The first failing run, if any. */
  readonly failure: ExploreFailure | undefined;
}

/** A run cut short by the search: it would only repeat what was explored. */
class Pruned extends Error {}

const PRUNED = new Pruned("explore: redundant run");

/** The strategy and the observer of one run of the search. */
class ExploreRun implements Strategy, SimObserver {
  readonly steps: Step[] = [];
  /** Why the run cannot follow the tree (the program is not deterministic). */
  problem_: string | undefined = undefined;
  readonly #tree: SearchTree;
  readonly #drawLevels: number;
  readonly #opaque: boolean;
  #depth = 0;
  #pendingNode = -1;
  #open: Footprint | undefined = undefined;
  #openNode = -1;
  #sleep: Map<number, Footprint> = new Map();
  #preemptions = 0;
  /** Tasks that became ready and were not polled since (for the end of the run). */
  readonly #ready = new Set<number>();
  #rootDone = false;
  /** Each cell made in this run, by who made it and in which order (stable across runs). */
  readonly #cells = new WeakMap<object, string>();
  readonly #made = new Map<number, number>();

  constructor(tree: SearchTree, drawLevels: number, opaque: boolean) {
    this.#tree = tree;
    this.#drawLevels = drawLevels;
    this.#opaque = opaque;
  }

  pick(options: ReadyTasks, last: ScheduledTask | undefined): number {
    const ids: number[] = [];
    for (let i = 0; i < options.count; i++) ids.push(options.at(i).id);
    const tree = this.#tree;
    let node = tree.nodes[this.#depth];
    if (node === undefined) {
      node = tree.newPick(ids, last?.id, this.#preemptions, this.#sleep);
      if (node === undefined) throw PRUNED;
    } else if (node.kind !== "pick" || !sameIds(node.ids, ids)) {
      return this.#diverged(`decision #${this.#depth} is a pick among [${ids}]`, node);
    }
    this.#preemptions = node.preemptions + (tree.isPreemption(node, node.chosen) ? 1 : 0);
    this.#sleep = tree.sleepBelow(node);
    this.#pendingNode = this.#depth++;
    return ids.indexOf(node.chosen);
  }

  draw(): number {
    return this.#data(this.#drawLevels, "random() draw");
  }

  fault(): number {
    return this.#data(2, "fault point");
  }

  #data(options: number, what: string): number {
    const nodes = this.#tree.nodes;
    let node = nodes[this.#depth];
    if (node === undefined) {
      node = { kind: "data", options, chosen: 0 };
      nodes.push(node);
    } else if (node.kind !== "data" || node.options !== options) {
      this.#diverged(`decision #${this.#depth} is a ${what}`, node);
      return 0;
    }
    this.#depth++;
    return node.chosen;
  }

  #diverged(what: string, node: PickNode | DataNode): number {
    const before = node.kind === "pick" ? `a pick among [${node.ids}]` : "a draw or fault point";
    this.problem_ ??= `${what}, but an earlier run made ${before} there`;
    return 0;
  }

  finish(): undefined {
    return undefined;
  }

  problem(): string {
    return this.problem_ ?? "";
  }

  beforePoll(task: Task<unknown>): void {
    this.#ready.delete(task.id);
    this.#begin(task.id, POLL, 0);
  }

  afterPoll(task: Task<unknown>): void {
    this.#end();
    if (task.home.parent === 0 && task.name === "root" && task.isFinished) this.#rootDone = true;
  }

  woke(task: Task<unknown>): void {
    if (!this.#rootDone) this.#ready.add(task.id);
    this.#open?.woke(task.id);
  }

  outside(kind: number, _now: number, call: ExternalCall | undefined): void {
    this.#end();
    if (kind === DELIVERY && call !== undefined) this.#begin(call.id, REPLY, call.caller);
    else if (kind === TIMERS) this.#begin(CLOCK_ID, TIMERS_STEP, 0);
    else this.#begin(HOST_ID, HOST_STEP, 0);
  }

  faulted(): void {}

  access(cell: object, write: boolean): void {
    this.#open?.access(this.#cells.get(cell) ?? cell, write);
  }

  created(cell: object): void {
    const by = this.#open?.actor ?? HOST_ID;
    const made = (this.#made.get(by) ?? 0) + 1;
    this.#made.set(by, made);
    this.#cells.set(cell, `${by}:${made}`);
  }

  /** Ends the run's bookkeeping: tasks left ready count as steps nobody has seen. */
  end(): void {
    this.#end();
    if (!this.#tree.reduce) return;
    for (const id of this.#ready) {
      this.steps.push({ footprint: new Footprint(id, POLL, 0, true), node: -1 });
    }
  }

  #begin(actor: number, kind: number, caller: number): void {
    const node = this.#pendingNode;
    this.#pendingNode = -1;
    if (node < 0 && this.#tree.reduce && this.#sleep.has(actor)) throw PRUNED;
    this.#open = new Footprint(actor, kind, caller, this.#opaque);
    this.#openNode = node;
  }

  #end(): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    this.steps.push({ footprint: open, node: this.#openNode });
    if (!this.#tree.reduce) return;
    for (const [id, footprint] of this.#sleep) {
      if (dependent(footprint, open)) this.#sleep.delete(id);
    }
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function whole(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(
      `explore(program, options): ${name} must be a whole number in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Runs `program` under every schedule of its scheduling decisions (which task runs next,
 * which reply of `sim.external` arrives when, each `random()` draw and fault point), depth
 * first, and stops at the first run that fails. Runs that only reorder steps that commute are
 * skipped (dynamic partial-order reduction with sleep sets, as in loom), and so are schedules
 * with more preemptions than `preemptionBound`; `sharing` says what counts as commuting.
 *
 * `program(sim)` must build a fresh future each time (fresh state, its own `sim.external`
 * mocks) and be deterministic. It fails by throwing (an assertion), deadlocking, or leaving an
 * error nobody handled. Meant for small programs: the number of schedules grows exponentially
 * with the number of steps that conflict.
 *
 * Cancel safety: the returned Promise cannot be cancelled; the exploration runs to its end.
 *
 * @example
 * ```ts
 * const result = await explore(() => transfer(), { preemptionBound: 2 });
 * if (result.failure !== undefined) {
 *   console.log(`${result.schedules} schedules; replay the failure with ` +
 *     `SimExecutor.replay(${JSON.stringify(result.failure.schedule)})`);
 * }
 * ```
 */
export async function explore(
  program: (sim: SimExecutor) => Future<unknown>,
  options: ExploreOptions = {},
): Promise<ExploreResult> {
  if (typeof program !== "function") {
    throw new TypeError("explore(program, options): program must be a function (sim) => Future");
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError("explore(program, options): expected an options object");
  }
  const bound = whole(options.preemptionBound, "preemptionBound", 0, Infinity, Infinity);
  const maxSchedules = whole(options.maxSchedules, "maxSchedules", 1, 2 ** 40, 10_000);
  const drawLevels = whole(options.drawLevels, "drawLevels", 1, DRAW_LEVELS, 2);
  const maxSteps = whole(options.maxSteps, "maxSteps", 1, 2 ** 40, 10_000);
  const sharing = options.sharing ?? "any";
  if (sharing !== "any" && sharing !== "cells") {
    throw new RangeError(
      `explore(program, options): sharing must be "any" or "cells", got ${JSON.stringify(sharing)}`,
    );
  }
  const tree = new SearchTree(sharing === "cells" && bound === Infinity, bound);
  let schedules = 0;
  let pruned = 0;
  for (;;) {
    if (schedules + pruned >= maxSchedules) {
      return { schedules, pruned, exhausted: false, failure: undefined };
    }
    const run = new ExploreRun(tree, drawLevels, sharing === "any");
    const { executor: sim, simulation } = exploringExecutor({ maxSteps }, run, run);
    let failure: ExploreFailure | undefined;
    let cut = false;
    try {
      await sim.run(simulation.enter(() => program(sim)));
    } catch (error) {
      if (error === PRUNED) cut = true;
      else failure = { error, schedule: sim.schedule, faults: sim.faults };
    }
    if (run.problem_ !== undefined) {
      throw new Error(
        `explore: the program is not deterministic: ${run.problem_}. Build fresh state in ` +
          "program(sim) on every call, and do not read Math.random(), real time or real I/O",
      );
    }
    run.end();
    if (cut) pruned++;
    else schedules++;
    if (failure !== undefined) return { schedules, pruned, exhausted: false, failure };
    if (!tree.finishRun(run.steps))
      return { schedules, pruned, exhausted: true, failure: undefined };
  }
}
