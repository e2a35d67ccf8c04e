import { construct } from "../core/construct.js";
import { SendError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import { IntrusiveList } from "../core/intrusive-list.js";
import { NextStream } from "../core/next-stream.js";
import type { Poll } from "../core/poll.js";
import type { Stream } from "../core/stream.js";
import { ChangeWaiter } from "./change-waiter.js";
import { LaggedError } from "./errors.js";
import { DONE_RESULT } from "./recv-future.js";
import { checkWhole } from "./validate.js";

class BroadcastState<T> {
  readonly slots: (T | undefined)[];
  readonly capacity: number;
  tail = 0;
  senders = 1;
  receivers = 1;
  readonly waiters = new IntrusiveList<ChangeWaiter<unknown>>();

  constructor(capacity: number) {
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  wakeAll(): void {
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) w.wake();
  }
}

/**
 * The sending half of a {@link broadcast} channel; clone it for several producers.
 *
 * @example
 * ```ts
 * const [tx, rx1] = broadcast<string>(64);
 * const rx2 = tx.subscribe();
 * tx.send("hello"); // both rx1 and rx2 receive it
 * ```
 */
export class BroadcastSender<T> implements Disposable {
  readonly #state: BroadcastState<T>;
  #closed = false;

  /** Made by {@link broadcast} and `clone()`. */
  private constructor(state: BroadcastState<T>) {
    this.#state = state;
  }

  /**
   * Sends `value` to every current receiver, without waiting: a receiver that falls more than
   * `capacity` messages behind loses the oldest ones (it learns how many through
   * `LaggedError`). Returns how many receivers there are. Throws `SendError` (holding
   * `value`) when there is no receiver, or when this sender was closed.
   *
   * @example
   * ```ts
   * const listeners = tx.send({ type: "tick" });
   * ```
   */
  send(value: T): number {
    const s = this.#state;
    if (this.#closed) throw new SendError(value, "BroadcastSender.send(value): sender closed");
    if (s.receivers === 0) throw new SendError(value, "the broadcast channel has no receivers");
    s.slots[s.tail % s.capacity] = value;
    s.tail++;
    s.wakeAll();
    return s.receivers;
  }

  /**
   * A new receiver that will see the messages sent from now on.
   *
   * @example
   * ```ts
   * const rx = tx.subscribe();
   * ```
   */
  subscribe(): BroadcastReceiver<T> {
    this.#state.receivers++;
    return newReceiver(this.#state, this.#state.tail);
  }

  /**
   * A new sender on the same channel.
   *
   * @example
   * ```ts
   * spawn(producer(tx.clone()));
   * ```
   */
  clone(): BroadcastSender<T> {
    if (this.#closed) throw new Error("BroadcastSender.clone(): this sender was closed");
    this.#state.senders++;
    return construct<BroadcastSender<T>>(BroadcastSender, this.#state);
  }

  /**
   * Closes this handle; once every sender is closed, receivers get `{ done: true }` after the
   * messages they have not read. Idempotent.
   *
   * @example
   * ```ts
   * tx.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (--this.#state.senders === 0) this.#state.wakeAll();
  }

  /** Same as {@link BroadcastSender.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** True once this handle was closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** How many receivers are open. */
  get receiverCount(): number {
    return this.#state.receivers;
  }
}

/**
 * One receiver of a {@link broadcast} channel; it reads every message sent after it was
 * created, unless it falls more than `capacity` behind.
 *
 * @example
 * ```ts
 * for (;;) {
 *   let r;
 *   try { r = yield* rx.recv(); } catch (e) { if (e instanceof LaggedError) continue; throw e; }
 *   if (r.done) break;
 *   render(r.value);
 * }
 * ```
 */
export class BroadcastReceiver<T> implements Disposable {
  readonly #cursor: Cursor<T>;

  /** Made by {@link broadcast}, `subscribe()` and `resubscribe()`. */
  private constructor(cursor: Cursor<T>) {
    this.#cursor = cursor;
  }

  /**
   * A future of the next message: `{ done: false, value }`, or `{ done: true }` once every
   * sender closed (or this receiver closed) and nothing is left to read. Throws `LaggedError`
   * when messages were overwritten before this receiver read them; receiving again goes on
   * from the oldest message still held.
   *
   * Cancel safety: safe. The receiver advances only when a message is returned.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * const r = yield* rx.recv();
   * ```
   */
  recv(): Future<IteratorResult<T, undefined>> {
    return new BroadcastRecv(this.#cursor);
  }

  /**
   * A {@link Stream} of the messages this receiver reads, ending like `recv()` does. A
   * `LaggedError` fails the stream (and so ends it); `resubscribe()` to go on. Dropping the
   * stream drops its pending receive and leaves the receiver subscribed.
   *
   * Cancel safety: safe, like `recv()`.
   *
   * @example
   * ```ts
   * for await (const event of rx.stream()) console.log(event);
   * ```
   */
  stream(): Stream<T> {
    return new NextStream(() => this.recv(), undefined, "BroadcastReceiver.stream()");
  }

  /**
   * The next message without waiting, or `undefined` when there is none yet (or the stream
   * ended). Throws `LaggedError` like `recv()`.
   *
   * @example
   * ```ts
   * const latest = rx.tryRecv();
   * ```
   */
  tryRecv(): T | undefined {
    const r = this.#cursor.take();
    return r === undefined || r.done === true ? undefined : r.value;
  }

  /**
   * A new receiver starting at the next message sent (not at this one's position).
   *
   * @example
   * ```ts
   * const fresh = rx.resubscribe();
   * ```
   */
  resubscribe(): BroadcastReceiver<T> {
    const state = this.#cursor.state;
    state.receivers++;
    return newReceiver(state, state.tail);
  }

  /**
   * Unsubscribes: senders stop counting this receiver and its pending receives end with
   * `{ done: true }`. Idempotent.
   *
   * @example
   * ```ts
   * rx.close();
   * ```
   */
  close(): void {
    const cursor = this.#cursor;
    if (cursor.closed) return;
    cursor.closed = true;
    cursor.state.receivers--;
    cursor.state.wakeAll();
  }

  /** Same as {@link BroadcastReceiver.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Where one receiver reads: the channel, the number of its next message, and closed. */
class Cursor<T> {
  readonly state: BroadcastState<T>;
  next: number;
  closed = false;

  constructor(state: BroadcastState<T>, next: number) {
    this.state = state;
    this.next = next;
  }

  /** True when `take()` would not return `undefined`. */
  hasNews(): boolean {
    const s = this.state;
    return this.closed || this.next < s.tail || s.senders === 0;
  }

  /** The next message, the end, or `undefined` when the caller must wait. */
  take(): IteratorResult<T, undefined> | undefined {
    const s = this.state;
    const next = this.next;
    if (this.closed) return DONE_RESULT;
    if (next < s.tail) {
      const oldest = s.tail - s.capacity;
      if (next < oldest) {
        this.next = oldest;
        throw new LaggedError(oldest - next);
      }
      const value = s.slots[next % s.capacity] as T;
      this.next = next + 1;
      return { done: false, value };
    }
    return s.senders === 0 ? DONE_RESULT : undefined;
  }
}

function newReceiver<T>(state: BroadcastState<T>, next: number): BroadcastReceiver<T> {
  return construct(BroadcastReceiver, new Cursor(state, next));
}

class BroadcastRecv<T> extends ChangeWaiter<IteratorResult<T, undefined>> {
  readonly #rx: Cursor<T>;

  constructor(rx: Cursor<T>) {
    super(rx.state.waiters);
    this.#rx = rx;
  }

  protected hasNews(): boolean {
    return this.#rx.hasNews();
  }

  protected check(): Poll<IteratorResult<T, undefined>> | undefined {
    const r = this.#rx.take();
    return r === undefined ? undefined : { value: r };
  }

  override describe(): string {
    return "BroadcastReceiver.recv()";
  }
}

/**
 * A multi-producer, multi-consumer broadcast channel: each message goes to every receiver
 * subscribed when it was sent. Sending never waits; the channel keeps the last `capacity`
 * messages, and a receiver that falls further behind gets `LaggedError` with the number it
 * missed, then continues from the oldest kept message (as in tokio).
 *
 * Cancel safety: `recv()` is cancel-safe; sending is synchronous.
 *
 * @example
 * ```ts
 * const [tx, rx] = broadcast<number>(16);
 * const rx2 = tx.subscribe();
 * tx.send(1);
 * (yield* rx.recv()).value;  // 1
 * (yield* rx2.recv()).value; // 1
 * ```
 */
export function broadcast<T>(capacity: number): [BroadcastSender<T>, BroadcastReceiver<T>] {
  checkWhole(capacity, 1, "broadcast(capacity)", "capacity");
  const state = new BroadcastState<T>(capacity);
  return [construct<BroadcastSender<T>>(BroadcastSender, state), newReceiver(state, 0)];
}
