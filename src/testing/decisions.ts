/**
 * The decisions of one simulated run: which ready task (or pending outside call) goes next,
 * each random draw, each fault point. The strategy proposes; the answer is checked and recorded
 * here, so the recorded schedule replays the same questions in the same order.
 *
 * Invariants:
 * - An answer is recorded only when it is in range. An out-of-range answer (a replay that the
 *   run departed from) records nothing and is reported through `onDiverge`; the caller then
 *   stops picking (`pick` gives -1) or falls back to the first choice (`draw`, `fault`).
 * @module
 */
import type { ScheduledTask } from "../executor/owned-tasks.js";
import type { ReadyTasks } from "./ready-ring.js";
import { DRAW, DRAW_LEVELS, drawValue, FAULT, PICK, ScheduleRecorder } from "./schedule.js";
import type { Strategy } from "./strategies.js";

/** @internal See the module invariants. */
export class Decisions {
  readonly recorder = new ScheduleRecorder();
  readonly strategy: Strategy;
  readonly #onDiverge: (problem: string) => void;

  constructor(strategy: Strategy, onDiverge: (problem: string) => void) {
    this.strategy = strategy;
    this.#onDiverge = onDiverge;
  }

  /** One of `count` choices, in [0, count); -1 when the run departed from its schedule. */
  pick(choices: ReadyTasks, last: ScheduledTask | undefined, count: number): number {
    const index = this.strategy.pick(choices, last);
    if (index < 0 || index >= count) {
      this.#onDiverge(this.strategy.problem());
      return -1;
    }
    this.recorder.push(PICK, count, index);
    return index;
  }

  /** A random value in [0, 1), one of `DRAW_LEVELS`. */
  draw(): number {
    let level = this.strategy.draw();
    if (level < 0 || level >= DRAW_LEVELS) {
      this.#onDiverge(this.strategy.problem());
      level = 0;
    }
    this.recorder.push(DRAW, DRAW_LEVELS, level);
    return drawValue(level);
  }

  /** Whether a fault point with `probability` in (0, 1) fires. */
  fault(probability: number): boolean {
    let level = this.strategy.fault(probability);
    if (level !== 0 && level !== 1) {
      this.#onDiverge(this.strategy.problem());
      level = 0;
    }
    this.recorder.push(FAULT, 2, level);
    return level === 1;
  }

  /** At the end of the run: a problem when the run did not follow its whole schedule. */
  finish(): string | undefined {
    return this.strategy.finish(this.recorder.length, this.recorder.checksum);
  }
}
