/**
 * `History`: the calls and returns of the operations a concurrent test made, in the order they
 * happened, for `checkLinearizable` (linearizability.ts).
 *
 * Invariants:
 * - Every event (a call, a return) gets the next tick of the history's own clock, so events
 *   are totally ordered, even many in one instant of virtual time; under `SimExecutor` the
 *   order is that of the schedule.
 * - An operation is called at its first poll (futures are lazy: creating one calls nothing)
 *   and returns at the poll that completes it. One that throws, or is dropped before it
 *   completes, never returns: it may or may not have taken effect, and the checker treats it
 *   so.
 * - Operations are listed in call order; an operation's record is updated in place when it
 *   returns.
 * @module
 */
import type { Context } from "../core/context.js";
import { assertFuture, Future } from "../core/future.js";
import { Poll } from "../core/poll.js";

/** One operation of a {@link History}. */
export interface Operation<I = unknown, O = unknown> {
  /** Position in call order, from 0. */
  readonly id: number;
  /** The operation's name (`"put"`, `"get"`…). */
  readonly name: string;
  /** Its input (typically the arguments). */
  readonly input: I;
  /** Its result, once it returned; `undefined` otherwise. */
  readonly output: O | undefined;
  /** When it was called (a tick of the history's clock). */
  readonly call: number;
  /** When it returned; `undefined` if it never did (it threw, was dropped, or still runs). */
  readonly return: number | undefined;
  /** What it threw, if it did. */
  readonly error?: unknown;
}

interface MutableOperation {
  id: number;
  name: string;
  input: unknown;
  output: unknown;
  call: number;
  return: number | undefined;
  error?: unknown;
}

/** The clock and the operations of one history. */
class Log {
  ticks = 0;
  readonly ops: MutableOperation[] = [];

  begin(name: string, input: unknown): MutableOperation {
    const op: MutableOperation = {
      id: this.ops.length,
      name,
      input,
      output: undefined,
      call: this.ticks++,
      return: undefined,
    };
    this.ops.push(op);
    return op;
  }
}

/** Records one operation around the future that performs it. */
class Recorded<T> extends Future<T> {
  readonly #log: Log;
  readonly #name: string;
  readonly #input: unknown;
  #inner: Future<T> | undefined;
  #op: MutableOperation | undefined = undefined;

  constructor(log: Log, name: string, input: unknown, inner: Future<T>) {
    super();
    this.#log = log;
    this.#name = name;
    this.#input = input;
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === undefined)
      throw new Error(`History.record(${this.#name}): polled after it ended`);
    this.#op ??= this.#log.begin(this.#name, this.#input);
    let p: Poll<T>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#inner = undefined;
      this.#op.error = error;
      throw error;
    }
    if (p === Poll.pending) return p;
    this.#inner = undefined;
    this.#op.output = (p as { value: T }).value;
    this.#op.return = this.#log.ticks++;
    return p;
  }

  override drop(): void {
    const inner = this.#inner;
    this.#inner = undefined;
    inner?.drop();
  }

  override describe(): string {
    return `${this.#name} (recorded): ${this.#inner?.describe() ?? "ended"}`;
  }
}

/**
 * The operations a concurrent test made on the system under test, with when each was called
 * and when it returned: what {@link checkLinearizable} checks against a sequential model.
 *
 * @example
 * ```ts
 * const history = new History();
 * const client = (id: number) => future(function* () {
 *   yield* history.record("put", ["a", id], store.put("a", id));
 *   yield* history.record("get", ["a"], store.get("a"));
 * });
 * await new SimExecutor({ seed }).run(join(client(1), client(2)));
 * const result = checkLinearizable(history, kvModel);
 * ```
 */
export class History {
  readonly #log = new Log();

  /**
   * Wraps `fut`, the future that performs one operation, so that its call (first poll) and
   * return (completion) are recorded under `name` with `input`. Returns a future of the same
   * value.
   *
   * Cancel safety: as cancel-safe as `fut`; dropping it drops `fut`, and the operation is
   * recorded as never returned (it may have taken effect).
   *
   * @example
   * ```ts
   * const value = yield* history.record("get", ["a"], store.get("a"));
   * ```
   */
  record<T>(name: string, input: unknown, fut: Future<T>): Future<T> {
    if (typeof name !== "string" || name === "") {
      throw new TypeError("History.record(name, input, fut): name must be a non-empty string");
    }
    assertFuture(fut, "History.record(name, input, fut)");
    return new Recorded(this.#log, name, input, fut);
  }

  /**
   * The operations recorded so far, in call order.
   *
   * @example
   * ```ts
   * expect(history.operations.filter((op) => op.return === undefined)).toEqual([]);
   * ```
   */
  get operations(): readonly Operation[] {
    return this.#log.ops;
  }
}
