/**
 * The sequential specification `checkLinearizable` checks against, and the default equality
 * of its states.
 *
 * Invariant: `sameState` is an equivalence on plain data (numbers, strings, arrays, plain
 * objects, Maps, Sets, compared by content, keys of Maps and Sets by identity); other objects
 * are equal only to themselves.
 * @module
 */

/** An operation as the model's `step` sees it. */
export interface OperationView<I = unknown, O = unknown> {
  /** The name it was recorded under (`"put"`, `"get"`…). */
  readonly name: string;
  /** Its input. */
  readonly input: I;
  /** Its output; `undefined` when it never returned. */
  readonly output: O | undefined;
  /**
   * False when the operation never returned (it threw, was dropped, or still runs): it may have
   * taken effect, its output is unknown, and `step` should accept it as if any output were
   * right.
   */
  readonly returned: boolean;
}

/**
 * A sequential specification of the system under test, for `checkLinearizable`.
 *
 * @example A key-value store, checked key by key:
 * ```ts
 * const kv: LinearizabilityModel<string | undefined> = {
 *   init: () => undefined,
 *   step: (value, op) => {
 *     if (op.name === "put") return (op.input as [string, string])[1];
 *     return !op.returned || op.output === value ? value : undefined; // a get
 *   },
 *   partition: (op) => (op.input as [string])[0],
 * };
 * ```
 */
export interface LinearizabilityModel<S> {
  /** The state before any operation. Must not be `undefined`. */
  init(): S;
  /**
   * The state after `operation` in `state`, or `undefined` when its output is impossible
   * there. Must not change `state` (return a new one).
   */
  step(state: S, operation: OperationView): S | undefined;
  /**
   * Whether two states are the same (the search skips a state it has seen with the same
   * operations done).
   * @default content equality of plain data: numbers, strings, arrays, plain objects, Maps, Sets
   */
  equal?(a: S, b: S): boolean;
  /**
   * Splits the history into parts checked apart (P-compositionality): operations with the same
   * key form a part. Only for parts that are truly independent, such as the keys of a store.
   * @default one part
   */
  partition?(operation: OperationView): unknown;
  /**
   * How an operation is shown in a report.
   * @default `name(input…) → output`
   */
  describe?(operation: OperationView): string;
}

/** @internal Content equality of plain data (see the module invariant). */
export function sameState(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameState(x, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameState(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  const pa = Object.getPrototypeOf(a);
  if ((pa !== Object.prototype && pa !== null) || Object.getPrototypeOf(b) !== pa) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && sameState((a as never)[k], (b as never)[k]))
  );
}
