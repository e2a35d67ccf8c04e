/**
 * Turning a self-contained function into something a worker can run: its source text, checked
 * once and numbered once. Workers compile each source once and cache it under its number.
 *
 * Invariants: one `FunctionInfo` per distinct source text (checked once), found through a
 * WeakMap per function object, so closures created in a loop cost one `toString` and two
 * lookups, and share the workers' compiled copy.
 * @module
 */

/** A function as the pool sends it. */
export interface FunctionInfo {
  readonly id: number;
  readonly source: string;
  readonly name: string;
}

const byFunction = new WeakMap<object, FunctionInfo>();
const bySource = new Map<string, FunctionInfo>();

/**
 * The checked, numbered source of `fn`; throws a `TypeError` naming `where` when `fn` is not a
 * function whose source compiles on its own (native, bound and method-shorthand functions).
 *
 * @example
 * ```ts
 * functionInfo((a: number, b: number) => a + b, "spawnBlocking(fn)").source; // "(a, b) => a + b"
 * ```
 */
export function functionInfo(fn: unknown, where: string): FunctionInfo {
  if (typeof fn !== "function") {
    throw new TypeError(`${where}: expected a function, got ${fn === null ? "null" : typeof fn}`);
  }
  let info = byFunction.get(fn);
  if (info !== undefined) return info;
  const source = Function.prototype.toString.call(fn);
  info = bySource.get(source);
  if (info !== undefined) {
    byFunction.set(fn, info);
    return info;
  }
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(
      `${where}: ${fn.name || "the function"} is native or bound; pass a plain function or arrow function whose source can run on its own`,
    );
  }
  try {
    new Function("__name", `return (${source}\n);`);
  } catch (error) {
    throw new TypeError(
      `${where}: the source of ${fn.name || "the function"} does not compile on its own ` +
        `(a method shorthand like \`name() {}\`?); pass an arrow function or a function expression`,
      { cause: error },
    );
  }
  info = { id: bySource.size + 1, source, name: fn.name || "anonymous" };
  bySource.set(source, info);
  byFunction.set(fn, info);
  return info;
}
