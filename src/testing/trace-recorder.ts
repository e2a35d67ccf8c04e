/**
 * The timeline recorder: what `SimExecutor({ trace: true })` keeps of a run for `sim.trace()`
 * (trace.ts renders it). It watches the simulation as an observer (observer.ts).
 *
 * The time axis is the order of steps: every poll, and every step the simulation takes outside
 * a task (firing timers, delivering a reply, a host turn), gets the next *slot*; each slot
 * carries the virtual time it happened at, since many polls share one virtual instant.
 *
 * Invariants:
 * - Slots are consecutive from 0, in run order; a poll's slot is recorded before the task runs.
 * - A wake is recorded with the slot of the step that caused it (or -1 before the first step)
 *   and the woken task; it points at that task's next poll, if there is one.
 * - Nothing is recorded, and nothing costs, unless the executor was made with `trace: true`.
 * @module
 */
import type { Task } from "../executor/task.js";
import type { ExternalCall } from "./external-calls.js";
import { DELIVERY, type SimObserver, TIMERS } from "./observer.js";

/** @internal A task as the timeline shows it. */
export interface TracedTask {
  readonly id: number;
  readonly name: string | undefined;
  readonly parent: number | undefined;
}

/** @internal One poll. */
export interface TracedPoll {
  readonly task: number;
  readonly slot: number;
  readonly time: number;
  /** What the task waits on after the poll ("done" when the poll finished it). */
  waitingOn: string;
}

/** @internal A step outside any task. */
export interface TracedOutside {
  readonly slot: number;
  readonly time: number;
  readonly kind: "timers" | "delivery" | "host turn";
  readonly label: string;
}

/** @internal A wake: the step that caused it (a slot, -1: before the run) and the woken task. */
export interface TracedWake {
  readonly from: number;
  readonly to: number;
}

/** @internal A fault point drawn during a step. */
export interface TracedFault {
  readonly slot: number;
  readonly name: string;
  readonly fired: boolean;
}

/** @internal */
export class TraceRecorder implements SimObserver {
  readonly tasks = new Map<number, TracedTask>();
  readonly polls: TracedPoll[] = [];
  readonly outsideSteps: TracedOutside[] = [];
  readonly wakes: TracedWake[] = [];
  readonly faults: TracedFault[] = [];
  /** The slot of the step under way, or -1. */
  #slot = -1;
  #next = 0;

  #see(task: Task<unknown>): void {
    const id = task.id;
    if (this.tasks.has(id)) return;
    this.tasks.set(id, {
      id,
      name: task.name,
      parent: task.home.parent === 0 ? undefined : task.home.parent,
    });
  }

  beforePoll(task: Task<unknown>, now: number): void {
    const id = task.id;
    this.#see(task);
    this.#slot = this.#next++;
    this.polls.push({ task: id, slot: this.#slot, time: now, waitingOn: "" });
  }

  afterPoll(task: Task<unknown>): void {
    const poll = this.polls[this.polls.length - 1] as TracedPoll;
    poll.waitingOn = task.isFinished ? "done" : task.waitingOn;
  }

  woke(task: Task<unknown>): void {
    this.#see(task);
    this.wakes.push({ from: this.#slot, to: task.id });
  }

  outside(kind: number, now: number, call: ExternalCall | undefined): void {
    this.#slot = this.#next++;
    this.outsideSteps.push({
      slot: this.#slot,
      time: now,
      kind: kind === TIMERS ? "timers" : kind === DELIVERY ? "delivery" : "host turn",
      label:
        kind === TIMERS
          ? `timers at ${now} ms`
          : kind === DELIVERY
            ? `reply: ${call?.label ?? "?"}`
            : "host turn",
    });
  }

  faulted(name: string, fired: boolean): void {
    this.faults.push({ slot: this.#slot, name, fired });
  }

  access(): void {}

  created(): void {}
}
