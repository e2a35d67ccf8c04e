/**
 * `checkLinearizable(history, model)`: is there a sequential order of the recorded operations,
 * consistent with their real-time order (an operation that returned before another was called
 * comes first), in which every output is what the sequential model gives?
 *
 * The search is Wing and Gong's (J. Parallel Distrib. Comput., 1993) with Lowe's memoisation
 * (2017), as Porcupine does it: walk the call and return events in time order; at a call, try
 * to take the operation now (the model accepts its output) unless the same set of taken
 * operations already led to an equal state (the cache); at a return whose operation is not
 * taken yet, undo the last choice. P-compositionality (Herlihy and Wing): when the model
 * partitions operations (by key, say), each partition is checked on its own, and the history
 * is linearizable exactly when every partition is.
 *
 * Operations that never returned (they threw, were dropped, or still run) may or may not have
 * taken effect: each may be taken anywhere after its call, or never, and the model sees it
 * with `returned: false` and no output.
 *
 * When a partition fails, the report narrows it to a *window*: the earliest return `t` after
 * which no order works, and the latest quiescent instant `q` (no operation under way) such
 * that the operations between `q` and `t` fail from every state the operations before `q` can
 * lead to. The window stands on its own: no state before it explains it.
 * @module
 */
import type { History, Operation } from "./history.js";
import type { LinearizabilityModel, OperationView } from "./linear-model.js";
import { type Segment, searchLinearization } from "./linear-search.js";

export type { LinearizabilityModel, OperationView } from "./linear-model.js";

/** What {@link checkLinearizable} found. */
export interface LinearizabilityResult {
  /** True when some sequential order explains every output. */
  readonly ok: boolean;
  /** Operations checked. */
  readonly operations: number;
  /** Partitions they were checked in (1 without `model.partition`). */
  readonly partitions: number;
  /** The operation whose output no order explains (the earliest such return). */
  readonly culprit: Operation | undefined;
  /** The smallest failing window (see the module comment), in call order; empty when ok. */
  readonly window: readonly Operation[];
  /** The window explained, one operation per line; empty when ok. */
  readonly message: string;
}

/** A checker's view of an operation: what the model's `step` receives. */
function view(op: Operation): OperationView {
  return { name: op.name, input: op.input, output: op.output, returned: op.return !== undefined };
}

function describe(model: LinearizabilityModel<unknown>, op: Operation): string {
  if (model.describe !== undefined) return model.describe(view(op));
  const args = Array.isArray(op.input)
    ? op.input.map((a) => JSON.stringify(a) ?? String(a)).join(", ")
    : (JSON.stringify(op.input) ?? String(op.input));
  const out =
    op.return === undefined
      ? op.error === undefined
        ? " (never returned)"
        : ` threw ${String(op.error)}`
      : ` → ${JSON.stringify(op.output) ?? String(op.output)}`;
  return `${op.name}(${args})${out}`;
}

function checkModel(model: unknown): LinearizabilityModel<unknown> {
  const m = model as LinearizabilityModel<unknown> | null;
  if (
    m === null ||
    typeof m !== "object" ||
    typeof m.init !== "function" ||
    typeof m.step !== "function"
  ) {
    throw new TypeError(
      "checkLinearizable(history, model): model must have init() and step(state, operation)",
    );
  }
  for (const key of ["equal", "partition", "describe"] as const) {
    if (m[key] !== undefined && typeof m[key] !== "function") {
      throw new TypeError(`checkLinearizable(history, model): model.${key} must be a function`);
    }
  }
  return m;
}

/**
 * Checks that the operations of `history` (a {@link History}, or a list of operations) are
 * linearizable with respect to `model`, a sequential specification: `init()` gives the
 * initial state, `step(state, op)` the state after `op`, or `undefined` when `op`'s output is
 * impossible in `state` (states must not be `undefined`). Give `equal` when states are not
 * plain data (the default compares numbers, strings, arrays, plain objects, Maps and Sets by
 * content), and `partition` to check independent parts (keys) apart, which is much faster.
 *
 * A failure names the operation no order explains and the smallest failing window.
 *
 * @example
 * ```ts
 * const register: LinearizabilityModel<number> = {
 *   init: () => 0,
 *   step: (value, op) =>
 *     op.name === "write" ? (op.input as number)
 *       : !op.returned || op.output === value ? value : undefined,
 * };
 * const result = checkLinearizable(history, register);
 * if (!result.ok) throw new Error(result.message);
 * ```
 */
export function checkLinearizable<S>(
  history: History | readonly Operation[],
  model: LinearizabilityModel<S>,
): LinearizabilityResult {
  const m = checkModel(model);
  const ops = Array.isArray(history)
    ? (history as readonly Operation[])
    : (history as History | null)?.operations;
  if (!Array.isArray(ops)) {
    throw new TypeError(
      "checkLinearizable(history, model): history must be a History or a list of operations",
    );
  }
  const parts = new Map<unknown, Operation[]>();
  for (const op of ops) {
    const key = m.partition === undefined ? undefined : m.partition(view(op));
    const part = parts.get(key);
    if (part === undefined) parts.set(key, [op]);
    else part.push(op);
  }
  for (const part of parts.values()) {
    if (!searchLinearization(part, m, [m.init()], "first").ok) {
      return failure(part, m, ops.length, parts.size);
    }
  }
  return {
    ok: true,
    operations: ops.length,
    partitions: parts.size,
    culprit: undefined,
    window: [],
    message: "",
  };
}

/** The culprit and the smallest window of a failing partition. */
function failure(
  part: readonly Operation[],
  model: LinearizabilityModel<unknown>,
  operations: number,
  partitions: number,
): LinearizabilityResult {
  // The earliest return after which no order works (failing is monotone in the cut).
  const returns = part
    .filter((op) => op.return !== undefined)
    .map((op) => op.return as number)
    .sort((a, b) => a - b);
  const failsAt = (cut: number, from: readonly Operation[], states: unknown[]): boolean =>
    !searchLinearization(truncate(from, cut), model, states, "first").ok;
  let lo = 0;
  let hi = returns.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (failsAt(returns[mid] as number, part, [model.init()])) hi = mid;
    else lo = mid + 1;
  }
  const cut = returns[lo] as number;
  const culprit = part.find((op) => op.return === cut) as Operation;
  // States reachable at each quiescent instant before the cut, then the latest that still fails.
  const segments = quiescentSegments(part, cut);
  let states: unknown[] = [model.init()];
  const reachable: { start: number; states: unknown[] }[] = [{ start: 0, states }];
  for (const segment of segments.slice(0, -1)) {
    states = searchLinearization(segment.ops, model, states, "all").states;
    reachable.push({ start: segment.end, states });
  }
  let window = part.filter((op) => op.call < cut);
  let before: unknown[] = [model.init()];
  for (let i = reachable.length - 1; i > 0; i--) {
    const { start, states: at } = reachable[i] as { start: number; states: unknown[] };
    const ops = part.filter((op) => op.call > start && op.call < cut);
    if (failsAt(cut, ops, at)) {
      window = ops;
      before = at;
      break;
    }
  }
  const lines = truncate(window, cut).map((op) => {
    const end = op.return === undefined ? "…" : String(op.return);
    return `  [${op.call}–${end}] #${op.id} ${describe(model, op)}`;
  });
  const shownStates =
    before.length <= 3 ? before.map(showState).join(" or ") : `${before.length} states`;
  const message = [
    `not linearizable: no order of the operations explains #${culprit.id} ${describe(model, culprit)}, returned at ${cut}.`,
    `Smallest failing window (${window.length} operation${window.length === 1 ? "" : "s"}; the operations before it leave the state at ${shownStates}):`,
    ...lines,
  ].join("\n");
  return { ok: false, operations, partitions, culprit, window, message };
}

/** The operations as seen at instant `cut`: later calls dropped, later returns not yet seen. */
function truncate(ops: readonly Operation[], cut: number): Operation[] {
  return ops
    .filter((op) => op.call < cut)
    .map((op) =>
      op.return !== undefined && op.return > cut
        ? { ...op, return: undefined, output: undefined }
        : op,
    );
}

/** The history before `cut`, split at its quiescent instants (no operation under way). */
function quiescentSegments(ops: readonly Operation[], cut: number): Segment[] {
  const sorted = ops.filter((op) => op.call < cut).sort((a, b) => a.call - b.call);
  const segments: Segment[] = [];
  let current: Operation[] = [];
  let busyUntil = -1;
  for (const op of sorted) {
    if (current.length > 0 && op.call > busyUntil) {
      segments.push({ ops: current, end: busyUntil });
      current = [];
    }
    current.push(op);
    const end = op.return === undefined || op.return > cut ? Number.POSITIVE_INFINITY : op.return;
    busyUntil = Math.max(busyUntil, end);
  }
  segments.push({ ops: current, end: busyUntil });
  return segments;
}

function showState(state: unknown): string {
  if (state instanceof Map) {
    return `Map{${[...state].map(([k, v]) => `${JSON.stringify(k)} → ${JSON.stringify(v)}`).join(", ")}}`;
  }
  return JSON.stringify(state) ?? String(state);
}
