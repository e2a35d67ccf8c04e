/**
 * `CancellationToken`: a cancellation signal shared by many tasks, with child tokens (tokio-util's
 * `CancellationToken`). This is the public face; the tree, its invariants and its algorithms
 * are in token-node.ts, and the futures it hands out in token-waiters.ts.
 *
 * Invariant: a token holds exactly one node for its whole life; `child()` makes a token on a
 * child node. The nodes are never reachable from user code.
 * @module
 */
import type { Future } from "../core/future.js";
import { assertUnowned } from "../core/ownership.js";
import { TokenNode } from "./token-node.js";
import { Cancelled, RunUntilCancelled } from "./token-waiters.js";

/** Each token's node, for the test helper {@link listenerCount} only. */
const NODES = new WeakMap<CancellationToken, TokenNode>();

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
  #node: TokenNode = new TokenNode();

  constructor() {
    NODES.set(this, this.#node);
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
    return this.#node.isCancelled;
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
    return this.#node.cancelReason;
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
    this.#node.cancel(reason);
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
    child.#node = this.#node.child();
    NODES.set(child, child.#node);
    return child;
  }

  /**
   * A future that completes once the token is cancelled (at once if it already is).
   *
   * Cancel safety: safe. Dropping it unregisters it from the token; nothing is lost.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget.
   *
   * @example
   * ```ts
   * const r = yield* select(token.cancelled(), rx.recv());
   * if (r.index === 0) return; // shutting down
   * ```
   */
  cancelled(): Future<void> {
    return new Cancelled(this.#node);
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
    return new RunUntilCancelled(this.#node, fut);
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
    return this.#node.signal;
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
}

/**
 * @internal How many listeners (pending futures, interested children) `token` holds: for tests
 * that check nothing piles up.
 */
export function listenerCount(token: CancellationToken): number {
  return NODES.get(token)?.listeners?.size ?? 0;
}
