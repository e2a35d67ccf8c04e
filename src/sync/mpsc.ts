/**
 * The mpsc channel constructors: `channel(capacity)` and `unboundedChannel()`.
 *
 * The state and its invariants live in channel-state.ts; the halves in sender.ts,
 * receiver.ts, permit.ts and the futures in send-future.ts and recv-future.ts.
 * @module
 */
import { ChannelState } from "./channel-state.js";
import { newReceiver, type Receiver } from "./receiver.js";
import { newSender, newUnboundedSender, type Sender, type UnboundedSender } from "./sender.js";
import { checkWhole } from "./validate.js";

/**
 * A bounded multi-producer, single-consumer channel holding at most `capacity` messages:
 * `send` waits while it is full (back-pressure). Messages arrive in the order they were sent;
 * waiting senders and receivers are served first come, first served. The stream ends
 * (`recv()` gives `{ done: true }`) once every sender is closed and the buffer is drained.
 *
 * Cancel safety: `recv()` and `reserve()` are cancel-safe; `send()` is not (a dropped send
 * loses its message), so under `select`/`timeout` reserve a slot first.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<number>(16);
 * spawn(future(function* () {
 *   for (let i = 0; i < 100; i++) yield* tx.send(i);
 *   tx.close();
 * }));
 * let sum = 0;
 * for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) sum += r.value;
 * ```
 */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  checkWhole(capacity, 1, "channel(capacity)", "capacity");
  const state = new ChannelState<T>(capacity);
  return [newSender(state), newReceiver(state)];
}

/**
 * A multi-producer, single-consumer channel without a bound: `send` is synchronous and never
 * waits (so a fast producer can grow the buffer without limit; prefer {@link channel} when
 * the consumer may fall behind).
 *
 * Cancel safety: `recv()` is cancel-safe; sending is synchronous, so there is nothing to
 * cancel.
 *
 * @example
 * ```ts
 * const [tx, rx] = unboundedChannel<string>();
 * tx.send("a");
 * tx.send("b");
 * tx.close();
 * const first = yield* rx.recv(); // { done: false, value: "a" }
 * ```
 */
export function unboundedChannel<T>(): [UnboundedSender<T>, Receiver<T>] {
  const state = new ChannelState<T>(Infinity);
  return [newUnboundedSender(state), newReceiver(state)];
}
