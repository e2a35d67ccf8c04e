/**
 * The Node built-ins the pool needs, loaded on first use through `process.getBuiltinModule`
 * (Node >= 20.16), never by a static import: importing the package root must not load
 * `node:worker_threads`, and it must stay importable where Node built-ins do not exist.
 *
 * Invariant: loaded at most once; the first job submission (or an explicit `minThreads`
 * start) triggers it, synchronously, so no job waits an extra tick for it.
 * @module
 */
import { BlockingError } from "./errors.js";

/** The slice of `node:worker_threads` and `node:os` the pool uses. */
export interface NodeApis {
  readonly Worker: typeof import("node:worker_threads").Worker;
  readonly availableParallelism: () => number;
  /** `execArgv` for new workers, or `undefined` to inherit the parent's (the usual case). */
  readonly execArgv: readonly string[] | undefined;
}

let apis: NodeApis | undefined;

type BuiltinLoader = (id: string) => unknown;

/**
 * Loads (once) and returns the Node built-ins the pool needs; throws `BlockingError` outside
 * Node.
 *
 * @example
 * ```ts
 * const { Worker } = nodeApis();
 * ```
 */
export function nodeApis(): NodeApis {
  if (apis !== undefined) return apis;
  const proc = (
    globalThis as { process?: { getBuiltinModule?: BuiltinLoader; execArgv?: string[] } }
  ).process;
  const load = proc?.getBuiltinModule;
  if (typeof load !== "function") {
    throw new BlockingError(
      "the blocking pool needs Node.js >= 20.16 (worker_threads via process.getBuiltinModule)",
    );
  }
  const threads = load.call(proc, "node:worker_threads") as typeof import("node:worker_threads");
  const os = load.call(proc, "node:os") as typeof import("node:os");
  apis = {
    Worker: threads.Worker,
    availableParallelism:
      typeof os.availableParallelism === "function"
        ? () => os.availableParallelism()
        : () => os.cpus().length,
    execArgv: workerExecArgv(proc?.execArgv ?? []),
  };
  return apis;
}

/**
 * The `execArgv` for workers: `undefined` (inherit, which also skips per-process flags such as
 * `--expose-gc` that an explicit list would reject) unless the parent has `--input-type`, which
 * is only valid for `-e`/stdin (a worker inheriting it fails with ERR_INPUT_TYPE_NOT_ALLOWED):
 * then the parent's list without it.
 *
 * @example
 * ```ts
 * workerExecArgv(["--input-type=module", "--conditions=dev"]); // ["--conditions=dev"]
 * ```
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  if (!execArgv.some((arg) => arg.startsWith("--input-type"))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (arg === "--input-type") i++;
    else if (!arg.startsWith("--input-type=")) out.push(arg);
  }
  return out;
}
