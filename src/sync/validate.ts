/**
 * Eager argument checks shared by the sync primitives, so every message has the same shape:
 * `channel(capacity): capacity must be a whole number >= 1, got 0`.
 * @module
 */

/** Throws a `RangeError` unless `value` is a whole number >= `min` (safe integer range). */
export function checkWhole(value: unknown, min: number, where: string, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${where}: ${name} must be a whole number >= ${min}, got ${show(value)}`);
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
