/**
 * `shared(initial)`: a cell of state that several tasks read and write, made visible to
 * `explore`: each `get` and `set` tells the simulation polling right now (if any) that the
 * current step read or wrote this cell, which is how `explore({ sharing: "cells" })` knows two
 * steps commute. Outside a simulation a cell is a plain box.
 *
 * Invariants:
 * - Every read goes through `get` (or `update`) and every write through `set` (or `update`),
 *   each reported once; the value itself is never copied.
 * - A cell made inside a simulation (by the program `explore` builds, or by a task) is
 *   announced, so that `explore` can tell it apart from run to run by who made it and in
 *   which order, not by object identity (each run makes new cells).
 *
 * @module
 */
import { currentSimulation } from "./registry.js";

/**
 * A value shared by several tasks, whose reads and writes `explore` sees. Made by
 * {@link shared}.
 *
 * @example
 * ```ts
 * const counter = shared(0);
 * counter.set(counter.get() + 1);
 * counter.update((n) => n + 1);
 * ```
 */
export class Shared<T> {
  #value: T;

  /** @internal Made by `shared()`. */
  constructor(initial: T) {
    this.#value = initial;
    currentSimulation()?.created(this);
  }

  /**
   * Reads the value (a read of this cell, for `explore`).
   *
   * @example
   * ```ts
   * const seen = balance.get();
   * ```
   */
  get(): T {
    currentSimulation()?.access(this, false);
    return this.#value;
  }

  /**
   * Replaces the value (a write of this cell, for `explore`).
   *
   * @example
   * ```ts
   * balance.set(seen + amount);
   * ```
   */
  set(value: T): void {
    currentSimulation()?.access(this, true);
    this.#value = value;
  }

  /**
   * Reads, transforms and writes the value in one step (atomic: no task runs in between, as
   * with any code between two awaits); returns the new value.
   *
   * @example
   * ```ts
   * hits.update((n) => n + 1);
   * ```
   */
  update(fn: (value: T) => T): T {
    if (typeof fn !== "function") {
      throw new TypeError("Shared.update(fn): fn must be a function");
    }
    currentSimulation()?.access(this, true);
    this.#value = fn(this.#value);
    return this.#value;
  }
}

/**
 * A cell of state shared by tasks, for programs checked with `explore`: its reads and writes
 * are what `explore(program, { sharing: "cells" })` compares to decide which steps commute
 * (two steps that touch no common cell, or only read it, can run in either order with the
 * same result, so only one order is run). Outside a simulation it is a plain box.
 *
 * @example
 * ```ts
 * const result = await explore(() => future(function* () {
 *   const balance = shared(0);
 *   const deposit = (amount: number) => future(function* () {
 *     const seen = balance.get();
 *     yield* yieldNow();
 *     balance.set(seen + amount);
 *   });
 *   const a = spawn(deposit(10));
 *   const b = spawn(deposit(20));
 *   yield* a;
 *   yield* b;
 *   if (balance.get() !== 30) throw new Error(`lost update: ${balance.get()}`);
 * }), { sharing: "cells" });
 * ```
 */
export function shared<T>(initial: T): Shared<T> {
  return new Shared(initial);
}
