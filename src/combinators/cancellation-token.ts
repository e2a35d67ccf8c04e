/**
 * `CancellationToken`: a cancellation signal shared by many tasks, with child tokens (tokio-util's
 * `CancellationToken`).
 *
 * Invariants:
 * - A token is cancelled when it, or any ancestor, was cancelled; once cancelled it stays so
 *   and keeps the reason it first saw. A child never cancels its parent.
 * - Listeners (the token's pending `cancelled()` and `runUntilCancelled()` futures, and child
 *   tokens that have listeners themselves) live in `#listeners`. A token is registered in its
 *   parent's listeners exactly while it is uncancelled and *interested*: it has listeners, or
 *   its `signal` was created. A child nobody waits on is not registered at all (its
 *   `isCancelled` reads up the parent chain instead), so children that are thrown away never
 *   pile up in the parent; a future that is dropped or finishes removes itself at once.
 * - `cancel()` detaches the listener set before notifying anyone, so listeners may unregister
 *   or register re-entrantly; each listener is notified at most once. A cancelled subtree is
 *   notified depth first (each token's listeners in registration order, a child token's
 *   before its parent's signal aborts).
 * - Chains of any depth (a `child()` of a `child()` … a hundred thousand deep) are walked with
 *   loops, never recursion: reading `isCancelled` walks up, registering and unregistering walk
 *   up, cancelling walks down with an explicit stack.
 * - `isCancelled` is O(1) while no token anywhere was cancelled since this token last found
 *   itself uncancelled: `cancelEpoch` counts cancellations, `#uncancelledAt` remembers the
 *   epoch of that last check (a cancellation can only happen by bumping the epoch).
 * - The `AbortSignal` is created on first read; it is aborted (with the reason) on cancel.
 * @module
 */
import type { Future } from "../core/future.js";
import { assertUnowned } from "../core/ownership.js";
import { reportUnhandled } from "../core/unhandled.js";
import {
  Cancelled,
  type Listener,
  RunUntilCancelled,
  type TokenRegistry,
} from "./token-waiters.js";

type Entry = Listener | CancellationToken;

let registry: TokenRegistry<CancellationToken>;
let countListeners: (token: CancellationToken) => number;
/** Bumped by every cancellation, anywhere: see `#uncancelledAt`. */
let cancelEpoch = 0;
let cancelTree: (root: CancellationToken, reason: unknown) => void;

/**
 * A token that many futures can watch for cancellation. `cancel()` cancels it and all its
 * children (made with {@link CancellationToken.child}); cancelling a child leaves the parent
 * alone. Disposing a token cancels it, so `using token = parent.child()` cancels the work of
 * a scope when the scope ends.
 *
 * @example
 * ```ts
 * const shutdown = new CancellationToken();
 * for (const conn of connections) {
 *   spawn(shutdown.child().runUntilCancelled(serve(conn)));
 * }
 * process.once("SIGTERM", () => shutdown.cancel("SIGTERM")); // every serve() is dropped
 * ```
 */
export class CancellationToken implements Disposable {
  #parent: CancellationToken | undefined = undefined;
  #cancelled = false;
  #reason: unknown = undefined;
  #listeners: Set<Entry> | undefined = undefined;
  #controller: AbortController | undefined = undefined;
  #registered = false;
  /** The `cancelEpoch` at which this token was last found uncancelled (-1: never checked). */
  #uncancelledAt = -1;

  static {
    registry = {
      add: (token, listener) => token.#add(listener),
      remove: (token, listener) => token.#remove(listener),
    };
    countListeners = (token) => token.#listeners?.size ?? 0;
  }

  /**
   * True once this token or one of its ancestors was cancelled.
   *
   * @example
   * ```ts
   * while (!token.isCancelled) yield* step();
   * ```
   */
  get isCancelled(): boolean {
    if (this.#cancelled) return true;
    if (this.#uncancelledAt === cancelEpoch) return false;
    // Walk up to the first cancelled ancestor, or to one known uncancelled at this epoch.
    let ancestor = this.#parent;
    while (
      ancestor !== undefined &&
      !ancestor.#cancelled &&
      ancestor.#uncancelledAt !== cancelEpoch
    ) {
      ancestor = ancestor.#parent;
    }
    if (ancestor === undefined || !ancestor.#cancelled) {
      this.#uncancelledAt = cancelEpoch;
      return false;
    }
    // Catch up from the top down. The tokens on the way are normally uninterested (an
    // interested one is cancelled with its ancestor), so this notifies nobody; but a listener
    // reading this during that very cancel can get here first, and its subtree is notified.
    const path: CancellationToken[] = [];
    for (let t: CancellationToken = this; t !== ancestor; t = t.#parent as CancellationToken) {
      path.push(t);
    }
    const reason = ancestor.#reason;
    for (let i = path.length - 1; i >= 0; i--) {
      const t = path[i] as CancellationToken;
      if (!t.#cancelled) cancelTree(t, reason);
    }
    return true;
  }

  /**
   * The reason given to the `cancel()` that cancelled this token (or an ancestor); `undefined`
   * while it is not cancelled.
   *
   * @example
   * ```ts
   * if (token.isCancelled) log.info(`stopping: ${token.reason}`);
   * ```
   */
  get reason(): unknown {
    return this.isCancelled ? this.#reason : undefined;
  }

  /**
   * Cancels this token and all its children: their `cancelled()` futures complete, futures run
   * with `runUntilCancelled` are dropped, and `signal` aborts. Idempotent; the first reason
   * wins.
   *
   * @example
   * ```ts
   * token.cancel("user logged out");
   * ```
   */
  cancel(reason?: unknown): void {
    if (this.isCancelled) return;
    cancelTree(this, reason);
  }

  /**
   * A new token cancelled whenever this one is; cancelling the child does not cancel this one.
   *
   * @example
   * ```ts
   * const request = server.child();
   * spawn(request.runUntilCancelled(handle(req)));
   * request.cancel(); // this request only
   * ```
   */
  child(): CancellationToken {
    const child = new CancellationToken();
    if (this.isCancelled) {
      child.#cancelled = true;
      child.#reason = this.#reason;
    } else {
      child.#parent = this;
      child.#uncancelledAt = cancelEpoch;
    }
    return child;
  }

  /**
   * A future that completes once the token is cancelled (at once if it already is).
   *
   * Cancel safety: safe. Dropping it unregisters it from the token; nothing is lost.
   *
   * @example
   * ```ts
   * const r = yield* select(token.cancelled(), rx.recv());
   * if (r.index === 0) return; // shutting down
   * ```
   */
  cancelled(): Future<void> {
    return new Cancelled(this, registry);
  }

  /**
   * Runs `fut` until the token is cancelled: gives `fut`'s value, or, once the token is
   * cancelled, drops `fut` at once (its cleanup runs, the awaiting task is woken) and throws
   * `AbortedError` with the token's reason as `cause`. If `fut` finished first, its result
   * stands.
   *
   * Cancel safety: as safe as `fut`, which is dropped mid-way on cancellation.
   *
   * @example
   * ```ts
   * try {
   *   yield* token.runUntilCancelled(serve(conn));
   * } catch (e) {
   *   if (!(e instanceof AbortedError)) throw e;
   * }
   * ```
   */
  runUntilCancelled<T>(fut: Future<T>): Future<T> {
    assertUnowned(fut, "token.runUntilCancelled(fut)");
    return new RunUntilCancelled(this, registry, fut);
  }

  /**
   * An `AbortSignal` that aborts when the token is cancelled, for promise-based APIs such as
   * `fetch`. Created on first read. Reading it keeps a child token registered with its parent
   * until it is cancelled or disposed.
   *
   * @example
   * ```ts
   * const data = yield* fromPromise(() =>
   *   fetch(url, { signal: token.signal }).then((r) => r.json()),
   * );
   * ```
   */
  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = new AbortController();
      this.#controller = controller;
      if (this.isCancelled) controller.abort(this.#reason);
      else this.#sync();
    }
    return controller.signal;
  }

  /**
   * Cancels the token (a token used as a scope guard: `using token = parent.child()`).
   *
   * @example
   * ```ts
   * { using scope = root.child(); spawn(scope.runUntilCancelled(job())); } // job is dropped
   * ```
   */
  [Symbol.dispose](): void {
    this.cancel();
  }

  /**
   * A token cancelled when `signal` aborts (with `signal.reason`); cancelled at once if the
   * signal already aborted.
   *
   * @example
   * ```ts
   * const token = CancellationToken.fromSignal(AbortSignal.timeout(5000));
   * ```
   */
  static fromSignal(signal: AbortSignal): CancellationToken {
    if (
      signal === null ||
      typeof signal !== "object" ||
      typeof signal.aborted !== "boolean" ||
      typeof signal.addEventListener !== "function"
    ) {
      throw new TypeError("CancellationToken.fromSignal(signal): expected an AbortSignal");
    }
    const token = new CancellationToken();
    if (signal.aborted) token.cancel(signal.reason);
    else signal.addEventListener("abort", () => token.cancel(signal.reason), { once: true });
    return token;
  }

  /**
   * Marks this token cancelled, detaches it from its parent and hands over its listeners (the
   * set, now detached) to be notified.
   */
  #markCancelled(reason: unknown): Set<Entry> | undefined {
    cancelEpoch++;
    this.#cancelled = true;
    this.#reason = reason;
    const parent = this.#parent;
    this.#parent = undefined;
    if (this.#registered && parent !== undefined) {
      this.#registered = false;
      parent.#remove(this);
    }
    const listeners = this.#listeners;
    this.#listeners = undefined;
    return listeners;
  }

  #abortSignal(): void {
    const controller = this.#controller;
    if (controller === undefined) return;
    try {
      controller.abort(this.#reason);
    } catch (error) {
      reportUnhandled(error);
    }
  }

  static {
    cancelTree = (root, reason) => {
      // Depth first with an explicit stack: a token's listeners in order, a child token's
      // subtree in place, and each token's signal once its subtree is done.
      const stack: { token: CancellationToken; listeners: Iterator<Entry> | undefined }[] = [];
      let token = root;
      let listeners: Iterator<Entry> | undefined = root.#markCancelled(reason)?.values();
      for (;;) {
        const next = listeners?.next();
        if (next === undefined || next.done === true) {
          token.#abortSignal();
          const frame = stack.pop();
          if (frame === undefined) return;
          token = frame.token;
          listeners = frame.listeners;
          continue;
        }
        const listener = next.value;
        if (listener instanceof CancellationToken) {
          listener.#registered = false;
          if (listener.#cancelled) continue;
          stack.push({ token, listeners });
          token = listener;
          listeners = listener.#markCancelled(reason)?.values();
          continue;
        }
        try {
          listener.onCancel();
        } catch (error) {
          reportUnhandled(error);
        }
      }
    };
  }

  #add(listener: Listener): void {
    if (this.isCancelled) {
      // Callers check first; this keeps a late listener from waiting forever regardless.
      listener.onCancel();
      return;
    }
    let listeners = this.#listeners;
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners = listeners;
    }
    listeners.add(listener);
    this.#sync();
  }

  #remove(listener: Entry): void {
    const listeners = this.#listeners;
    if (listeners === undefined || !listeners.delete(listener)) return;
    if (listeners.size === 0) this.#listeners = undefined;
    this.#sync();
  }

  /**
   * Registers with the parent while interested, unregisters when no longer, and so on up the
   * chain for every ancestor whose interest changes with it (a loop, not recursion).
   */
  #sync(): void {
    let token: CancellationToken = this;
    for (;;) {
      const parent = token.#parent;
      if (parent === undefined || token.#cancelled) return;
      const interested = token.#listeners !== undefined || token.#controller !== undefined;
      if (interested === token.#registered) return;
      if (interested) {
        if (parent.#cancelled) {
          // The parent's cancel already ran: catch up (this notifies our own listeners).
          cancelTree(token, parent.#reason);
          return;
        }
        token.#registered = true;
        let set = parent.#listeners;
        if (set === undefined) {
          set = new Set();
          parent.#listeners = set;
        }
        set.add(token);
      } else {
        token.#registered = false;
        const set = parent.#listeners;
        if (set === undefined || !set.delete(token)) return;
        if (set.size === 0) parent.#listeners = undefined;
      }
      token = parent;
    }
  }
}

/**
 * @internal How many listeners (pending futures, interested children) `token` holds: for tests
 * that check nothing piles up.
 */
export function listenerCount(token: CancellationToken): number {
  return countListeners(token);
}
