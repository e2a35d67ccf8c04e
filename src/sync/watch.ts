import { construct } from "../core/construct.js";
import { RecvError, SendError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import { IntrusiveList } from "../core/intrusive-list.js";
import { NextStream } from "../core/next-stream.js";
import { type Poll, READY_VOID } from "../core/poll.js";
import type { Stream } from "../core/stream.js";
import { ChangeWaiter } from "./change-waiter.js";

class WatchState<T> {
  value: T;
  version = 0;
  senderClosed = false;
  receivers = 1;
  readonly waiters = new IntrusiveList<ChangeWaiter<unknown>>();

  constructor(value: T) {
    this.value = value;
  }

  publish(value: T): void {
    this.value = value;
    this.version++;
    this.wakeAll();
  }

  wakeAll(): void {
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) w.wake();
  }
}

/**
 * The sending half of a {@link watch} channel: it owns the current value.
 *
 * @example
 * ```ts
 * const [config, rx] = watch({ level: "info" });
 * config.send({ level: "debug" }); // every receiver's changed() completes
 * ```
 */
export class WatchSender<T> implements Disposable {
  readonly #state: WatchState<T>;

  /** Made by {@link watch}. */
  private constructor(state: WatchState<T>) {
    this.#state = state;
  }

  /**
   * Replaces the value and notifies every receiver. Throws `SendError` (holding `value`) when
   * every receiver is closed, or the sender is; use {@link WatchSender.sendReplace} to update
   * regardless.
   *
   * @example
   * ```ts
   * status.send("ready");
   * ```
   */
  send(value: T): void {
    const s = this.#state;
    if (s.senderClosed) throw new SendError(value, "WatchSender.send(value): sender closed");
    if (s.receivers === 0) throw new SendError(value, "the watch channel has no receivers");
    s.publish(value);
  }

  /**
   * Replaces the value even when nobody listens, notifies receivers, and returns the old one.
   *
   * @example
   * ```ts
   * const previous = state.sendReplace(next);
   * ```
   */
  sendReplace(value: T): T {
    const s = this.#state;
    if (s.senderClosed) throw new SendError(value, "WatchSender.sendReplace(value): sender closed");
    const old = s.value;
    s.publish(value);
    return old;
  }

  /**
   * Updates the value with `modify(current)`, which returns the new value (return the same
   * object after changing it in place), and notifies receivers even when nobody listens.
   *
   * @example
   * ```ts
   * counters.sendModify((c) => { c.hits++; return c; });
   * ```
   */
  sendModify(modify: (current: T) => T): void {
    if (typeof modify !== "function") {
      throw new TypeError("WatchSender.sendModify(modify): expected a function");
    }
    const s = this.#state;
    if (s.senderClosed) throw new Error("WatchSender.sendModify(modify): sender closed");
    s.publish(modify(s.value));
  }

  /** The current value. */
  borrow(): T {
    return this.#state.value;
  }

  /**
   * A new receiver; the current value counts as seen by it.
   *
   * @example
   * ```ts
   * const rx = tx.subscribe();
   * ```
   */
  subscribe(): WatchReceiver<T> {
    const s = this.#state;
    s.receivers++;
    return newReceiver(s, s.version);
  }

  /**
   * Closes the sender: receivers' pending and later `changed()` throw `RecvError` once they
   * have seen the last value. Idempotent.
   *
   * @example
   * ```ts
   * tx.close();
   * ```
   */
  close(): void {
    const s = this.#state;
    if (s.senderClosed) return;
    s.senderClosed = true;
    s.wakeAll();
  }

  /** Same as {@link WatchSender.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** True when every receiver is closed (nobody observes the value any more). */
  get isClosed(): boolean {
    return this.#state.receivers === 0;
  }

  /** How many receivers are open. */
  get receiverCount(): number {
    return this.#state.receivers;
  }
}

/**
 * A receiver of a {@link watch} channel: reads the latest value and waits for changes.
 * Intermediate values sent while it was not looking are skipped (only the latest counts).
 *
 * @example
 * ```ts
 * for (;;) {
 *   apply(rx.borrowAndUpdate());
 *   yield* rx.changed(); // throws RecvError once the sender is gone
 * }
 * ```
 */
export class WatchReceiver<T> implements Disposable {
  readonly #view: View<T>;

  /** Made by {@link watch}, `subscribe()` and `clone()`. */
  private constructor(view: View<T>) {
    this.#view = view;
  }

  /** The current value, without marking it seen. */
  borrow(): T {
    return this.#view.state.value;
  }

  /** The current value, marking it seen. */
  borrowAndUpdate(): T {
    const view = this.#view;
    view.seen = view.state.version;
    return view.state.value;
  }

  /** True when a value this receiver has not seen was sent. */
  get hasChanged(): boolean {
    const view = this.#view;
    return view.seen !== view.state.version;
  }

  /**
   * A future that completes when a value this receiver has not seen is sent (at once if one
   * already was), and marks it seen. Throws `RecvError` when the sender is closed and
   * nothing unseen is left.
   *
   * Cancel safety: safe. Nothing is marked seen unless it completes.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * yield* rx.changed();
   * console.log(rx.borrow());
   * ```
   */
  changed(): Future<void> {
    return new Changed(this.#view);
  }

  /**
   * A {@link Stream} of the values this receiver has not seen: each item is the latest value
   * after a change (changes in between are coalesced, as with `changed()`); it ends when the
   * sender is closed and nothing unseen is left. Dropping the stream leaves the receiver open.
   *
   * Cancel safety: safe, like `changed()`: a value is marked seen only when it is returned.
   *
   * @example
   * ```ts
   * for await (const config of rx.stream()) apply(config);
   * ```
   */
  stream(): Stream<T> {
    return new NextStream(
      () => this.changed(),
      () => ({ done: false, value: this.borrow() }),
      "WatchReceiver.stream()",
      (error) => error instanceof RecvError,
    );
  }

  /**
   * Another receiver, at the same seen version as this one.
   *
   * @example
   * ```ts
   * spawn(watcher(rx.clone()));
   * ```
   */
  clone(): WatchReceiver<T> {
    const view = this.#view;
    view.state.receivers++;
    return newReceiver(view.state, view.seen);
  }

  /**
   * Closes this receiver (the sender stops counting it). Idempotent.
   *
   * @example
   * ```ts
   * rx.close();
   * ```
   */
  close(): void {
    const view = this.#view;
    if (view.closed) return;
    view.closed = true;
    view.state.receivers--;
  }

  /** Same as {@link WatchReceiver.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** What one receiver holds: the channel, the version it marked as seen, and closed. */
class View<T> {
  readonly state: WatchState<T>;
  seen: number;
  closed = false;

  constructor(state: WatchState<T>, seen: number) {
    this.state = state;
    this.seen = seen;
  }
}

function newReceiver<T>(state: WatchState<T>, seen: number): WatchReceiver<T> {
  return construct(WatchReceiver, new View(state, seen));
}

class Changed<T> extends ChangeWaiter<void> {
  readonly #rx: View<T>;
  readonly #state: WatchState<T>;

  constructor(rx: View<T>) {
    super(rx.state.waiters);
    this.#rx = rx;
    this.#state = rx.state;
  }

  protected hasNews(): boolean {
    const s = this.#state;
    return s.version !== this.#rx.seen || s.senderClosed;
  }

  protected check(): Poll<void> | undefined {
    const s = this.#state;
    if (s.version !== this.#rx.seen) {
      this.#rx.seen = s.version;
      return READY_VOID;
    }
    if (s.senderClosed) throw new RecvError("the watch sender was closed");
    return undefined;
  }

  override describe(): string {
    return "WatchReceiver.changed()";
  }
}

/**
 * A channel holding one value that many receivers watch: the sender replaces it, receivers
 * read the latest with `borrow()` and wait for the next change with `changed()`. Good for
 * configuration, status and shutdown signals.
 *
 * Cancel safety: `changed()` is cancel-safe; sending is synchronous.
 *
 * @example
 * ```ts
 * const [tx, rx] = watch("starting");
 * spawn(future(function* () { yield* rx.changed(); console.log(rx.borrow()); }));
 * tx.send("running");
 * ```
 */
export function watch<T>(initial: T): [WatchSender<T>, WatchReceiver<T>] {
  const state = new WatchState(initial);
  return [construct<WatchSender<T>>(WatchSender, state), newReceiver(state, 0)];
}
