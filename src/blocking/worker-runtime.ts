/**
 * What a pool worker thread does with the jobs it receives, independent of `worker_threads`
 * (the thin `worker-entry.ts` wires it to `parentPort`), so it can be tested in-process.
 *
 * Invariants (the worker's half of `protocol.ts`):
 * - Jobs run one at a time, in arrival order; each gets exactly one reply, in the same order.
 *   A job that returns a promise holds back the jobs behind it (they wait in `#backlog`) until
 *   it settles, so "the job that started and has no reply" is always well defined.
 * - A job runs only if its cell moves `QUEUED → STARTED`; a cancelled cell gets
 *   `REPLY_SKIPPED` and the job's code never runs. A job's reply is posted only if its cell
 *   then moves `STARTED → DONE`; when the pool killed it instead, the runtime halts: it posts
 *   nothing more and starts no other job (the pool is terminating the thread).
 * - `booted[0]` is set to 1 when the runtime is created.
 * - A function's source is learnt from the first message that carries it, whether that job
 *   runs or is skipped: the pool counts a source as known once it posted it to this thread,
 *   and the jobs behind it carry only the id. Sources are compiled on first use, once per
 *   source text, in the global scope (they see globals, not the runtime's internals).
 * - The task module is imported once, on the first export job.
 * @module
 */
import {
  CELL_DONE,
  CELL_QUEUED,
  CELL_STARTED,
  ERROR_NOT_CLONEABLE,
  ERROR_NOT_SELF_CONTAINED,
  ERROR_PLAIN,
  isTransferredResult,
  JOB_FUNCTION,
  type JobMessage,
  REPLY_ERROR,
  REPLY_OK,
  REPLY_SKIPPED,
  type ReplyMessage,
  TRANSFER_MARK,
  type TransferItem,
  type WorkerStartData,
} from "./protocol.js";

/** What the runtime needs from its thread. */
export interface WorkerHost {
  /** Sends a reply to the pool (`parentPort.postMessage`); may throw a `DataCloneError`. */
  post(reply: ReplyMessage, transfer?: readonly TransferItem[]): void;
  /** Imports the task module named by `filename` (a path or a `file:` URL). */
  importModule(filename: string): Promise<Record<string, unknown>>;
}

type Task = (...args: unknown[]) => unknown;

/** Compiled functions by source text, shared by every runtime of this thread. */
const compiled = new Map<string, Task>();

/**
 * esbuild's `keepNames` (used by tsx and vitest) rewrites named inner functions of a function
 * body into `__name(fn, "name")` calls; the worker supplies that helper so such functions stay
 * self-contained.
 */
function keepName<F>(fn: F, name: string): F {
  try {
    Object.defineProperty(fn, "name", { value: name, configurable: true });
  } catch {}
  return fn;
}

/**
 * Compiles a function's source text in the global scope (plus esbuild's `__name` helper).
 *
 * @example
 * ```ts
 * compileFunction("(a, b) => a + b")(1, 2); // 3
 * ```
 */
export function compileFunction(source: string): Task {
  let fn = compiled.get(source);
  if (fn === undefined) {
    fn = new Function("__name", `return (${source}\n);`)(keepName) as Task;
    if (typeof fn !== "function") throw new TypeError("the job's source is not a function");
    compiled.set(source, fn);
  }
  return fn;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/** Runs jobs for one worker thread; see the module invariants. */
export class WorkerRuntime {
  readonly #cells: Int32Array;
  readonly #filename: string | undefined;
  readonly #host: WorkerHost;
  readonly #functions = new Map<number, Task>();
  readonly #sources = new Map<number, string>();
  readonly #backlog: JobMessage[] = [];
  #backlogHead = 0;
  #busy = false;
  #halted = false;
  /** The cell of the job running now. */
  #cell = 0;
  #module: Record<string, unknown> | undefined = undefined;
  #moduleLoad: Promise<Record<string, unknown>> | undefined = undefined;

  constructor(data: WorkerStartData, host: WorkerHost) {
    this.#cells = data.cells;
    this.#filename = data.filename;
    this.#host = host;
    Atomics.store(data.booted, 0, 1);
  }

  /** Handles one job message from the pool. */
  receive(message: JobMessage): void {
    if (this.#halted) return;
    if (this.#busy) {
      this.#backlog.push(message);
      return;
    }
    this.#run(message);
    if (!this.#busy) this.#drainBacklog();
  }

  /** Runs queued jobs until one goes asynchronous or none is left. */
  #drainBacklog(): void {
    while (!this.#busy && !this.#halted && this.#backlogHead < this.#backlog.length) {
      const message = this.#backlog[this.#backlogHead] as JobMessage;
      this.#backlog[this.#backlogHead++] = undefined as never;
      this.#run(message);
    }
    if (this.#backlogHead === this.#backlog.length) {
      this.#backlog.length = 0;
      this.#backlogHead = 0;
    }
  }

  #run(message: JobMessage): void {
    if (message[0] === JOB_FUNCTION && message[3] !== null) {
      this.#sources.set(message[2], message[3]);
    }
    if (
      Atomics.compareExchange(this.#cells, message[1], CELL_QUEUED, CELL_STARTED) !== CELL_QUEUED
    ) {
      this.#host.post([REPLY_SKIPPED]);
      return;
    }
    this.#cell = message[1];
    const isFunction = message[0] === JOB_FUNCTION;
    let task: Task;
    let args: unknown[];
    try {
      if (isFunction) {
        task = this.#functionFor(message[2]);
        args = message[4];
      } else {
        if (this.#module === undefined) {
          this.#awaitModuleThenRun(message);
          return;
        }
        task = this.#exportFor(message[2]);
        args = message[3];
      }
    } catch (error) {
      this.#fail(error, isFunction);
      return;
    }
    this.#invoke(task, args, isFunction);
  }

  #invoke(task: Task, args: unknown[], isFunction: boolean): void {
    let value: unknown;
    try {
      value = task(...args);
    } catch (error) {
      this.#fail(error, isFunction);
      return;
    }
    if (!isThenable(value)) {
      this.#succeed(value);
      return;
    }
    this.#busy = true;
    value.then(
      (result) => this.#resume(() => this.#succeed(result)),
      (error: unknown) => this.#resume(() => this.#fail(error, isFunction)),
    );
  }

  #resume(reply: () => void): void {
    reply();
    this.#busy = false;
    this.#drainBacklog();
  }

  #functionFor(fnId: number): Task {
    let fn = this.#functions.get(fnId);
    if (fn === undefined) {
      const source = this.#sources.get(fnId);
      if (source === undefined) throw new Error(`internal: function #${fnId} was never sent`);
      fn = compileFunction(source);
      this.#functions.set(fnId, fn);
      this.#sources.delete(fnId);
    }
    return fn;
  }

  #awaitModuleThenRun(message: JobMessage): void {
    const filename = this.#filename;
    if (filename === undefined) {
      this.#fail(new TypeError("this pool has no task module (no `filename` option)"), false);
      return;
    }
    this.#busy = true;
    this.#moduleLoad ??= this.#host.importModule(filename);
    this.#moduleLoad.then(
      (mod) => {
        this.#module = mod;
        this.#busy = false;
        let task: Task;
        try {
          task = this.#exportFor(message[2] as string);
        } catch (error) {
          this.#resume(() => this.#fail(error, false));
          return;
        }
        this.#invoke(task, message[3] as unknown[], false);
        if (!this.#busy) this.#drainBacklog();
      },
      (error: unknown) => this.#resume(() => this.#fail(error, false)),
    );
  }

  #exportFor(name: string): Task {
    const mod = this.#module as Record<string, unknown>;
    let task = mod[name];
    if (typeof task !== "function") {
      const fallback = mod.default as Record<string, unknown> | undefined;
      if (fallback !== null && typeof fallback === "object") task = fallback[name];
    }
    if (typeof task !== "function") {
      const names = Object.keys(mod).filter((k) => typeof mod[k] === "function");
      throw new TypeError(
        `the task module ${this.#filename} has no exported function named "${name}" ` +
          `(its exported functions: ${names.length === 0 ? "none" : names.join(", ")})`,
      );
    }
    return task as Task;
  }

  /** Marks the running job's cell DONE; false (and halted) when the pool killed it. */
  #finish(): boolean {
    const cell = this.#cell;
    if (Atomics.compareExchange(this.#cells, cell, CELL_STARTED, CELL_DONE) === CELL_STARTED) {
      return true;
    }
    this.#halted = true;
    return false;
  }

  #succeed(value: unknown): void {
    if (!this.#finish()) return;
    try {
      if (isTransferredResult(value)) {
        this.#host.post([REPLY_OK, value.value], value[TRANSFER_MARK]);
      } else {
        this.#host.post([REPLY_OK, value]);
      }
    } catch (error) {
      this.#host.post([REPLY_ERROR, cloneable(error, "the job's result"), ERROR_NOT_CLONEABLE]);
    }
  }

  #fail(error: unknown, isFunction: boolean): void {
    if (!this.#finish()) return;
    const flag =
      isFunction && error instanceof ReferenceError ? ERROR_NOT_SELF_CONTAINED : ERROR_PLAIN;
    try {
      this.#host.post([REPLY_ERROR, error, flag]);
    } catch (cloneError) {
      this.#host.post([
        REPLY_ERROR,
        cloneable(error, "what the job threw", cloneError),
        ERROR_NOT_CLONEABLE,
      ]);
    }
  }
}

/** A plain `Error` describing a value that could not be cloned back to the pool. */
function cloneable(value: unknown, what: string, cloneError?: unknown): Error {
  const detail = cloneError ?? value;
  const reason = detail instanceof Error ? detail.message : String(detail);
  const error = new Error(`${what} could not be sent back from the worker: ${reason}`);
  if (cloneError !== undefined && value instanceof Error) {
    error.message += ` (it was ${value.name}: ${value.message})`;
    if (value.stack !== undefined) error.stack = value.stack;
  } else if (cloneError !== undefined) {
    error.message += ` (it was ${safeString(value)})`;
  }
  return error;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
