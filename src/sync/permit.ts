/**
 * `Permit`: one reserved slot in a bounded channel.
 *
 * Invariant: a permit holds its channel until it is used or released, exactly once; while it
 * does, the slot counts in `ChannelState.reserved` and the receiver's stream does not end.
 * @module
 */
import { construct } from "../core/construct.js";
import type { ChannelState } from "./channel-state.js";

/**
 * One reserved slot in a bounded channel, from {@link Sender.reserve}. `send(value)` uses it
 * synchronously; disposing or releasing it unused gives the slot back. While it exists the
 * receiver keeps waiting for its message (the stream does not end).
 *
 * @example
 * ```ts
 * using permit = yield* tx.reserve();
 * permit.send(build()); // cannot fail, cannot wait
 * ```
 */
export class Permit<T> implements Disposable {
  #channel: ChannelState<T> | undefined;

  /** Made by `Sender.reserve()`. */
  private constructor(channel: ChannelState<T>) {
    this.#channel = channel;
  }

  /**
   * Sends `value` in the reserved slot. Never waits. Still delivered after `Receiver.close()`
   * (the receiver drains it), as in tokio. Throws if the permit was already used or released.
   *
   * @example
   * ```ts
   * permit.send(msg);
   * ```
   */
  send(value: T): void {
    const ch = this.#channel;
    if (ch === undefined) throw new Error("Permit.send(value): this permit was already used");
    this.#channel = undefined;
    ch.sendReserved(value);
  }

  /**
   * Gives the slot back unused (to the next waiting sender, if any). Idempotent.
   *
   * @example
   * ```ts
   * if (!shouldSend) permit.release();
   * ```
   */
  release(): void {
    const ch = this.#channel;
    if (ch === undefined) return;
    this.#channel = undefined;
    ch.releaseReserved();
  }

  /** Same as {@link Permit.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/** @internal A permit on `channel`'s slot just reserved (send-future.ts). */
export function newPermit<T>(channel: ChannelState<T>): Permit<T> {
  return construct(Permit, channel);
}
