/**
 * Steps and what they touch, for `explore`'s partial-order reduction: the dependency relation
 * that decides which steps commute.
 *
 * A *step* is one thing a run does: a task's poll (actor: the task's id), the delivery of an
 * outside call's reply (actor: the call's id, < 0), firing the timers of a virtual instant
 * (actor: CLOCK_ID) or a host turn that lets plain promises settle (actor: HOST_ID). Its
 * *footprint* is what `explore` saw it do: the `shared()` cells it read and wrote, and the
 * tasks it woke or spawned.
 *
 * Two steps of different actors are *dependent* (their order may matter) when:
 * - either is opaque: under `sharing: "any"` every step is, since `explore` cannot see what a
 *   task shares through closures, sync primitives or anything else;
 * - one writes a cell the other reads or writes;
 * - one woke or spawned the other's task;
 * - one delivers a reply and the other is a step of the task that made the call, or fires
 *   timers (a reply and a timeout race).
 * Everything else commutes. Two steps of one actor are ordered by the program, never reordered.
 *
 * Invariant: the relation is symmetric, and a union of footprints is dependent with a step
 * whenever one of its parts is.
 * @module
 */
import { CLOCK_ID } from "./choices.js";

/** @internal The actor of a host turn (never a choice). */
export const HOST_ID = Number.MIN_SAFE_INTEGER;

/** @internal Step kinds. */
export const POLL = 0;
/** @internal */
export const REPLY = 1;
/** @internal */
export const TIMERS_STEP = 2;
/** @internal */
export const HOST_STEP = 3;

/** @internal What one step (or a union of steps of one actor) touched. */
export class Footprint {
  readonly actor: number;
  readonly kind: number;
  /** For a reply: the task that made the call (0: none). */
  readonly caller: number;
  opaque: boolean;
  /** The cells read and written, by their key (see explore.ts). */
  reads: Set<unknown> | undefined = undefined;
  writes: Set<unknown> | undefined = undefined;
  wakes: Set<number> | undefined = undefined;

  constructor(actor: number, kind: number, caller: number, opaque: boolean) {
    this.actor = actor;
    this.kind = kind;
    this.caller = caller;
    this.opaque = opaque;
  }

  access(cell: unknown, write: boolean): void {
    if (write) {
      this.writes ??= new Set();
      this.writes.add(cell);
    } else {
      this.reads ??= new Set();
      this.reads.add(cell);
    }
  }

  woke(task: number): void {
    if (task === this.actor) return;
    this.wakes ??= new Set();
    this.wakes.add(task);
  }

  /** A footprint covering both this one and `other` (same actor). */
  union(other: Footprint): Footprint {
    const u = new Footprint(this.actor, this.kind, this.caller, this.opaque || other.opaque);
    u.reads = merge(this.reads, other.reads);
    u.writes = merge(this.writes, other.writes);
    u.wakes = merge(this.wakes, other.wakes);
    return u;
  }
}

function merge<T>(a: Set<T> | undefined, b: Set<T> | undefined): Set<T> | undefined {
  if (a === undefined) return b === undefined ? undefined : new Set(b);
  const m = new Set(a);
  if (b !== undefined) for (const x of b) m.add(x);
  return m;
}

function meets(a: Set<unknown> | undefined, b: Set<unknown> | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}

function replyMeets(reply: Footprint, other: Footprint): boolean {
  return (
    reply.kind === REPLY &&
    ((reply.caller !== 0 && other.actor === reply.caller) || other.kind === TIMERS_STEP)
  );
}

/** @internal True when the order of `a` and `b` may matter (see the module comment). */
export function dependent(a: Footprint, b: Footprint): boolean {
  if (a.actor === b.actor || a.opaque || b.opaque) return true;
  if (a.wakes?.has(b.actor) === true || b.wakes?.has(a.actor) === true) return true;
  if (replyMeets(a, b) || replyMeets(b, a)) return true;
  if (a.kind === TIMERS_STEP && b.kind === TIMERS_STEP) return true;
  return meets(a.writes, b.writes) || meets(a.writes, b.reads) || meets(b.writes, a.reads);
}

/** @internal True for the actors that are tasks. */
export function isTask(actor: number): boolean {
  return actor > CLOCK_ID;
}
