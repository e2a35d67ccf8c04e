/**
 * The data of a timeline: a frozen copy of what the recorder kept (trace-recorder.ts), with the
 * run's summary, and the wake arrows derived from it; shared by the trace-event JSON (trace.ts)
 * and the HTML page (trace-html.ts).
 *
 * Invariant: a wake becomes an arrow only when the woken task was polled after it; the arrow
 * ends at that next poll.
 * @module
 */
import type {
  TracedFault,
  TracedOutside,
  TracedPoll,
  TracedTask,
  TracedWake,
} from "./trace-recorder.js";

/** @internal What a trace shows besides the recorded steps. */
export interface TraceSummary {
  readonly schedule: string;
  readonly now: number;
  readonly polls: number;
  readonly faults: readonly string[];
}

/** @internal A frozen copy of a recorder's data, with the run's summary. */
export interface TraceData extends TraceSummary {
  readonly tasks: readonly TracedTask[];
  readonly polls_: readonly TracedPoll[];
  readonly outside: readonly TracedOutside[];
  readonly wakes: readonly TracedWake[];
  readonly faultsDrawn: readonly TracedFault[];
  readonly steps: number;
}

/** @internal A wake arrow from a step's slot to the poll it led to. */
export interface WakeArrow {
  readonly from: number;
  readonly fromTask: number;
  readonly to: number;
  readonly toTask: number;
}

/** @internal µs per step in the trace-event JSON. */
export const STEP_US = 10;

/** @internal Each wake that led to a later poll, with the task of its source (0: the simulation). */
export function wakeArrows(data: TraceData): WakeArrow[] {
  const owner = new Map<number, number>();
  for (const p of data.polls_) owner.set(p.slot, p.task);
  const byTask = new Map<number, number[]>();
  for (const p of data.polls_) {
    const list = byTask.get(p.task);
    if (list === undefined) byTask.set(p.task, [p.slot]);
    else list.push(p.slot);
  }
  const arrows: WakeArrow[] = [];
  for (const w of data.wakes) {
    if (w.from < 0) continue;
    const next = firstAfter(byTask.get(w.to), w.from);
    if (next === undefined) continue;
    arrows.push({ from: w.from, fromTask: owner.get(w.from) ?? 0, to: next, toTask: w.to });
  }
  return arrows;
}

/** The first of the ascending `slots` after `slot` (binary search). */
function firstAfter(slots: readonly number[] | undefined, slot: number): number | undefined {
  if (slots === undefined) return undefined;
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((slots[mid] as number) > slot) hi = mid;
    else lo = mid + 1;
  }
  return slots[lo];
}
