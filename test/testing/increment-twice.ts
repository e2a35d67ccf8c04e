/**
 * The lost-update program of docs/testing.md: two tasks read a counter, yield, and write it
 * back plus one, so some schedules end at 1 instead of 2. Used by the docs test and by the
 * Chromium bundle check (whose page runs the same program against the built package).
 */
import { future } from "../../src/core/async-block.js";
import type { Future } from "../../src/core/future.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";

export function incrementTwice(): Future<number> {
  return future(function* () {
    let counter = 0;
    const increment = () =>
      future(function* () {
        const read = counter;
        yield* yieldNow();
        counter = read + 1;
      });
    const a = spawn(increment());
    const b = spawn(increment());
    yield* a;
    yield* b;
    return counter;
  });
}
