/**
 * The base of the operators that hold one source stream (`filter`, `take`, `scan` …).
 *
 * Invariants:
 * - `source` is the source while it may give items; `undefined` once it ended, failed or was
 *   dropped. `pull` clears it when the source ends; an error from the source or from the
 *   operator's own callback drops the source (`fail`) before it propagates.
 * - Dropping the operator drops the source at most once.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";

/** @internal See the module comment. */
export abstract class Adapter<T, U> extends Stream<U> {
  protected source: Stream<T> | undefined;
  readonly #label: string;

  constructor(source: Stream<T>, label: string) {
    super();
    this.source = source;
    this.#label = label;
  }

  /**
   * The source's next item (`{ done: false, value }`), `undefined` when the source is pending,
   * or `STREAM_DONE` when it ended (the source is then forgotten).
   */
  protected pull(cx: Context): IteratorResult<T, undefined> | undefined {
    const source = this.source;
    if (source === undefined) return STREAM_DONE;
    let p: Poll<IteratorResult<T, undefined>>;
    try {
      p = source.pollNext(cx);
    } catch (error) {
      this.source = undefined;
      throw error;
    }
    if (p === Poll.pending) return undefined;
    const r = (p as { value: IteratorResult<T, undefined> }).value;
    if (r.done === true) this.source = undefined;
    return r;
  }

  /**
   * `f(arg)`, the operator's callback on one item; if it throws, the source is dropped and the
   * error rethrown (`fail`).
   */
  protected apply<A, R>(f: (arg: A) => R, arg: A): R {
    try {
      return f(arg);
    } catch (error) {
      return this.fail(error);
    }
  }

  /** Drops the source and rethrows `error`. */
  protected fail(error: unknown): never {
    this.drop();
    throw error;
  }

  /** Drops the source (the operator stops early) and reports the end. */
  protected end(): Poll<IteratorResult<U, undefined>> {
    this.drop();
    return READY_STREAM_DONE;
  }

  override drop(): void {
    const source = this.source;
    this.source = undefined;
    if (source !== undefined) dropQuietly(source);
  }

  override describe(): string {
    return `${this.#label}(${this.source?.describe() ?? "done"})`;
  }
}
