/**
 * `merge(...streams)`: the items of several streams, as they come.
 *
 * Invariants:
 * - `#live` holds the streams not yet finished; a finished one is removed without a drop.
 * - Each poll starts at the stream after the one that gave the last item (round robin), so a
 *   busy stream cannot starve the others.
 * - The first error drops every other live stream before it is rethrown; dropping the merge
 *   drops every live stream.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { assertStream, READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";

class Merge<T> extends Stream<T> {
  #live: Stream<T>[];
  #start = 0;

  constructor(streams: Stream<T>[]) {
    super();
    this.#live = streams;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const live = this.#live;
    let i = this.#start;
    for (let tried = 0; tried < live.length && live.length > 0; ) {
      if (i >= live.length) i = 0;
      const s = live[i] as Stream<T>;
      let p: Poll<IteratorResult<T, undefined>>;
      try {
        p = s.pollNext(cx);
      } catch (error) {
        live.splice(i, 1);
        this.drop();
        throw error;
      }
      if (p === Poll.pending) {
        i++;
        tried++;
        continue;
      }
      if ((p as { value: IteratorResult<T, undefined> }).value.done === true) {
        live.splice(i, 1);
        continue;
      }
      this.#start = i + 1;
      return p;
    }
    return live.length === 0 ? READY_STREAM_DONE : Poll.pending;
  }

  override drop(): void {
    const live = this.#live;
    this.#live = [];
    for (const s of live) dropQuietly(s);
  }

  override describe(): string {
    return `merge(${this.#live.length} live)`;
  }
}

/**
 * One stream of the items of every stream given, in the order they become ready; it ends when
 * all of them ended. Polling is round robin, so one busy stream cannot starve the others.
 *
 * Cancel safety: `next()` is safe when every merged stream's is. The first error from any
 * stream drops the others before it is rethrown; dropping the merge drops them all.
 *
 * @example
 * ```ts
 * const events = merge(clicks, keys.pipe(map((k) => `key ${k}`)));
 * ```
 */
export function merge<T>(...streams: Stream<T>[]): Stream<T> {
  for (let i = 0; i < streams.length; i++)
    assertStream(streams[i], `merge(...streams): argument ${i}`);
  return new Merge(streams.slice());
}
