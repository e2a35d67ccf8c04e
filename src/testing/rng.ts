/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) for the simulation
 * executor's strategies.
 *
 * Invariants:
 * - The whole sequence is a pure function of the seed: same seed, same numbers, on every
 *   platform (only 32-bit integer arithmetic is used).
 * - Nothing is allocated per draw.
 * @module
 */

/**
 * @internal A seeded pseudo-random number generator: the same seed always gives the same sequence.
 * Not cryptographic.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.int(6); // a whole number in [0, 6), the same one for every run with seed 42
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param seed any safe integer; other numbers are rejected with a RangeError. */
  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
      throw new RangeError(`Rng(seed): seed must be a safe integer, got ${String(seed)}`);
    }
    // Fold the high bits in, so that seeds differing only above bit 31 differ.
    let s = (seed | 0) ^ Math.floor(seed / 4294967296);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /**
   * The next 32-bit unsigned integer.
   *
   * @example
   * ```ts
   * const bits = rng.u32();
   * ```
   */
  u32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /**
   * A whole number in [0, n), for `n >= 1`.
   *
   * @example
   * ```ts
   * const pick = rng.int(ready.length);
   * ```
   */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /**
   * A number in [0, 1).
   *
   * @example
   * ```ts
   * const priority = rng.float();
   * ```
   */
  float(): number {
    return this.u32() / 4294967296;
  }
}
