/**
 * `TaskLocal<T>`: a value scoped to a future and to every task spawned inside it (tokio's
 * `task_local!`), in any runtime: the runtime-agnostic way to carry a request id, a logger or a
 * deadline through `spawn`, without threading it through every call.
 *
 * Invariants (see task-scope.ts for how scopes are carried):
 * - `local.scope(value, fut)` makes `value` the local's value while `fut` is polled or dropped,
 *   nested scopes shadow outer ones, and tasks spawned meanwhile keep it for their whole life.
 * - `get()` reads the value in force in the task being polled; outside any scope it throws
 *   (`tryGet()` gives `undefined`).
 * - A scope future builds its scope once, at its first poll, from the scope in force then.
 * @module
 */
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future } from "./future.js";
import { assertUnowned } from "./ownership.js";
import { Poll } from "./poll.js";
import { RT } from "./runtime.js";
import { lookupLocal, NOT_SET, type TaskScope } from "./task-scope.js";

class LocalScope<T, R> extends Future<R> {
  #inner: Future<R> | undefined;
  readonly #key: TaskLocal<T>;
  readonly #value: T;
  #scope: TaskScope | undefined = undefined;

  constructor(key: TaskLocal<T>, value: T, inner: Future<R>) {
    super();
    this.#key = key;
    this.#value = value;
    this.#inner = inner;
  }

  #enter(): TaskScope | undefined {
    const outer = RT.scope as TaskScope | undefined;
    let scope = this.#scope;
    if (scope === undefined) {
      scope = {
        locals: { key: this.#key, value: this.#value, next: outer?.locals },
        host: outer?.host,
      };
      this.#scope = scope;
    }
    RT.scope = scope;
    return outer;
  }

  poll(cx: Context): Poll<R> {
    const inner = this.#inner;
    if (inner === undefined) throw new PollAfterReadyError("TaskLocal.scope future");
    const outer = this.#enter();
    let p: Poll<R>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#inner = undefined;
      throw error;
    } finally {
      RT.scope = outer;
    }
    if (p !== Poll.pending) this.#inner = undefined;
    return p;
  }

  override drop(): void {
    const inner = this.#inner;
    if (inner === undefined) return;
    this.#inner = undefined;
    const outer = this.#enter();
    try {
      inner.drop();
    } finally {
      RT.scope = outer;
    }
  }

  override describe(): string {
    return this.#inner?.describe() ?? `${this.#key.name}.scope (done)`;
  }
}

/**
 * A task-local value: `local.scope(value, fut)` runs `fut` with `value` in force, and every task
 * spawned inside it inherits the value; `local.get()` reads it. Works under any executor and in
 * any runtime (on Node, `AsyncLocalStorage` contexts are carried into tasks as well).
 *
 * @example
 * ```ts
 * const requestId = new TaskLocal<string>("requestId");
 * const log = (msg: string) => console.log(`[${requestId.tryGet() ?? "-"}] ${msg}`);
 *
 * const handle = asyncFn(function* (id: string) {
 *   log("start"); // [req-7] start
 *   yield* spawn(future(function* () { log("child"); })); // [req-7] child: inherited
 * });
 * await run(requestId.scope("req-7", handle("req-7")));
 * ```
 */
export class TaskLocal<T> {
  /** A name for error messages and task dumps. */
  readonly name: string;

  /** @param name shown in error messages (default `"TaskLocal"`). */
  constructor(name = "TaskLocal") {
    if (typeof name !== "string") throw new TypeError("new TaskLocal(name): name must be a string");
    this.name = name;
  }

  /**
   * A future that runs `fut` with `value` as this local's value; tasks spawned while it runs
   * keep the value for good. Nested scopes of the same local shadow outer ones.
   *
   * Cancel safety: as safe as `fut`; dropping the scope drops `fut` (its cleanup still sees
   * `value`).
   *
   * @example
   * ```ts
   * yield* user.scope(currentUser, handleRequest(req));
   * ```
   */
  scope<R>(value: T, fut: Future<R>): Future<R> {
    assertUnowned(fut, `${this.name}.scope(value, fut): fut`);
    return new LocalScope(this, value, fut);
  }

  /**
   * The value in force in the task (or scope future) being polled. Throws an `Error` outside
   * any `scope` of this local.
   *
   * @example
   * ```ts
   * const id = requestId.get();
   * ```
   */
  get(): T {
    const value = lookupLocal(RT.scope as TaskScope | undefined, this);
    if (value === NOT_SET) {
      throw new Error(
        `${this.name}.get(): no value in force here; run the future inside ${this.name}.scope(value, fut)`,
      );
    }
    return value as T;
  }

  /**
   * Like {@link TaskLocal.get}, but gives `undefined` outside any scope of this local.
   *
   * @example
   * ```ts
   * const id = requestId.tryGet() ?? "no request";
   * ```
   */
  tryGet(): T | undefined {
    const value = lookupLocal(RT.scope as TaskScope | undefined, this);
    return value === NOT_SET ? undefined : (value as T);
  }
}
