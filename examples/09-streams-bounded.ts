/**
 * Scenario 9: a 50,000-line file processed 8 lines at a time, in order, cancellable.
 *
 * - The file is read lazily with `fromAsyncIterable(readline)`; each line becomes a future of
 *   its processed result (here: a short asynchronous step, as a database write would be);
 *   `buffered(8)` runs at most 8 at once and gives results in file order.
 * - A first run processes the whole file and is timed.
 * - A second run is put under `timeout(half of that)`: when the deadline hits, the pipeline is
 *   dropped: the 8 items in flight stop at once (their `finally` blocks run), the file is
 *   closed (the line generator's `finally`, run by `return()`), and nothing runs afterwards. With p-map, the mappers
 *   already started would keep running after the rejection.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  buffered,
  forEach,
  fromAsyncIterable,
  fromPromise,
  future,
  map,
  run,
  sleep,
  TimeoutError,
  timeout,
} from "wakeful";

export const title = "9. Streams: 50,000 lines, 8 at a time, in order, cancelled half-way";

const LINES = 50_000;

interface Counters {
  running: number;
  done: number;
  dropped: number;
  lastLine: number;
  outOfOrder: number;
}

/** One line's work: an asynchronous step (one host turn), then a result. */
function processLine(line: string, c: Counters) {
  return future(function* () {
    c.running++;
    let finished = false;
    try {
      yield* fromPromise(() => new Promise<void>((resolve) => setImmediate(resolve)));
      finished = true;
      return Number(line.slice(5));
    } finally {
      c.running--;
      if (finished) c.done++;
      else c.dropped++;
    }
  });
}

/**
 * The file's lines. readline's own iterator does not close the file when abandoned, so this
 * generator does it in `finally`, which dropping the stream runs (through `return()`).
 */
async function* lines(file: string, onClose: () => void): AsyncGenerator<string> {
  const input = createReadStream(file);
  const rl = createInterface({ input });
  try {
    yield* rl;
  } finally {
    rl.close();
    input.destroy();
    onClose();
  }
}

function pipeline(file: string, c: Counters, onClose: () => void) {
  return fromAsyncIterable(lines(file, onClose)).pipe(
    map((line: string) => processLine(line, c)),
    buffered(8),
    forEach((n: number) => {
      if (n !== c.lastLine + 1) c.outOfOrder++;
      c.lastLine = n;
    }),
  );
}

const fresh = (): Counters => ({ running: 0, done: 0, dropped: 0, lastLine: -1, outOfOrder: 0 });

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "wakeful-demo-"));
  const file = join(dir, "lines.txt");
  writeFileSync(file, Array.from({ length: LINES }, (_, i) => `line ${i}`).join("\n"));
  try {
    const full = fresh();
    let t0 = performance.now();
    await run(pipeline(file, full, () => {}));
    const fullMs = performance.now() - t0;
    console.log(
      `full run: ${full.done} lines in ${fullMs.toFixed(0)} ms, 8 at a time, ${full.outOfOrder} out of order`,
    );

    const half = fresh();
    let closed = false;
    const deadline = Math.max(1, Math.round(fullMs / 2));
    t0 = performance.now();
    try {
      await run(
        timeout(
          deadline,
          pipeline(file, half, () => (closed = true)),
        ),
      );
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      console.log(
        `timeout(${deadline} ms) fired after ${(performance.now() - t0).toFixed(0)} ms: ` +
          `${half.done} lines done (last ${half.lastLine}), ${half.dropped} in flight dropped, ` +
          `${half.running} still running`,
      );
    }
    const doneAtTimeout = half.done;
    await run(sleep(50));
    console.log(
      `50 ms later: ${half.done - doneAtTimeout} more lines processed, file closed: ${closed}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
