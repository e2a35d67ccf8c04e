/**
 * Values shared by every copy of wakeful in one JavaScript realm: the ESM and CommonJS builds
 * loaded side by side (the dual-package hazard), or two installs of a compatible version.
 * Whatever the core compares by identity (`Poll.pending`) or keeps as the one current state
 * (the runtime state, runtime.ts) must be one object per realm, or a future made by one copy
 * would be misread by another.
 *
 * Invariants:
 * - A value is stored on `globalThis` under `Symbol.for(key)`, non-enumerable, the first time
 *   any copy asks for it, and never replaced.
 * - A key names its value's shape with a version (`…/1`): a change of shape takes a new key, so
 *   copies that disagree on the shape never share it.
 * @module
 */

/** @internal The value stored under `key` in this realm, made by `create` on first use. */
export function realmShared<T>(key: string, create: () => T): T {
  const realm = globalThis as Record<symbol, unknown>;
  const symbol = Symbol.for(key);
  if (symbol in realm) return realm[symbol] as T;
  const value = create();
  Object.defineProperty(realm, symbol, { value });
  return value;
}
