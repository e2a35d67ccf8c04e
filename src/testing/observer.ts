/**
 * What a simulation reports to an observer, step by step: the timeline recorder (trace.ts) and
 * the exhaustive explorer (explore.ts) watch a run through this interface.
 *
 * Invariants:
 * - Calls come in run order: a poll is `beforePoll` … `afterPoll`; between polls the simulation
 *   may announce an outside step (`outside`: timers fired, a reply delivered, a host turn), and
 *   everything until the next poll or outside step belongs to it.
 * - `woke(task)` is called each time a task joins the ready list (a wake of an idle task, or a
 *   spawn); a wake of a task that is already ready or running changes nothing and is not seen.
 * - An exception thrown by an observer ends the run: it is what `run` rejects with (explore's
 *   way of cutting a redundant run short); the tasks are dropped as usual.
 * - With no observer, the simulation pays one field check per poll.
 * @module
 */
import type { Task } from "../executor/task.js";
import type { ExternalCall } from "./external-calls.js";

/** @internal Kinds of outside steps. */
export const TIMERS = 1;
/** @internal */
export const DELIVERY = 2;
/** @internal */
export const HOST_TURN = 3;

/** @internal */
export interface SimObserver {
  /** `task` is about to be polled, at virtual time `now`. */
  beforePoll(task: Task<unknown>, now: number): void;
  /** The poll of `task` returned. */
  afterPoll(task: Task<unknown>): void;
  /** `task` joined the ready list. */
  woke(task: Task<unknown>): void;
  /** The simulation acts outside any task: fires timers (TIMERS), delivers `call`, waits a host turn. */
  outside(kind: number, now: number, call: ExternalCall | undefined): void;
  /** A fault point was drawn (`fired`: the fault is injected). */
  faulted(name: string, fired: boolean): void;
  /** The current step read (or wrote) a shared cell. */
  access(cell: object, write: boolean): void;
  /** The current step (or the program being built) made a shared cell. */
  created(cell: object): void;
}
