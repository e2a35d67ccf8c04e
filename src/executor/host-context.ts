/**
 * The host's async context (Node's `AsyncLocalStorage`), carried into tasks: a task spawned from
 * a callback inside `als.run(store, …)` (an `http` request handler, say) is polled inside that
 * context, so `als.getStore()` gives `store` at its first poll, after `sleep` and after
 * `fromPromise`, as request ids, loggers and OpenTelemetry expect.
 *
 * How: when a task is spawned from outside any task, the adapter captures the caller's context
 * as an `AsyncResource` (whose creation copies every active store); the task and everything it
 * spawns keep that resource (task-scope.ts) and are polled inside it (`runInAsyncScope`).
 *
 * Invariants:
 * - Feature-detected, with no `node:` import: `process.getBuiltinModule("node:async_hooks")`
 *   (Node ≥ 20.16). Elsewhere (browsers, Deno without it) there is no adapter and nothing is
 *   captured. The probe runs once per realm, at the first spawn from outside a task.
 * - Nothing is captured, and polls cost nothing extra, while no store is active. On Node
 *   before 24 (stores kept on the current async resource) that is checked by looking for a
 *   set store on `executionAsyncResource()`; with async context frames (Node ≥ 24, or the
 *   flag) the check is not possible, so the context is always captured.
 * - A task that carries no context is polled with none: an executor runs each batch of polls
 *   through `isolate`, which leaves any store the batch was scheduled from (the context of
 *   whoever woke the executor) when there is one, so such a task never sees another's store.
 * - Only spawns from outside a task capture: a task spawned by a task inherits its parent's
 *   context by reference. So `als.run(v, () => spawn(f))` *inside* a task gives `f` the task's
 *   context, not `v`; to scope a value for a child from inside a task, use `TaskLocal`.
 * @module
 */
import { RT } from "../core/runtime.js";
import { EMPTY_SCOPE, type TaskScope } from "../core/task-scope.js";

/** @internal Captures the caller's host context, and runs a poll inside a captured one. */
export interface HostContext {
  /** The caller's context, or `undefined` when there is none worth carrying. */
  capture(): unknown;
  /** Calls `fn` on `self` inside `context` (a value `capture` returned). */
  run<S, R>(context: unknown, fn: (this: S) => R, self: S): R;
  /**
   * Calls `fn` on `self` outside any store when the caller is inside one, so that tasks that
   * carry no context are polled with none, not in the context of whoever woke the executor.
   */
  isolate<S, R>(fn: (this: S) => R, self: S): R;
}

interface AsyncResourceLike {
  runInAsyncScope<S, R>(fn: (this: S) => R, self: S): R;
}

interface AsyncHooksModule {
  AsyncResource: new (type: string) => AsyncResourceLike;
  executionAsyncResource(): object;
}

interface HostProcess {
  getBuiltinModule?(id: string): unknown;
  versions?: { node?: string };
  execArgv?: readonly string[];
}

/**
 * True when a store of some `AsyncLocalStorage` is set on `resource` (Node < 24). With `clear`,
 * unsets them all instead (for a resource that must carry none).
 */
function hasStore(resource: object, clear?: boolean): boolean {
  for (const key of Object.getOwnPropertySymbols(resource)) {
    const stores = resource as Record<symbol, unknown>;
    if (key.description === "kResourceStore" && stores[key] !== undefined) {
      if (clear !== true) return true;
      stores[key] = undefined;
    }
  }
  return false;
}

function probe(): HostContext | null {
  const p = (globalThis as { process?: HostProcess }).process;
  if (typeof p?.getBuiltinModule !== "function") return null;
  const hooks = p.getBuiltinModule("node:async_hooks") as AsyncHooksModule | undefined;
  if (typeof hooks?.AsyncResource !== "function") return null;
  const major = Number(p.versions?.node?.split(".")[0] ?? 0);
  const frames = major >= 24 || (p.execArgv ?? []).some((a) => a.includes("async-context-frame"));
  const { AsyncResource, executionAsyncResource } = hooks;
  let empty: AsyncResourceLike | undefined;
  return {
    capture: () =>
      frames || hasStore(executionAsyncResource()) ? new AsyncResource("wakeful.task") : undefined,
    run: (context, fn, self) => (context as AsyncResourceLike).runInAsyncScope(fn, self),
    isolate: (fn, self) => {
      // With async context frames every task carries a context of its own: nothing leaks.
      if (frames || !hasStore(executionAsyncResource())) return fn.call(self);
      if (empty === undefined) {
        empty = new AsyncResource("wakeful.executor");
        hasStore(empty, true);
      }
      return empty.runInAsyncScope(fn, self);
    },
  };
}

/**
 * @internal The host's adapter, probed on first use; `undefined` when the host has none. The
 * adapter is shared by every copy of wakeful in the realm: one probed by an older copy, without
 * `isolate`, is replaced by this copy's (a superset, which older copies use as before).
 */
export function hostContext(): HostContext | undefined {
  let host = RT.host as HostContext | null | undefined;
  if (host === undefined || (host !== null && host.isolate === undefined)) {
    host = probe();
    RT.host = host;
  }
  return host ?? undefined;
}

/**
 * @internal Calls `fn` on `self` inside `context`, a host context a task captured (its
 * `TaskScope.host`, set only when the adapter exists).
 */
export function runInHost<S, R>(context: unknown, fn: (this: S) => R, self: S): R {
  return (hostContext() as HostContext).run(context, fn, self);
}

/**
 * @internal Calls `fn` on `self` outside any store the caller is in (see `isolate`); just calls
 * it while there is no adapter (or only an older copy's).
 */
export function runIsolated<S>(fn: (this: S) => void, self: S): void {
  const host = RT.host as HostContext | null | undefined;
  if (host?.isolate === undefined) fn.call(self);
  else host.isolate(fn, self);
}

/**
 * The scope of a task spawned from outside any task: the caller's host context, if one is
 * active (host-context.ts), and no task-locals.
 */
export function externalScope(): TaskScope {
  const host = hostContext()?.capture();
  return host === undefined ? EMPTY_SCOPE : { locals: undefined, host };
}
