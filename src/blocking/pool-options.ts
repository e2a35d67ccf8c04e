/**
 * The options of {@link BlockingPool} and of each job, and their eager validation: bad input
 * is a `TypeError`/`RangeError` naming the option, raised when the pool is built or the job
 * is created, never later on a worker thread.
 * @module
 */
import type { TransferItem } from "./protocol.js";

/** Limits for each worker's JavaScript engine (Node's `resourceLimits` of `new Worker`). */
export interface ResourceLimits {
  /** The main heap's maximum size, in MB. */
  maxOldGenerationSizeMb?: number;
  /** The maximum size of the heap space for recently created objects, in MB. */
  maxYoungGenerationSizeMb?: number;
  /** The size of the pre-allocated memory range used for generated code, in MB. */
  codeRangeSizeMb?: number;
  /** The default maximum stack size for the thread, in MB. */
  stackSizeMb?: number;
}

/** Options of `new BlockingPool(options)`. */
export interface BlockingPoolOptions {
  /**
   * The task module for {@link BlockingPool.run}: a path (absolute, or relative to the current
   * directory) or a `file:` URL. Its named exports (sync or async functions) are the tasks.
   * Not needed for {@link BlockingPool.runFunction}.
   * @default undefined
   * @example
   * ```ts
   * new BlockingPool({ filename: new URL("./tasks.js", import.meta.url) });
   * ```
   */
  filename?: string | URL;
  /**
   * Threads kept alive even when idle (started with the first job, never before).
   * @default 0
   */
  minThreads?: number;
  /**
   * The most threads the pool runs at once.
   * @default os.availableParallelism()
   */
  maxThreads?: number;
  /**
   * How long a thread may sit idle before it exits (beyond `minThreads`); `Infinity` keeps
   * threads until `close()`. Any finite length is honoured, beyond the 2^31−1 ms (about 24.8
   * days) a single host timer can wait too. An idle thread never keeps the process alive
   * either way.
   * @default 10_000
   */
  idleTimeoutMs?: number;
  /**
   * How many jobs may wait, submitted and not yet started, wherever they wait: in the pool's
   * queue or pipelined behind the job a thread is on. One more fails with `QueueFullError` at
   * once. So `maxThreads: 1, maxQueue: 1` admits one running and one waiting job.
   * @default Infinity
   */
  maxQueue?: number;
  /**
   * Passed to each worker; a job that exceeds them fails with `BlockingError` and its thread is
   * replaced. Each limit is a finite number of MB > 0; an unknown key is a `TypeError`.
   * @default undefined (Node's defaults)
   * @example
   * ```ts
   * new BlockingPool({ resourceLimits: { maxOldGenerationSizeMb: 256 } });
   * ```
   */
  resourceLimits?: ResourceLimits;
  /**
   * How many jobs a thread holds at once: the one it runs plus those waiting behind it, sent
   * ahead so the thread never waits for a round trip. A job is pipelined onto a busy thread
   * only when no thread is idle and no new thread may start, and an idle thread takes back
   * (steals) a job waiting behind a long-running one, so a CPU-bound job does not hold others.
   * Jobs with a transfer list are never pipelined.
   * @default 8
   */
  pipelineDepth?: number;
}

/** Options of a single job: {@link BlockingPool.run} and {@link BlockingPool.runFunction}. */
export interface RunOptions {
  /**
   * Objects in `args` to move to the worker instead of copying them (`ArrayBuffer`s,
   * `MessagePort`s, …); they are unusable in the caller afterwards. They are moved once: such
   * a job waits for a thread with nothing else to do (it is never pipelined behind another
   * job nor taken back), and fails with `BlockingError` if that thread dies before starting
   * it, since its objects died with the thread.
   * @default []
   */
  transfer?: readonly TransferItem[];
  /**
   * When the job's future is dropped while the job runs, terminate its worker thread (the job
   * is killed, the thread replaced) instead of letting it finish and discarding its result.
   * A job that has already ended when it is dropped (its result still on the way) kills
   * nothing: the jobs after it on that thread are never affected.
   * @default false
   */
  terminateOnDrop?: boolean;
}

/** Validated pool settings; `maxThreads` is 0 until resolved from the machine. */
export interface PoolSettings {
  readonly filename: string | undefined;
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly idleTimeoutMs: number;
  readonly maxQueue: number;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly pipelineDepth: number;
}

function whole(
  value: unknown,
  name: string,
  min: number,
  fallback: number,
  infinite = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !(value >= min) ||
    !(Number.isInteger(value) || (infinite && value === Number.POSITIVE_INFINITY))
  ) {
    const what = infinite ? `a whole number >= ${min} or Infinity` : `a whole number >= ${min}`;
    throw new RangeError(`BlockingPool(options): ${name} must be ${what}, got ${String(value)}`);
  }
  return value;
}

const LIMITS = [
  "maxOldGenerationSizeMb",
  "maxYoungGenerationSizeMb",
  "codeRangeSizeMb",
  "stackSizeMb",
] as const;

/** Validates `resourceLimits`; returns a copy holding only the limits that were given. */
function limits(value: unknown): ResourceLimits | undefined {
  if (value === undefined) return undefined;
  const where = "BlockingPool(options): resourceLimits";
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object`);
  }
  const out: Record<string, number> = {};
  for (const key of Object.keys(value)) {
    if (!(LIMITS as readonly string[]).includes(key)) {
      throw new TypeError(`${where} has no limit "${key}" (known: ${LIMITS.join(", ")})`);
    }
    const limit = (value as Record<string, unknown>)[key];
    if (limit === undefined) continue;
    if (typeof limit !== "number") {
      throw new TypeError(`${where}.${key} must be a number (MB), got ${typeof limit}`);
    }
    if (!(limit > 0) || !Number.isFinite(limit)) {
      throw new RangeError(`${where}.${key} must be a finite number > 0 (MB), got ${limit}`);
    }
    out[key] = limit;
  }
  return out;
}

/**
 * Validates pool options.
 *
 * @example
 * ```ts
 * poolSettings({ maxThreads: 2 }).pipelineDepth; // 8
 * ```
 */
export function poolSettings(options: BlockingPoolOptions): PoolSettings {
  if (options === null || typeof options !== "object") {
    throw new TypeError("BlockingPool(options): expected an options object");
  }
  const { filename, resourceLimits } = options;
  let file: string | undefined;
  if (filename instanceof URL) {
    if (filename.protocol !== "file:") {
      throw new TypeError(
        `BlockingPool(options): filename must be a file: URL, got ${filename.href}`,
      );
    }
    file = filename.href;
  } else if (typeof filename === "string" && filename.length > 0) {
    file = filename;
  } else if (filename !== undefined) {
    throw new TypeError("BlockingPool(options): filename must be a non-empty path or a file: URL");
  }
  const minThreads = whole(options.minThreads, "minThreads", 0, 0);
  const maxThreads = whole(options.maxThreads, "maxThreads", 1, 0);
  if (options.maxThreads !== undefined && minThreads > maxThreads) {
    throw new RangeError(
      `BlockingPool(options): minThreads (${minThreads}) must not exceed maxThreads (${maxThreads})`,
    );
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
  if (typeof idleTimeoutMs !== "number" || !(idleTimeoutMs >= 0)) {
    throw new RangeError(
      `BlockingPool(options): idleTimeoutMs must be a number >= 0, got ${String(idleTimeoutMs)}`,
    );
  }
  return {
    filename: file,
    minThreads,
    maxThreads,
    idleTimeoutMs,
    maxQueue: whole(options.maxQueue, "maxQueue", 0, Number.POSITIVE_INFINITY, true),
    resourceLimits: limits(resourceLimits),
    pipelineDepth: whole(options.pipelineDepth, "pipelineDepth", 1, 8),
  };
}

/**
 * Validates a job's arguments and options; returns the transfer list.
 *
 * @example
 * ```ts
 * jobOptions("pool.run(name, args, options)", [buf], { transfer: [buf] });
 * ```
 */
export function jobOptions(
  where: string,
  args: unknown,
  options: RunOptions | undefined,
): { transfer: readonly TransferItem[] | undefined; terminateOnDrop: boolean } {
  if (!Array.isArray(args)) throw new TypeError(`${where}: args must be an array`);
  if (options === undefined) return { transfer: undefined, terminateOnDrop: false };
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object`);
  }
  const { transfer, terminateOnDrop } = options;
  if (transfer !== undefined && !Array.isArray(transfer)) {
    throw new TypeError(`${where}: options.transfer must be an array`);
  }
  if (terminateOnDrop !== undefined && typeof terminateOnDrop !== "boolean") {
    throw new TypeError(`${where}: options.terminateOnDrop must be a boolean`);
  }
  return {
    transfer: transfer === undefined || transfer.length === 0 ? undefined : transfer,
    terminateOnDrop: terminateOnDrop === true,
  };
}
