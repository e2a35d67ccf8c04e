/**
 * The search tree of `explore`: every decision of the current run, what is left to try at
 * each, and how a finished run adds what must be tried (dynamic partial-order reduction).
 *
 * Runs are stateless re-executions (as in loom and shuttle): the next run replays the decisions
 * of the current path up to the deepest one with an untried alternative, takes that
 * alternative, and decides afresh below it.
 *
 * Two kinds of node:
 * - a *pick* node (which option runs next: a task, a reply, the clock) with its options' ids,
 *   the option taken, the options still to try (`backtrack`), those fully explored (`done`,
 *   with the union of the footprints their first step had), and its sleep set;
 * - a *data* node (a `random()` draw or a fault point): every value is tried, in order.
 *
 * With reduction (DPOR, Flanagan and Godefroid, POPL 2005, with sleep sets, Godefroid 1996):
 * a new pick node starts with one option to try; after each run, every *race* (two dependent
 * steps of different actors with no other step ordered between them) adds the later step's
 * actor to the backtrack set of the pick node that chose the earlier step, or every option of
 * that node when the later actor was not among them. Sleep sets carry, down a path, the
 * options already explored from an ancestor state that commute with every step taken since;
 * running one of them would only repeat an explored schedule, so a run that reaches a state
 * where every option sleeps is cut short (`Pruned`).
 *
 * Without reduction (a preemption bound, or `reduce: false`), every option within the bound
 * is tried at every pick node, and nothing sleeps.
 *
 * Invariants:
 * - `nodes[0 … replay)` is the prefix the next run replays; a run that meets a node of another
 *   kind or with other options than recorded is not deterministic (`explore` reports it).
 * - An option is in at most one of: taken now, `done`, still to try; options in a node's
 *   sleep set are never taken.
 * @module
 */
import { dependent, type Footprint } from "./footprint.js";

/** @internal A pick among options. */
export interface PickNode {
  readonly kind: "pick";
  readonly ids: readonly number[];
  /** The id of the task polled last when the pick was made, if it was among the options. */
  readonly last: number | undefined;
  /** Preemptions on the path before this pick. */
  readonly preemptions: number;
  readonly sleep: ReadonlyMap<number, Footprint>;
  chosen: number;
  readonly backtrack: Set<number>;
  readonly done: Set<number>;
  /** The union of the footprints each option's step had, over the runs that took it. */
  readonly footprints: Map<number, Footprint>;
}

/** @internal A draw or a fault point: each value is tried in turn. */
export interface DataNode {
  readonly kind: "data";
  readonly options: number;
  chosen: number;
}

/** @internal One step of a run, as the tree sees it. */
export interface Step {
  readonly footprint: Footprint;
  /** Index of the pick node that chose this step, or -1 when it was the only option. */
  readonly node: number;
}

/** @internal */
export class SearchTree {
  readonly nodes: (PickNode | DataNode)[] = [];
  readonly reduce: boolean;
  readonly preemptionBound: number;

  constructor(reduce: boolean, preemptionBound: number) {
    this.reduce = reduce;
    this.preemptionBound = preemptionBound;
  }

  /** True when taking `id` at `node` switches away from a task that could go on. */
  isPreemption(node: PickNode, id: number): boolean {
    return node.last !== undefined && id !== node.last && id > 0;
  }

  /** Whether `id` may be taken at `node` (not asleep, within the preemption bound). */
  allowed(node: PickNode, id: number): boolean {
    if (node.sleep.has(id)) return false;
    return node.preemptions + (this.isPreemption(node, id) ? 1 : 0) <= this.preemptionBound;
  }

  /** A new pick node (its first option chosen), or undefined when every option is barred. */
  newPick(
    ids: readonly number[],
    last: number | undefined,
    preemptions: number,
    sleep: ReadonlyMap<number, Footprint>,
  ): PickNode | undefined {
    const node: PickNode = {
      kind: "pick",
      ids,
      last: last !== undefined && ids.includes(last) ? last : undefined,
      preemptions,
      sleep,
      chosen: 0,
      backtrack: new Set(),
      done: new Set(),
      footprints: new Map(),
    };
    // Non-preemptive first: the task that ran last goes on when it can.
    const order = node.last === undefined ? ids : [node.last, ...ids.filter((i) => i !== last)];
    const first = order.find((id) => this.allowed(node, id));
    if (first === undefined) return undefined;
    node.chosen = first;
    if (this.reduce) node.backtrack.add(first);
    else for (const id of order) if (this.allowed(node, id)) node.backtrack.add(id);
    this.nodes.push(node);
    return node;
  }

  /** The sleep set below `node`'s current choice: its own, plus the explored siblings. */
  sleepBelow(node: PickNode): Map<number, Footprint> {
    const sleep = new Map(node.sleep);
    if (!this.reduce) return sleep;
    for (const id of node.done) {
      const footprint = node.footprints.get(id);
      if (id !== node.chosen && footprint !== undefined) sleep.set(id, footprint);
    }
    return sleep;
  }

  /**
   * Takes in a finished (or cut short) run: records the footprint each pick's choice had,
   * adds the backtracking its races call for, then moves to the next path. Returns false when
   * nothing is left to try.
   */
  finishRun(steps: readonly Step[]): boolean {
    if (this.reduce) {
      for (const step of steps) {
        if (step.node < 0) continue;
        const node = this.nodes[step.node] as PickNode;
        const seen = node.footprints.get(node.chosen);
        node.footprints.set(
          node.chosen,
          seen === undefined ? step.footprint : seen.union(step.footprint),
        );
      }
      this.#addRaces(steps);
    }
    return this.#advance();
  }

  #addRaces(steps: readonly Step[]): void {
    const n = steps.length;
    const words = (n + 31) >>> 5;
    const before: Uint32Array[] = []; // before[j]: the steps that happen before step j
    for (let j = 0; j < n; j++) {
      const sj = steps[j] as Step;
      const direct: number[] = [];
      const reach = new Uint32Array(words);
      for (let i = j - 1; i >= 0; i--) {
        const si = steps[i] as Step;
        if (!dependent(si.footprint, sj.footprint)) continue;
        direct.push(i);
        const hb = before[i] as Uint32Array;
        for (let w = 0; w < words; w++) reach[w] = (reach[w] as number) | (hb[w] as number);
      }
      for (const i of direct) {
        const si = steps[i] as Step;
        const ordered = ((reach[i >>> 5] as number) & (1 << (i & 31))) !== 0;
        if (!ordered && si.footprint.actor !== sj.footprint.actor && si.node >= 0) {
          this.#backtrackFor(this.nodes[si.node] as PickNode, sj.footprint.actor);
        }
      }
      for (const i of direct) reach[i >>> 5] = (reach[i >>> 5] as number) | (1 << (i & 31));
      before.push(reach);
    }
  }

  #backtrackFor(node: PickNode, actor: number): void {
    const wanted = node.ids.includes(actor) ? [actor] : node.ids;
    for (const id of wanted) {
      if (id !== node.chosen && !node.done.has(id) && this.allowed(node, id)) {
        node.backtrack.add(id);
      }
    }
  }

  /** Moves to the deepest untried alternative; false when there is none. */
  #advance(): boolean {
    const nodes = this.nodes;
    while (nodes.length > 0) {
      const node = nodes[nodes.length - 1] as PickNode | DataNode;
      if (node.kind === "data") {
        if (node.chosen + 1 < node.options) {
          node.chosen++;
          return true;
        }
      } else {
        node.done.add(node.chosen);
        for (const id of node.backtrack) {
          if (!node.done.has(id) && this.allowed(node, id)) {
            node.chosen = id;
            return true;
          }
        }
      }
      nodes.pop();
    }
    return false;
  }
}
