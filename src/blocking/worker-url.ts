/**
 * Where the pool's worker script is, in the two ways the library runs:
 * - Built package: `dist/worker.js` sits beside the entry points and their chunks, so
 *   `new URL("./worker.js", import.meta.url)` finds it from the ESM and the CJS build (tsup's
 *   shims give CJS an `import.meta.url`). `worker.js` is an ES module; a CJS parent can start
 *   it too.
 * - TypeScript sources (vitest, tsx): this module's URL ends in `.ts`. Node 20 cannot start a
 *   `.ts` worker with `execArgv: ["--import", "tsx"]`, so the worker is an `eval` bootstrap
 *   that registers tsx's ESM hooks (`tsx/esm/api`) and then imports `worker-entry.ts`.
 *
 * Invariant: computed once per process.
 * @module
 */
import { BlockingError } from "./errors.js";

/** What `new Worker(filename, { eval })` is given. */
export interface WorkerScript {
  readonly filename: string | URL;
  readonly eval: boolean;
}

let script: WorkerScript | undefined;

/**
 * The worker script for the pool's threads.
 *
 * @example
 * ```ts
 * const { filename, eval: isEval } = workerScript();
 * new Worker(filename, { eval: isEval, workerData });
 * ```
 */
export function workerScript(): WorkerScript {
  script ??= locate(import.meta.url);
  return script;
}

/**
 * Locates the worker script relative to `moduleUrl`, the URL of the module asking.
 *
 * @example
 * ```ts
 * locate("file:///app/node_modules/wakeful/dist/index.js").filename; // …/dist/worker.js
 * ```
 */
export function locate(moduleUrl: string): WorkerScript {
  if (!/\.[cm]?ts$/.test(moduleUrl)) {
    return { filename: new URL("./worker.js", moduleUrl), eval: false };
  }
  const entry = new URL("./worker-entry.ts", moduleUrl).href;
  return { filename: tsBootstrap(resolveTsxApi(), entry), eval: true };
}

/**
 * The `eval` source of a worker that registers tsx and then imports the TypeScript `entry`.
 *
 * @example
 * ```ts
 * new Worker(tsBootstrap(tsxApiUrl, entryUrl), { eval: true });
 * ```
 */
export function tsBootstrap(tsxApiUrl: string, entry: string): string {
  return (
    `import(${JSON.stringify(tsxApiUrl)})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`
  );
}

function resolveTsxApi(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  try {
    if (typeof resolve === "function") return resolve("tsx/esm/api");
  } catch (error) {
    throw new BlockingError(
      "running the blocking pool from TypeScript sources needs `tsx` installed (tsx/esm/api)",
      error,
    );
  }
  throw new BlockingError(
    "running the blocking pool from TypeScript sources needs import.meta.resolve (Node >= 20.6)",
  );
}
