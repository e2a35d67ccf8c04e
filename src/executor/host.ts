/**
 * What the host runtime adds to the executor, where it has it: its async context (Node's
 * `AsyncLocalStorage`) carried into tasks, and notice that the host is about to exit (so that
 * `run()` reports a deadlock instead of the process exiting silently).
 *
 * The executor only reads the adapter here; the Node entry points install it (node/host.ts,
 * chosen by the package's `"node"` export condition). Browsers and other hosts run without
 * one, and their bundles carry none of its code.
 *
 * Invariants:
 * - One adapter per realm, in `RT.host`, shared by every copy of wakeful: a task spawned by one
 *   copy and polled by another is polled in the same context. The Node entry installs it once
 *   and upgrades one an older copy left that lacks a member this copy uses (`isolate`, `exit`).
 * - Without an adapter nothing is captured or watched, and polls cost nothing extra: a task's
 *   scope then has no host context, so `Task` never calls {@link runInHost}.
 * - Only spawns from outside a task capture: a task spawned by a task inherits its parent's
 *   context by reference. So `als.run(v, () => spawn(f))` *inside* a task gives `f` the task's
 *   context, not `v`; to scope a value for a child from inside a task, use `TaskLocal`.
 * @module
 */
import { RT } from "../core/runtime.js";
import { EMPTY_SCOPE, type TaskScope } from "../core/task-scope.js";
import type { TaskInfo } from "./task-info.js";

/** @internal The host's adapter; see the module invariants. */
export interface Host {
  /** The caller's context, or `undefined` when there is none worth carrying. */
  capture(): unknown;
  /** Calls `fn` on `self` inside `context` (a value `capture` returned). */
  run<S, R>(context: unknown, fn: (this: S) => R, self: S): R;
  /**
   * Calls `fn` on `self` outside any store when the caller is inside one, so that tasks that
   * carry no context are polled with none, not in the context of whoever woke the executor.
   * Absent in an adapter an older copy installed.
   */
  isolate?<S, R>(fn: (this: S) => R, self: S): R;
  /** Notice of the host's exit; absent where the host gives none (or an older copy's adapter). */
  exit?: HostExit;
}

/** @internal Notice that the host is about to exit (Node's `beforeExit`). */
export interface HostExit {
  /** Calls `onExit` once if the host is about to exit before `unwatch(onExit)`. */
  watch(onExit: () => void): void;
  /** Stops watching for `onExit` (a no-op if it is not watched). */
  unwatch(onExit: () => void): void;
  /** The error `run()` rejects with when the host exits while these tasks still wait. */
  deadlock(tasks: readonly TaskInfo[]): Error;
}

/** The installed adapter, if any (an older copy that found none stored `null`). */
function host(): Host | undefined {
  return (RT.host as Host | null | undefined) ?? undefined;
}

/**
 * @internal Calls `fn` on `self` inside `context`, a host context a task captured (its
 * `TaskScope.host`, set only when there is an adapter).
 */
export function runInHost<S, R>(context: unknown, fn: (this: S) => R, self: S): R {
  return (host() as Host).run(context, fn, self);
}

/**
 * @internal Calls `fn` on `self` outside any store the caller is in (see `isolate`); just calls
 * it while there is no adapter (or only an older copy's).
 */
export function runIsolated<S>(fn: (this: S) => void, self: S): void {
  const h = host();
  if (h?.isolate === undefined) fn.call(self);
  else h.isolate(fn, self);
}

/**
 * The scope of a task spawned from outside any task: the caller's host context, if one is
 * active, and no task-locals.
 */
export function externalScope(): TaskScope {
  const context = host()?.capture();
  return context === undefined ? EMPTY_SCOPE : { locals: undefined, host: context };
}

/** @internal The host's exit notice, or `undefined` where it gives none. */
export function hostExit(): HostExit | undefined {
  return host()?.exit;
}
