/**
 * `main(root, { signals, graceMs })`: a Node program's entry point (tokio's `#[tokio::main]`
 * plus the signal handling every service writes by hand).
 *
 * The sequence, and the exit code of each ending:
 * - `root(token)` runs as the root task of a fresh `LocalExecutor`.
 * - The first of `signals` cancels `token` (its reason is the signal's name) and starts the
 *   `graceMs` deadline. The root sees the token and does its async cleanup as ordinary work.
 * - The root finishing (with a value, or with an `AbortedError` once the token is cancelled)
 *   exits 0: a graceful shutdown is a success.
 * - A second signal, or the deadline, drops everything at once (the root and every task: their
 *   `finally` blocks run) and exits 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
 * - The root failing prints the error and exits 1 (a deadlock under `run` is such an error).
 *
 * Invariants:
 * - Exactly one ending happens: `end` runs once; it removes the signal listeners, the deadline
 *   timer and the keep-alive before calling `exit`.
 * - The process stays alive while the root runs, even with nothing else pending: a service
 *   waiting for a signal is not deadlocked (so `run`'s deadlock report does not apply here).
 * - The host (signals, timers, exit, error output) is reached only through {@link MainHost},
 *   so the sequence is tested in-process with a fake host, and in child processes for real.
 * @module
 */
import { constants } from "node:os";
import { type AbortHandle, abortable } from "../combinators/abortable.js";
import { AbortedError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import { isFuture, typeName } from "../core/future.js";
import { LocalExecutor } from "../executor/local-executor.js";
import { CancellationToken } from "../sync/cancellation-token.js";

/**
 * Options of {@link main}; every one is optional.
 *
 * @example
 * ```ts
 * main(service, { signals: ["SIGTERM"], graceMs: 30_000 }); // Kubernetes' default grace period
 * ```
 */
export interface MainOptions {
  /**
   * The signals that start a graceful shutdown (the first one) and force it (a second one).
   * @default ["SIGINT", "SIGTERM"]
   */
  signals?: readonly NodeJS.Signals[];
  /**
   * How long the root may take to finish after the first signal before everything is dropped,
   * in milliseconds (`Infinity`: no deadline, only a second signal forces the exit).
   * @default 10000
   */
  graceMs?: number;
}

/** @internal What `main` needs from the process; `process` itself in `main`. */
export interface MainHost {
  on(signal: NodeJS.Signals, listener: () => void): void;
  off(signal: NodeJS.Signals, listener: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  /** Keeps the host alive (waiting for signals) until the returned function is called. */
  keepAlive(): () => void;
  exit(code: number): void;
  printError(error: unknown): void;
}

const WHERE = "main(root, options)";

/** Longer delays overflow Node's timers (which then fire after 1 ms): treated as no deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The exit code of a process ended by `signal`, as a shell reports it: 128 + its number. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + ((constants.signals as Record<string, number>)[signal] ?? 0);
}

function checkOptions(options: MainOptions): { signals: NodeJS.Signals[]; graceMs: number } {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${WHERE}: options must be an object, got ${typeName(options)}`);
  }
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  if (!Array.isArray(signals)) {
    throw new TypeError(`${WHERE}: options.signals must be an array of signal names`);
  }
  for (const s of signals) {
    if (typeof s !== "string" || !Object.hasOwn(constants.signals, s)) {
      throw new RangeError(
        `${WHERE}: options.signals: ${String(s)} is not a signal name such as "SIGINT"`,
      );
    }
  }
  const graceMs = options.graceMs ?? 10_000;
  if (typeof graceMs !== "number" || Number.isNaN(graceMs) || graceMs < 0) {
    throw new RangeError(
      `${WHERE}: options.graceMs must be a number >= 0 (or Infinity), got ${String(graceMs)}`,
    );
  }
  return { signals: [...new Set(signals)], graceMs };
}

/**
 * @internal The sequence of {@link main} on any host; resolves with the exit code it passed to
 * `host.exit` (which, on a real process, never returns).
 */
export function runMain(
  root: (token: CancellationToken) => Future<unknown>,
  options: MainOptions,
  host: MainHost,
): Promise<number> {
  if (typeof root !== "function") {
    throw new TypeError(
      `${WHERE}: root must be a function (token) => Future, got ${typeName(root)}`,
    );
  }
  const { signals, graceMs } = checkOptions(options);
  const token = new CancellationToken();
  const ex = new LocalExecutor();
  let abortHandle: AbortHandle | undefined;
  let timer: unknown;
  let ended = false;
  const release = host.keepAlive();
  let resolveCode: (code: number) => void = () => {};
  const code = new Promise<number>((resolve) => {
    resolveCode = resolve;
  });

  const end = (exitCode: number, error?: unknown): void => {
    if (ended) return;
    ended = true;
    for (const s of signals) host.off(s, listeners[s] as () => void);
    if (timer !== undefined) host.clearTimeout(timer);
    release();
    if (exitCode === 1) host.printError(error);
    resolveCode(exitCode);
    host.exit(exitCode);
  };

  const force = (signal: NodeJS.Signals): void => {
    if (ended) return;
    abortHandle?.abort(`forced by ${signal}`); // drops the root at once: its finally runs
    ex.shutdown(); // drops every other task
    end(signalExitCode(signal));
  };

  const listeners: Partial<Record<NodeJS.Signals, () => void>> = {};
  let first: NodeJS.Signals | undefined;
  for (const s of signals) {
    listeners[s] = () => {
      if (first !== undefined) return force(s);
      first = s;
      token.cancel(s);
      if (graceMs <= MAX_TIMER_MS) timer = host.setTimeout(() => force(s), graceMs);
    };
    host.on(s, listeners[s]);
  }

  let fut: unknown;
  try {
    fut = root(token);
    if (!isFuture(fut)) {
      throw new TypeError(`${WHERE}: root(token) must return a Future, got ${typeName(fut)}`);
    }
  } catch (error) {
    end(1, error);
    return code;
  }
  const [wrapped, handle] = abortable(fut as Future<unknown>);
  abortHandle = handle;
  ex.run(wrapped).then(
    () => end(0),
    (error: unknown) => {
      if (error instanceof AbortedError && token.isCancelled) end(0);
      else end(1, error);
    },
  );
  return code;
}

/**
 * Runs a Node program: `root(token)` on a fresh executor, with graceful shutdown on signals.
 * The first SIGINT or SIGTERM cancels `token`; a root that then finishes its cleanup exits 0
 * (a graceful shutdown is a success, and so is a root that ends with the `AbortedError` of
 * `token.runUntilCancelled`). A second signal, or `graceMs` after the first, drops everything
 * (every `finally` runs) and exits 130 (SIGINT) or 143 (SIGTERM). A root that fails prints
 * the error and exits 1. The process stays alive while the root runs (waiting for a signal is
 * not a deadlock) and exits when it ends, even if sockets or timers are still open. Import it
 * from `wakeful/node`.
 *
 * Cancel safety: `main` owns the process; nothing outside can drop it. Inside, the root decides
 * what a cancelled token means: stop accepting, drain, close.
 *
 * @example
 * ```ts
 * import { future, sleep, TaskTracker, timeout } from "wakeful";
 * import { main } from "wakeful/node";
 *
 * main((token) =>
 *   future(function* () {
 *     const tracker = new TaskTracker();
 *     tracker.spawn(future(function* () {
 *       while (!token.isCancelled) yield* sleep(1000); // a worker that stops when told
 *     }));
 *     yield* token.cancelled(); // until SIGINT or SIGTERM
 *     tracker.close();
 *     yield* timeout(5_000, tracker.wait()); // then exit 0
 *   }),
 *   { graceMs: 10_000 },
 * );
 * ```
 */
export function main(
  root: (token: CancellationToken) => Future<unknown>,
  options: MainOptions = {},
): void {
  void runMain(root, options, {
    on: (signal, listener) => process.on(signal, listener),
    off: (signal, listener) => process.off(signal, listener),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
    keepAlive: () => {
      const alive = setInterval(() => {}, MAX_TIMER_MS);
      return () => clearInterval(alive);
    },
    exit: (code) => process.exit(code),
    printError: (error) => console.error(error),
  });
}
