/**
 * The search of `checkLinearizable` on one partition (see linearizability.ts for the method):
 * a doubly linked list of call and return events in time order, a stack of choices, and a
 * cache of (set of operations taken, state) pairs already explored.
 *
 * Invariants:
 * - The list holds the events of the operations not taken yet, in time order (a call before a
 *   return at the same time); an operation's events are removed together ("lifted") when it is
 *   taken and put back together when the choice is undone.
 * - The set of taken operations is a bitset with a Zobrist hash (one fixed random word per
 *   operation, XOR-ed in and out), so a cache lookup costs O(1) besides comparing on a hit.
 * - Operations that never returned have their return at +Infinity: reaching one means every
 *   operation that did return has been taken, which is success.
 * @module
 */
import type { Operation } from "./history.js";
import { type LinearizabilityModel, type OperationView, sameState } from "./linear-model.js";

/** @internal A part of a history between two quiescent instants. */
export interface Segment {
  readonly ops: readonly Operation[];
  /** When the last of them returned. */
  readonly end: number;
}

/** An event of the list. */
interface Entry {
  readonly index: number;
  readonly isCall: boolean;
  readonly neverReturned: boolean;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

function zobrist(i: number): number {
  let z = Math.imul(i + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

function build(ops: readonly Operation[]): Entry {
  const events: [number, number, Entry][] = [];
  ops.forEach((op, index) => {
    const ret: Entry = {
      index,
      isCall: false,
      neverReturned: op.return === undefined,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const call: Entry = { ...ret, isCall: true, neverReturned: false, match: ret };
    events.push([op.call, 0, call], [op.return ?? Number.POSITIVE_INFINITY, 1, ret]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].index - b[2].index);
  const head: Entry = {
    index: -1,
    isCall: false,
    neverReturned: false,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let last = head;
  for (const [, , entry] of events) {
    entry.prev = last;
    last.next = entry;
    last = entry;
  }
  return head;
}

function lift(call: Entry): void {
  (call.prev as Entry).next = call.next;
  if (call.next !== undefined) call.next.prev = call.prev;
  const ret = call.match as Entry;
  (ret.prev as Entry).next = ret.next;
  if (ret.next !== undefined) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match as Entry;
  (ret.prev as Entry).next = ret;
  if (ret.next !== undefined) ret.next.prev = ret;
  (call.prev as Entry).next = call;
  if (call.next !== undefined) call.next.prev = call;
}

/**
 * @internal Searches the operations from each of `starts`. `"first"`: is there an order (from
 * any start)? `"all"`: every state an order can end in, from any start (deduplicated).
 */
export function searchLinearization(
  ops: readonly Operation[],
  model: LinearizabilityModel<unknown>,
  starts: readonly unknown[],
  mode: "first" | "all",
): { ok: boolean; states: unknown[] } {
  const equal =
    model.equal === undefined
      ? sameState
      : (a: unknown, b: unknown) => model.equal?.(a, b) === true;
  const out: unknown[] = [];
  for (const start of starts) {
    if (searchFrom(ops, model, equal, start, mode, out) && mode === "first") {
      return { ok: true, states: [] };
    }
  }
  return { ok: out.length > 0, states: out };
}

function searchFrom(
  ops: readonly Operation[],
  model: LinearizabilityModel<unknown>,
  equal: (a: unknown, b: unknown) => boolean,
  start: unknown,
  mode: "first" | "all",
  out: unknown[],
): boolean {
  const head = build(ops);
  const views: OperationView[] = ops.map((op) => ({
    name: op.name,
    input: op.input,
    output: op.output,
    returned: op.return !== undefined,
  }));
  const bits = new Uint32Array((ops.length + 31) >>> 5);
  const cache = new Map<number, { bits: Uint32Array; state: unknown }[]>();
  const stack: { entry: Entry; state: unknown }[] = [];
  let hash = 0;
  let state = start;
  let entry = head.next;
  const toggle = (i: number): void => {
    bits[i >>> 5] = (bits[i >>> 5] as number) ^ (1 << (i & 31));
    hash ^= zobrist(i);
  };
  const seen = (next: unknown): boolean => {
    const bucket = cache.get(hash);
    if (bucket !== undefined) {
      for (const c of bucket) {
        if (c.bits.every((w, k) => w === bits[k]) && equal(c.state, next)) return true;
      }
    }
    const item = { bits: bits.slice(), state: next };
    if (bucket === undefined) cache.set(hash, [item]);
    else bucket.push(item);
    return false;
  };
  for (;;) {
    if (entry?.isCall) {
      const next = model.step(state, views[entry.index] as OperationView);
      if (next !== undefined) {
        toggle(entry.index);
        if (!seen(next)) {
          stack.push({ entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        toggle(entry.index);
      }
      entry = entry.next;
      continue;
    }
    // The end of the list, or a return: every returned operation taken (success), or undo.
    if (entry === undefined || entry.neverReturned) {
      if (mode === "first") return true;
      if (!out.some((s) => equal(s, state))) out.push(state);
    }
    const top = stack.pop();
    if (top === undefined) return false;
    state = top.state;
    toggle(top.entry.index);
    unlift(top.entry);
    entry = top.entry.next;
  }
}
