/**
 * The argument check of `faultPoint(name, probability)`, shared by the entry point and the
 * simulation (which is the only place it runs: outside a simulation a fault point costs one
 * read of the runtime context and checks nothing).
 * @module
 */

/** @internal Throws a TypeError/RangeError naming the bad argument. */
export function checkFaultPoint(name: unknown, probability: unknown): void {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `faultPoint(name, probability): name must be a non-empty string, got ${typeof name === "string" ? '""' : typeof name}`,
    );
  }
  if (typeof probability !== "number" || !(probability >= 0 && probability <= 1)) {
    throw new RangeError(
      `faultPoint(${JSON.stringify(name)}, probability): probability must be a number in [0, 1], got ${String(probability)}`,
    );
  }
}
