/**
 * Task scopes: what a task carries from whoever spawned it, and what code polled inside it
 * reads back. A scope holds the task-local values in force (`TaskLocal`, task-local.ts) and a
 * host context (Node's `AsyncLocalStorage` stores, captured by the host adapter, executor/host.ts).
 *
 * Invariants:
 * - Scopes are immutable: inheriting one is a pointer copy. A task spawned while another task
 *   is polled inherits that task's scope, as it stands at that moment (inside a
 *   `local.scope(value, …)`, that scope's).
 * - While a task is polled, `RT.scope` is its scope, restored after; outside any task's poll it
 *   is `undefined`. Every task has a scope (`EMPTY_SCOPE` when it carries nothing), so "inside a
 *   task" and "outside any task" are told apart by `RT.scope === undefined` alone.
 * - Task-local values are a linked list, newest first: a lookup walks as many entries as there
 *   are nested scopes (a handful), and adding one never copies.
 * @module
 */
import { RT } from "./runtime.js";

/** @internal One task-local value in force, and the ones it shadows. */
export interface LocalEntry {
  readonly key: object;
  readonly value: unknown;
  readonly next: LocalEntry | undefined;
}

/** @internal What a task carries; see the module invariants. */
export interface TaskScope {
  readonly locals: LocalEntry | undefined;
  /** The host context to poll the task inside (an `AsyncResource` on Node), if any. */
  readonly host: unknown;
}

/** @internal The scope of a task that carries nothing. */
export const EMPTY_SCOPE: TaskScope = /* @__PURE__ */ Object.freeze({
  locals: undefined,
  host: undefined,
});

/** @internal The scope of the task being polled, or `undefined` outside any task's poll. */
export function currentScope(): TaskScope | undefined {
  return RT.scope as TaskScope | undefined;
}

/** @internal The value in force for `key` in `scope`, or `NOT_SET`. */
export function lookupLocal(scope: TaskScope | undefined, key: object): unknown {
  for (let e = scope?.locals; e !== undefined; e = e.next) if (e.key === key) return e.value;
  return NOT_SET;
}

/** @internal What {@link lookupLocal} returns for a key with no value in force. */
export const NOT_SET: unique symbol = Symbol("not set");
