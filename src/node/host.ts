/**
 * The Node host adapter (executor/host.ts): `AsyncLocalStorage` contexts carried into tasks, and
 * the `beforeExit` notice behind `run()`'s deadlock report. The Node entry points install it
 * when they load (the package's `"node"` export condition), so browser bundles carry none of
 * this code.
 *
 * A task spawned from outside any task (an `http` request handler, say) captures the caller's
 * context as an `AsyncResource`, whose creation copies every active store; the task and what it
 * spawns keep that resource (core/task-scope.ts) and are polled inside it (`runInAsyncScope`),
 * so `als.getStore()` gives the store at its first poll, after `sleep` and after `fromPromise`,
 * as request ids, loggers and OpenTelemetry expect.
 *
 * Invariants:
 * - Nothing is captured, and polls cost nothing extra, while no store is active. On Node
 *   before 24 (stores kept on the current async resource) that is checked by looking for a
 *   set store on `executionAsyncResource()`; with async context frames (Node ≥ 24, or the
 *   flag) the check is not possible, so the context is always captured.
 * - A task that carries no context is polled with none: an executor runs each batch of polls
 *   through `isolate`, which leaves any store the batch was scheduled from (the context of
 *   whoever woke the executor) when there is one, so such a task never sees another's store.
 * - Installing twice (two entry points, or two copies of wakeful) keeps the first adapter, so
 *   every copy shares it; one an older copy probed, which lacks `isolate` or `exit`, is
 *   replaced by this one (a superset, which older copies use as before).
 * @module
 */
import { AsyncResource, executionAsyncResource } from "node:async_hooks";
import process from "node:process";
import { RT } from "../core/runtime.js";
import { DeadlockError } from "../executor/deadlock.js";
import type { Host } from "../executor/host.js";
import { unwatchExit, watchExit } from "./exit-watch.js";

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

function nodeHost(): Host {
  const major = Number(process.versions.node.split(".")[0]);
  const frames = major >= 24 || process.execArgv.some((a) => a.includes("async-context-frame"));
  let empty: AsyncResource | undefined;
  return {
    capture: () =>
      frames || hasStore(executionAsyncResource()) ? new AsyncResource("wakeful.task") : undefined,
    run: (context, fn, self) => (context as AsyncResource).runInAsyncScope(fn, self),
    isolate: (fn, self) => {
      // With async context frames every task carries a context of its own: nothing leaks.
      if (frames || !hasStore(executionAsyncResource())) return fn.call(self);
      if (empty === undefined) {
        empty = new AsyncResource("wakeful.executor");
        hasStore(empty, true);
      }
      return empty.runInAsyncScope(fn, self);
    },
    exit: {
      watch: watchExit,
      unwatch: unwatchExit,
      deadlock: (tasks) => new DeadlockError(tasks),
    },
  };
}

/** @internal Installs the Node host adapter for this realm; see the module invariants. */
export function installNodeHost(): void {
  const current = RT.host as Host | null | undefined;
  if (current?.isolate !== undefined && current.exit !== undefined) return;
  RT.host = nodeHost();
}
