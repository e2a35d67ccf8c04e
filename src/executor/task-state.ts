/**
 * A task's state word: its lifecycle state, its outcome once done, and its flags, packed in one
 * small integer so a parked task stays small. Every change of lifecycle state goes through one
 * of the named transitions below (tokio's `runtime/task/state.rs`), which checks the state it
 * starts from and returns the new word; the caller acts on what the transition tells it.
 *
 * Lifecycle states, and who moves them:
 * - IDLE: not queued, waiting for a wake. `onWake` → SCHEDULED: the caller queues the task.
 * - SCHEDULED: in the ready queue. `onWake` leaves it (a task is never queued twice);
 *   `toRunning` → RUNNING when the executor takes it off the queue.
 * - RUNNING: polling. `onWake` → NOTIFIED (the wake is remembered, never lost).
 * - NOTIFIED: woken while running. `toIdle` after a Pending poll → SCHEDULED: the caller queues
 *   the task again; from RUNNING, `toIdle` → IDLE. `toRepolled` → RUNNING (from RUNNING too)
 *   when the executor lets a task that yielded go on at once (nothing else is ready).
 * - DONE (`toDone`, with its outcome): terminal; wakes and aborts do nothing.
 *
 * Flags: ABORT (drop the future at the next opportunity), DETACHED (the handle was dropped),
 * OBSERVED (the outcome was delivered through the handle, or reported), SUPERVISED (a `JoinSet`
 * delivers the outcome too), HANDLED (the `JoinSet` delivered the failure), INLINE and STARTED
 * (the task runs an async block's body itself, and has started it); the inline body's argument
 * shape sits above the flags.
 * @module
 */

export const IDLE = 0;
export const SCHEDULED = 1;
export const RUNNING = 2;
export const NOTIFIED = 3;
export const DONE = 4;
export const STATE = 7;

export const VALUE = 8;
export const PANIC = 16;
export const CANCELLED = 24;
export const OUTCOME = 24;

export const ABORT = 32;
export const DETACHED = 64;
export const OBSERVED = 128;
export const INLINE = 256;
export const STARTED = 512;
export const SUPERVISED = 1024;
export const HANDLED = 2048;
/** A failure nobody has seen: PANIC without OBSERVED or HANDLED. */
export const UNSEEN = OUTCOME | OBSERVED | HANDLED;
/** An inline body's argument shape (block-body.ts) sits above the flags. */
export const SHAPE_SHIFT = 12;

/** The state names shown by `tasks()`. */
export type TaskState = "idle" | "scheduled" | "running" | "done";

const NAMES: readonly TaskState[] = ["idle", "scheduled", "running", "running", "done"];

/** The name `tasks()` shows for a state word. */
export function stateName(bits: number): TaskState {
  return NAMES[bits & STATE] as TaskState;
}

function invalid(transition: string, bits: number): Error {
  return new Error(
    `wakeful internal error: task transition ${transition} from state ${bits & STATE} ` +
      `(${stateName(bits)}); please report it`,
  );
}

/** A new task, queued for its first poll: IDLE → SCHEDULED. */
export function toScheduled(bits: number): number {
  if ((bits & STATE) !== IDLE) throw invalid("toScheduled", bits);
  return bits | SCHEDULED;
}

/**
 * A wake: IDLE → SCHEDULED (the caller must queue the task: see {@link mustQueue}),
 * RUNNING → NOTIFIED; no change otherwise.
 */
export function onWake(bits: number): number {
  const state = bits & STATE;
  if (state === IDLE) return bits | SCHEDULED;
  if (state === RUNNING) return bits + (NOTIFIED - RUNNING);
  return bits;
}

/** True when going from `before` to `after` put an idle task on the ready queue's account. */
export function mustQueue(before: number, after: number): boolean {
  return (before & STATE) === IDLE && (after & STATE) === SCHEDULED;
}

/** The executor takes a queued task to poll it: SCHEDULED → RUNNING. */
export function toRunning(bits: number): number {
  if ((bits & STATE) !== SCHEDULED) throw invalid("toRunning", bits);
  return bits + (RUNNING - SCHEDULED);
}

/**
 * A poll returned Pending: RUNNING → IDLE, or NOTIFIED → SCHEDULED (woken meanwhile: the
 * caller queues the task again, see {@link isScheduled}).
 */
export function toIdle(bits: number): number {
  const state = bits & STATE;
  if (state === RUNNING) return bits & ~STATE;
  if (state === NOTIFIED) return (bits & ~STATE) | SCHEDULED;
  throw invalid("toIdle", bits);
}

/**
 * A yield answered on the spot (the executor would poll the task next with nothing in between):
 * RUNNING or NOTIFIED → RUNNING, as if the task had been queued, taken off the queue and polled
 * again (which consumes a wake that came during the poll).
 */
export function toRepolled(bits: number): number {
  const state = bits & STATE;
  if (state === RUNNING) return bits;
  if (state === NOTIFIED) return bits - (NOTIFIED - RUNNING);
  throw invalid("toRepolled", bits);
}

/** An abort was asked for: sets ABORT; an IDLE task becomes SCHEDULED (queue it). */
export function toAborting(bits: number): number {
  const state = bits & STATE;
  if (state === DONE) return bits;
  return state === IDLE ? bits | ABORT | SCHEDULED : bits | ABORT;
}

/** The task finished with `outcome` (VALUE, PANIC or CANCELLED): any live state → DONE. */
export function toDone(bits: number, outcome: number): number {
  if ((bits & STATE) === DONE) throw invalid("toDone", bits);
  return (bits & ~(STATE | OUTCOME)) | DONE | outcome;
}

/** True in state SCHEDULED. */
export function isScheduled(bits: number): boolean {
  return (bits & STATE) === SCHEDULED;
}

/** True in state DONE. */
export function isDone(bits: number): boolean {
  return (bits & STATE) === DONE;
}

/** True while the future is being polled (RUNNING or NOTIFIED). */
export function isPolling(bits: number): boolean {
  const state = bits & STATE;
  return state === RUNNING || state === NOTIFIED;
}
