/**
 * Making public classes whose constructors are private: handles such as `Receiver`, `Permit`
 * or `MutexGuard` are built only by the library's factories, from internal state users never
 * see. TypeScript's `private constructor` keeps users from calling `new` and keeps the internal
 * parameter types out of the published declarations (they print as `private constructor();`);
 * the factories reach it through this one cast.
 * @module
 */

/** @internal `new cls(...args)` for a class whose constructor is private. */
export function construct<T>(cls: unknown, ...args: unknown[]): T {
  return new (cls as new (...a: unknown[]) => T)(...args);
}
