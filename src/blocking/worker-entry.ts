/**
 * The script every pool worker thread runs (built as `dist/worker.js`): it wires a
 * {@link WorkerRuntime} to `parentPort`. All the logic lives in `worker-runtime.ts`, which is
 * tested in-process (coverage cannot see inside worker threads).
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { JobMessage, WorkerStartData } from "./protocol.js";
import { WorkerRuntime } from "./worker-runtime.js";

const port = parentPort;
if (port === null) throw new Error("wakeful's worker entry must run in a worker thread");

const runtime = new WorkerRuntime(workerData as WorkerStartData, {
  post: (reply, transfer) => port.postMessage(reply, transfer as never),
  importModule: (filename) =>
    import(
      filename.startsWith("file:")
        ? filename
        : pathToFileURL(isAbsolute(filename) ? filename : resolve(filename)).href
    ),
});

port.on("message", (message: JobMessage) => runtime.receive(message));
