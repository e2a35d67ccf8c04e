/**
 * The blocking pool's {@link Platform} on Node: threads are `worker_threads` Workers running
 * `worker-entry.ts`, the clock is the system clock (the dispatcher's idle alarms never keep
 * the process alive). Everything Node-specific the dispatcher needs is here, so the dispatcher itself runs
 * unchanged over the in-process threads of the tests.
 *
 * Invariant: a Worker's end is reported once, on "exit", after every message it posted.
 * @module
 */
import { systemClock } from "../time/clock.js";
import type { Platform } from "./dispatcher.js";
import { WorkerExit } from "./job-errors.js";
import { type NodeApis, nodeApis } from "./node-apis.js";
import type { ResourceLimits } from "./pool-options.js";
import type { ReplyMessage } from "./protocol.js";
import type { StartThread } from "./worker-slot.js";
import { workerScript } from "./worker-url.js";

/**
 * The Node platform for a pool whose workers get `resourceLimits`. Loads `node:worker_threads`
 * (through {@link nodeApis}) when called, so call it on the first job, not before.
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(settings, () => nodePlatform(settings.resourceLimits));
 * ```
 */
export function nodePlatform(resourceLimits: ResourceLimits | undefined): Platform {
  const apis = nodeApis();
  return {
    startThread: startWorker(apis, resourceLimits),
    availableParallelism: apis.availableParallelism,
    clock: systemClock,
  };
}

function startWorker(apis: NodeApis, resourceLimits: ResourceLimits | undefined): StartThread {
  const script = workerScript();
  return (workerData, events) => {
    const worker = new apis.Worker(script.filename, {
      eval: script.eval,
      workerData,
      ...(apis.execArgv === undefined ? {} : { execArgv: apis.execArgv as string[] }),
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
    });
    worker.on("message", (reply: ReplyMessage) => events.reply(reply));
    // A crash is handled on "exit", not on "error": Node delivers every message the worker
    // posted before it died ahead of "exit", but "error" travels on another port and can
    // overtake the last replies, which would blame a job that had in fact finished.
    let crash: unknown;
    worker.on("error", (error: unknown) => {
      crash ??= error;
    });
    worker.on("exit", (code: number) => events.exit(crash ?? new WorkerExit(code)));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer as never),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: () => worker.terminate(),
    };
  };
}
