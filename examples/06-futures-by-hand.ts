/**
 * Scenario 6: futures by hand.
 *
 * Part 1: `ReadyNextTurn`, a hand-written `Future` that returns `Pending`, arranges its own
 * wake-up, and returns `Ready` on the next poll. We poll it by hand with a counting waker, then
 * let `run()` poll it.
 *
 * Part 2: `Delay`, a future whose timer runs on a *separate thread* (node:worker_threads). The
 * worker sleeps with `Atomics.wait` and posts a message; the main thread's message handler
 * calls the waker the future stored (always the latest `cx.waker`). Dropping the `Delay`
 * cancels the thread's timer: it flips a shared flag and `Atomics.notify`s the worker, which
 * wakes up early and exits without posting.
 *
 * `Delay` is exported: examples/07 runs it on an executor built from the core alone.
 */
import { threadId, Worker } from "node:worker_threads";
import {
  Context,
  Future,
  future,
  Poll,
  PollAfterReadyError,
  run,
  sleep,
  spawn,
  Waker,
} from "wakeful";
import { beginExternal } from "wakeful/executor";

export const title = "6. Futures by hand: Pending, a wake-up, Ready; a Delay on another thread";

// ---------------------------------------------------------------------------------------------
// Part 1: the smallest interesting future.

/** Pending on the first poll (after scheduling its own wake-up), Ready on the next. */
class ReadyNextTurn<T> extends Future<T> {
  #value: T;
  #state: "new" | "waiting" | "woken" | "done" = "new";
  #waker: Waker | undefined;

  constructor(value: T) {
    super();
    this.#value = value;
  }

  poll(cx: Context): Poll<T> {
    switch (this.#state) {
      case "new":
        // Arrange the wake-up *before* returning Pending: here, on the next event-loop turn.
        this.#waker = cx.waker;
        this.#state = "waiting";
        setTimeout(() => {
          this.#state = "woken";
          this.#waker?.wake();
        }, 0);
        return Poll.pending;
      case "waiting":
        // A spurious poll: keep the *latest* waker (the task may have moved), stay Pending.
        if (!this.#waker?.willWake(cx.waker)) this.#waker = cx.waker;
        return Poll.pending;
      case "woken":
        this.#state = "done";
        this.#waker = undefined;
        return Poll.ready(this.#value);
      default:
        throw new PollAfterReadyError("ReadyNextTurn");
    }
  }

  override describe(): string {
    return `ReadyNextTurn(${this.#state})`;
  }
}

const nextTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 1));
const show = (p: Poll<unknown>): string =>
  Poll.isReady(p) ? `Ready(${JSON.stringify(p.value)})` : "Pending";

async function part1(): Promise<void> {
  console.log("Part 1: polling a hand-written future by hand, with a counting waker.\n");
  const counter = {
    wakes: 0,
    wake(): void {
      counter.wakes++;
    },
  };
  const cx = Context.from(Waker.from(counter));
  const fut = new ReadyNextTurn("hello");

  let p = fut.poll(cx);
  console.log(`  poll #1 -> ${show(p)}   wakes so far: ${counter.wakes}   (${fut.describe()})`);
  console.log("  ...nobody polls until the waker fires. Let the event loop turn once...");
  await nextTurn();
  console.log(`  the future woke its waker: wakes = ${counter.wakes}   (${fut.describe()})`);
  p = fut.poll(cx);
  console.log(`  poll #2 -> ${show(p)}`);
  try {
    fut.poll(cx);
  } catch (error) {
    console.log(`  poll #3 -> throws ${(error as Error).name}: a finished future stays finished`);
  }

  console.log("\n  The same future type under run(): the executor's task is the waker.");
  const value = await run(
    future(function* () {
      const a = yield* new ReadyNextTurn(1);
      const b = yield* new ReadyNextTurn(2);
      return a + b;
    }),
  );
  console.log(`  run(...) resolved with ${value}\n`);
}

// ---------------------------------------------------------------------------------------------
// Part 2: a Delay whose timer lives on another thread.

/**
 * The worker: waits on a shared cell for `ms` milliseconds. If nobody changed the cell (the
 * wait timed out) it posts "fired"; if the main thread cancelled (stored 1 and notified), it
 * returns early and exits silently. Plain CommonJS, evaluated by `new Worker(src, { eval })`.
 */
const TIMER_THREAD = `
const { parentPort, threadId, workerData } = require("node:worker_threads");
const cell = new Int32Array(workerData.cancel);
const outcome = Atomics.wait(cell, 0, 0, workerData.ms);
if (outcome === "timed-out") parentPort.postMessage({ threadId });
`;

/** Options of {@link Delay}. */
export interface DelayOptions {
  /** Narration hook: called with what the Delay and its thread are doing. */
  log?: (line: string) => void;
}

/**
 * A future that completes after `ms` milliseconds, timed on a separate thread.
 *
 * The thread starts on the first poll (futures are lazy). While waiting, the Delay keeps the
 * process alive (the worker is ref'd), like a pending timer; once fired or dropped it lets go.
 *
 * Cancel safety: safe. Dropping it cancels the thread's timer; nothing else is lost.
 */
export class Delay extends Future<void> {
  readonly #ms: number;
  readonly #log: (line: string) => void;
  #state: "new" | "waiting" | "fired" | "done" = "new";
  #waker: Waker | undefined;
  #worker: Worker | undefined;
  #cancel: Int32Array | undefined;
  #started = 0;
  #cancelled = false;
  #endExternal: () => void = () => {};

  constructor(ms: number, options: DelayOptions = {}) {
    super();
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Delay(ms): ms must be a finite number >= 0, got ${ms}`);
    }
    this.#ms = ms;
    this.#log = options.log ?? (() => {});
  }

  poll(cx: Context): Poll<void> {
    switch (this.#state) {
      case "new":
        this.#waker = cx.waker;
        this.#state = "waiting";
        this.#startThread();
        return Poll.pending;
      case "waiting":
        // The contract: on Pending, the *latest* waker is the one that will be woken.
        if (!this.#waker?.willWake(cx.waker)) this.#waker = cx.waker;
        return Poll.pending;
      case "fired":
        this.#state = "done";
        return Poll.ready(undefined);
      default:
        throw new PollAfterReadyError("Delay");
    }
  }

  override drop(): void {
    if (this.#state === "waiting") {
      const cancel = this.#cancel as Int32Array;
      Atomics.store(cancel, 0, 1);
      Atomics.notify(cancel, 0); // the thread's Atomics.wait returns "ok": it exits, no message
      this.#cancelled = true;
      this.#log(`Delay(${this.#ms}) dropped after ${this.#elapsed()} ms: thread timer cancelled`);
      this.#release();
    }
    this.#state = "done";
    this.#waker = undefined;
  }

  override describe(): string {
    return `Delay(${this.#ms} ms on a worker thread, ${this.#state})`;
  }

  #startThread(): void {
    this.#started = performance.now();
    this.#cancel = new Int32Array(new SharedArrayBuffer(4));
    this.#endExternal = beginExternal(); // tells a simulator: this waits on the outside world
    const worker = new Worker(TIMER_THREAD, {
      eval: true,
      workerData: { ms: this.#ms, cancel: this.#cancel.buffer },
    });
    this.#worker = worker;
    this.#log(
      `Delay(${this.#ms}) first polled on thread ${threadId}: started timer thread ${worker.threadId}`,
    );
    worker.on("message", (msg: { threadId: number }) => {
      if (this.#state !== "waiting") return;
      this.#log(
        `thread ${msg.threadId} says "fired" after ${this.#elapsed()} ms; ` +
          `the handler runs on thread ${threadId} and calls the stored waker`,
      );
      this.#state = "fired";
      this.#release();
      this.#waker?.wake();
      this.#waker = undefined;
    });
    const id = worker.threadId;
    worker.on("exit", () => {
      if (this.#cancelled)
        this.#log(`timer thread ${id} woke up early and exited, posting nothing`);
    });
    worker.on("error", (error) => this.#log(`timer thread failed: ${error}`));
  }

  #release(): void {
    this.#worker?.unref(); // never keeps the process alive once it no longer matters
    this.#worker = undefined;
    this.#endExternal();
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#started);
  }
}

async function part2(): Promise<void> {
  console.log("Part 2: a Delay future timed on a worker thread.\n");
  const log = (line: string): void => console.log(`  ${line}`);

  const took = await run(
    future(function* () {
      const start = performance.now();
      const delay = new Delay(300, { log });
      log(`created ${delay.describe()}: no thread yet (lazy)`);
      yield* delay;
      return Math.round(performance.now() - start);
    }),
  );
  log(`the task resumed: yield* new Delay(300) took ${took} ms\n`);

  log("Now a Delay(5000) that we give up on after 200 ms (abort drops the task's future):");
  await run(
    future(function* () {
      const waiter = spawn(
        future(function* () {
          yield* new Delay(5000, { log });
          log("this line never prints");
        }),
      );
      yield* sleep(200);
      waiter.abort();
      yield* sleep(100); // give the worker a moment to exit, so its "exited" line shows here
    }),
  );
  log("the process is not held open by the cancelled thread timer.");
}

export async function main(): Promise<void> {
  console.log(`(the main thread is thread ${threadId})\n`);
  await part1();
  await part2();
}
