/**
 * Schedules: the choices a simulation made, as short strings that can be printed and pasted back.
 *
 * A run of `SimExecutor` is a sequence of *decisions*. A decision is a *pick* (which of the
 * `n >= 2` options to take next: ready tasks, pending `sim.external` calls to deliver, or
 * letting virtual time move, see choices.ts; index 0 is the task that has waited longest, so
 * always picking 0 is plain FIFO), a *draw* (a `random()` call, e.g. `select`'s fair start
 * branch, one of {@link DRAW_LEVELS} levels) or a *fault* (a `faultPoint`: 0 no fault, 1
 * fault). A pick with a single option is not a decision.
 *
 * Two textual forms, both versioned:
 * - A **trace** `w1:<choices>.<checksum>` records every decision of a run, one base36 character
 *   per choice (`(…)` around choices >= 36, `c*<count>*` for a run of 4 or more equal choices).
 *   The checksum covers the kind and the number of options of each decision, so a replay can
 *   tell when the program no longer makes the same decisions. Replays are strict.
 * - **Deviations** `w1d:<step>.<choice>,…` list only the decisions that differ from FIFO
 *   (decimal step numbers, strictly increasing). Every other decision takes option 0; a listed
 *   one takes option `1 + choice % (n - 1)` (always a real deviation). Replays are lenient: any
 *   program can run under any deviation list, which is what lets fast-check shrink them.
 *
 * Invariant: `Schedule.parse(String(s))` describes the same schedule as `s`.
 * @module
 */

/** @internal How many levels a `random()` draw has under `SimExecutor` (one schedule character each). */
export const DRAW_LEVELS = 32;

/** @internal Decision kinds, as mixed into the checksum. */
export const PICK = 1;
/** @internal */
export const DRAW = 2;
/** @internal A fault point's outcome (0: no fault, 1: fault). */
export const FAULT = 3;

const TRACE = "w1:";
const DEVIATIONS = "w1d:";
const CHECKSUM_MODULUS = 36 ** 4;

/**
 * @internal The value `random()` returns for a draw at `level`. Levels are bit-reversed so that small
 * levels are coarse choices: level 0 is the first branch, 1 the middle, 2 and 3 the quarters…
 *
 * @example
 * ```ts
 * drawValue(0); // 1/64: select starts at branch 0
 * drawValue(1); // 33/64: select of 2 starts at branch 1
 * ```
 */
export function drawValue(level: number): number {
  let reversed = 0;
  for (let bit = 0, l = level; bit < 5; bit++, l >>= 1) reversed = (reversed << 1) | (l & 1);
  return (reversed + 0.5) / DRAW_LEVELS;
}

/** @internal Folds one decision into a running checksum (FNV-1a style, 32-bit). */
export function mixChecksum(hash: number, kind: number, options: number): number {
  return Math.imul(Math.imul(hash ^ kind, 0x01000193) ^ options, 0x01000193);
}

/** @internal The printed part of a checksum (4 base36 digits). */
export function reduceChecksum(hash: number): number {
  return (hash >>> 0) % CHECKSUM_MODULUS;
}

/** @internal The checksum of no decisions. */
export const EMPTY_CHECKSUM = 0x811c9dc5 | 0;

/**
 * @internal What a schedule holds: a trace (every choice, and the checksum of the decisions'
 * kinds and option counts) or a list of deviations (`[step, choice]` pairs with strictly
 * increasing steps).
 */
export interface ScheduleData {
  readonly choices: readonly number[] | undefined;
  readonly checksum: number;
  readonly deviations: readonly (readonly [number, number])[] | undefined;
}

/** The data of every schedule made by this module (kept outside the public class). */
const DATA = new WeakMap<Schedule, ScheduleData>();

/**
 * A schedule: a recorded trace of every scheduling decision of a run, or a list of deviations
 * from FIFO (what {@link schedules} generates). Pass it, or its string, to `SimExecutor`'s
 * `schedule` option or to `SimExecutor.replay`; `String(schedule)` is the paste-able form.
 *
 * @example
 * ```ts
 * const s = Schedule.parse("w1d:3.0");  // at decision 3, take the second-oldest ready task
 * const sim = SimExecutor.replay(s);
 * ```
 */
export class Schedule {
  #text: string | undefined = undefined;

  private constructor(data: ScheduleData) {
    DATA.set(this, data);
  }

  /**
   * `"trace"` for a recorded run (strict replay), `"deviations"` for a list of departures from
   * FIFO (lenient replay).
   *
   * @example
   * ```ts
   * Schedule.parse(sim.schedule).kind; // "trace"
   * ```
   */
  get kind(): "trace" | "deviations" {
    return DATA.get(this)?.choices === undefined ? "deviations" : "trace";
  }

  /**
   * Parses a schedule string printed by `sim.schedule`, a failing property, or `String(s)`.
   * Malformed text is a RangeError that says what was expected.
   *
   * @example
   * ```ts
   * const s = Schedule.parse("w1:0110.2bq4");
   * ```
   */
  static parse(text: string): Schedule {
    if (typeof text !== "string") {
      throw new TypeError(`Schedule.parse(text): expected a string, got ${typeof text}`);
    }
    const t = text.trim();
    if (t.startsWith(TRACE)) return parseTrace(t);
    if (t.startsWith(DEVIATIONS)) return parseDeviations(t);
    throw new RangeError(
      `Schedule.parse(text): expected a schedule starting with "${TRACE}" or "${DEVIATIONS}", got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }

  /**
   * A schedule that follows FIFO except at the given decision steps, where it takes option
   * `1 + choice % (n - 1)` of the `n` available. Duplicate steps keep the first entry.
   *
   * @example
   * ```ts
   * const s = Schedule.fromDeviations([[3, 0]]); // "w1d:3.0"
   * ```
   */
  static fromDeviations(entries: Iterable<readonly [number, number]>): Schedule {
    const sorted: [number, number][] = [];
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new TypeError("Schedule.fromDeviations(entries): each entry must be [step, choice]");
      }
      const [step, choice] = entry;
      wholeNumber(step, "step");
      wholeNumber(choice, "choice");
      sorted.push([step, choice]);
    }
    sorted.sort((a, b) => a[0] - b[0]);
    const unique = sorted.filter(
      (e, i) => i === 0 || (sorted[i - 1] as [number, number])[0] !== e[0],
    );
    return new Schedule({ choices: undefined, checksum: 0, deviations: unique });
  }

  /** The paste-able text: `w1:…` for a trace, `w1d:…` for deviations. */
  toString(): string {
    if (this.#text === undefined) {
      const data = DATA.get(this);
      this.#text =
        data?.choices === undefined
          ? DEVIATIONS + (data?.deviations ?? []).map(([s, c]) => `${s}.${c}`).join(",")
          : encodeTrace(data.choices, data.checksum);
    }
    return this.#text;
  }

  /** JSON form: the string. */
  toJSON(): string {
    return this.toString();
  }

  // How fast-check prints the schedule in a counterexample: a quoted, paste-able string. The
  // key is written inline so that the declarations do not name it.
  [Symbol.for("fast-check/toStringMethod")](): string {
    return JSON.stringify(this.toString());
  }
}

/**
 * @internal What `schedule` holds, or `undefined` for an object that is no schedule made here
 * (one that only inherits from `Schedule.prototype`).
 */
export function scheduleData(schedule: Schedule): ScheduleData | undefined {
  return DATA.get(schedule);
}

/** @internal Builds a trace schedule from recorded choices. */
export function traceSchedule(choices: readonly number[], checksum: number): Schedule {
  const make = Schedule as unknown as new (data: ScheduleData) => Schedule;
  return new make({ choices, checksum: reduceChecksum(checksum), deviations: undefined });
}

/** @internal The text of a trace. */
export function encodeTrace(choices: readonly number[], checksum: number): string {
  let body = "";
  const n = choices.length;
  for (let i = 0; i < n; ) {
    const c = choices[i] as number;
    let j = i + 1;
    while (j < n && choices[j] === c) j++;
    const token = c < 36 ? c.toString(36) : `(${c.toString(36)})`;
    const run = j - i;
    body += run >= 4 ? `${token}*${run.toString(36)}*` : token.repeat(run);
    i = j;
  }
  const sum = reduceChecksum(checksum).toString(36).padStart(4, "0");
  return `${TRACE}${body}.${sum}`;
}

function bad(text: string, what: string): RangeError {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return new RangeError(`Schedule.parse(text): ${what} in ${JSON.stringify(shown)}`);
}

function parseTrace(text: string): Schedule {
  const dot = text.lastIndexOf(".");
  if (dot < TRACE.length) throw bad(text, 'expected ".<checksum>" at the end of the trace');
  const sumText = text.slice(dot + 1);
  if (!/^[0-9a-z]{4}$/.test(sumText)) throw bad(text, "expected a 4-character checksum");
  const checksum = Number.parseInt(sumText, 36);
  const body = text.slice(TRACE.length, dot);
  const choices: number[] = [];
  let i = 0;
  const readUntil = (close: string): string => {
    const end = body.indexOf(close, i);
    if (end < 0) throw bad(text, `missing "${close}"`);
    const inner = body.slice(i, end);
    i = end + 1;
    if (!/^[0-9a-z]+$/.test(inner)) throw bad(text, `expected base36 digits before "${close}"`);
    return inner;
  };
  while (i < body.length) {
    const ch = body[i++] as string;
    let c: number;
    if (ch === "(") c = Number.parseInt(readUntil(")"), 36);
    else if (/[0-9a-z]/.test(ch)) c = Number.parseInt(ch, 36);
    else throw bad(text, `unexpected character ${JSON.stringify(ch)}`);
    let run = 1;
    if (body[i] === "*") {
      i++;
      run = Number.parseInt(readUntil("*"), 36);
    }
    for (let k = 0; k < run; k++) choices.push(c);
  }
  return traceSchedule(choices, checksum);
}

function parseDeviations(text: string): Schedule {
  const body = text.slice(DEVIATIONS.length);
  if (body === "") return Schedule.fromDeviations([]);
  const entries: [number, number][] = [];
  let last = -1;
  for (const part of body.split(",")) {
    const m = /^(\d+)\.(\d+)$/.exec(part);
    if (m === null) throw bad(text, `expected "<step>.<choice>", got ${JSON.stringify(part)}`);
    const step = Number(m[1]);
    if (step <= last) throw bad(text, "steps must be strictly increasing");
    last = step;
    entries.push([step, Number(m[2])]);
  }
  return Schedule.fromDeviations(entries);
}

function wholeNumber(value: unknown, name: string): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Schedule.fromDeviations(entries): ${name} must be a whole number >= 0, got ${String(value)}`,
    );
  }
}

/**
 * @internal Records the decisions of a run: the choices and a running checksum. Appending does
 * not allocate beyond the growth of one number array.
 */
export class ScheduleRecorder {
  readonly choices: number[] = [];
  checksum = EMPTY_CHECKSUM;

  push(kind: number, options: number, choice: number): void {
    this.choices.push(choice);
    this.checksum = mixChecksum(this.checksum, kind, options);
  }

  get length(): number {
    return this.choices.length;
  }

  toString(): string {
    return encodeTrace(this.choices, this.checksum);
  }
}
