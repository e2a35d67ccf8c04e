/**
 * `BlockingPool`: worker threads for CPU-heavy or blocking work, driven by futures. This file
 * is the public face (options, job creation, lifetime); what happens to a job once submitted
 * is decided by `dispatcher.ts` and carried out on Node by `node-platform.ts`.
 *
 * Invariant: importing this file loads no Node built-in; the first job (first poll of a job
 * future) loads them, through the dispatcher's platform loader.
 * @module
 */
import type { Future } from "../core/future.js";
import { Dispatcher } from "./dispatcher.js";
import { functionInfo } from "./function-source.js";
import { BlockingJob, VIA_RUN, VIA_RUN_FUNCTION, VIA_SPAWN_BLOCKING } from "./job.js";
import { nodePlatform } from "./node-platform.js";
import {
  type BlockingPoolOptions,
  jobOptions,
  poolSettings,
  type RunOptions,
} from "./pool-options.js";

let shared: BlockingPool | undefined;

/**
 * Each pool's dispatcher, for `spawnBlocking`'s jobs (a module-level map rather than a static
 * block, which would be a load-time side effect no bundler can drop).
 */
const DISPATCHERS = new WeakMap<BlockingPool, Dispatcher>();

/**
 * A pool of worker threads running jobs for futures: a task module's named exports with
 * {@link BlockingPool.run}, or self-contained functions with {@link BlockingPool.runFunction}
 * (what `spawnBlocking` uses, on {@link BlockingPool.shared}).
 *
 * @example
 * ```ts
 * // tasks.ts: export function resize(img: Uint8Array, w: number) { … }
 * await using pool = new BlockingPool({ filename: new URL("./tasks.js", import.meta.url) });
 * const small = await run(pool.run("resize", [img, 320], { transfer: [img.buffer] }));
 * ```
 */
export class BlockingPool implements AsyncDisposable {
  readonly #filename: string | undefined;
  readonly #dispatcher: Dispatcher;

  /**
   * Creates a pool; no thread starts until the first job is polled.
   *
   * @example
   * ```ts
   * const pool = new BlockingPool({ filename: "./dist/tasks.js", maxThreads: 4, maxQueue: 100 });
   * ```
   */
  constructor(options: BlockingPoolOptions = {}) {
    const settings = poolSettings(options);
    this.#filename = settings.filename;
    this.#dispatcher = new Dispatcher(settings, () => nodePlatform(settings.resourceLimits));
    DISPATCHERS.set(this, this.#dispatcher);
  }

  /**
   * The pool `spawnBlocking` uses, created on first use with the default options. Its idle
   * threads never keep the process alive. If it was closed, a new one replaces it.
   *
   * @example
   * ```ts
   * const n = await run(BlockingPool.shared.runFunction(fib, [30], { terminateOnDrop: true }));
   * ```
   */
  static get shared(): BlockingPool {
    if (shared === undefined || shared.isClosed) shared = new BlockingPool();
    return shared;
  }

  /** Threads running now (started lazily, so 0 before the first job). */
  get threads(): number {
    return this.#dispatcher.threads;
  }

  /**
   * Jobs submitted and not yet started, wherever they wait: in the pool's queue or behind the
   * job a thread is on (what `maxQueue` bounds).
   */
  get queued(): number {
    return this.#dispatcher.waiting;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#dispatcher.isClosing;
  }

  /**
   * Runs the task module's export `exportName` with `args` (structured-cloned, or moved when
   * listed in `options.transfer`) on a worker thread; resolves with what it returns (or
   * resolves to, for async exports). Lazy: submitted when first polled.
   *
   * Cancel safety: dropping the future before the job starts removes it (it never runs);
   * dropping it while the job runs discards the result (the job still finishes) unless
   * `terminateOnDrop` was set, which kills the job and replaces its thread.
   *
   * @example
   * ```ts
   * const hash = yield* pool.run("sha256", [bytes], { transfer: [bytes.buffer] });
   * ```
   */
  run<T = unknown>(exportName: string, args: unknown[] = [], options?: RunOptions): Future<T> {
    const where = "pool.run(exportName, args, options)";
    if (typeof exportName !== "string" || exportName.length === 0) {
      throw new TypeError(`${where}: exportName must be a non-empty string`);
    }
    if (this.#filename === undefined) {
      throw new TypeError(
        `${where}: this pool has no task module; pass \`filename\` to new BlockingPool()`,
      );
    }
    const { transfer, terminateOnDrop } = jobOptions(where, args, options);
    return new BlockingJob<T>(
      this.#dispatcher,
      VIA_RUN,
      undefined,
      exportName,
      args,
      transfer,
      terminateOnDrop,
    );
  }

  /**
   * Runs a self-contained function `fn(...args)` on a worker thread, like `spawnBlocking` but
   * on this pool and with per-job options. `fn`'s source is sent once per thread and compiled
   * there: it cannot use anything from the code around it (no closures, no imports); pass data
   * through `args`.
   *
   * Cancel safety: as {@link BlockingPool.run}.
   *
   * @example
   * ```ts
   * const sum = yield* pool.runFunction((xs: number[]) => xs.reduce((a, b) => a + b, 0), [xs]);
   * ```
   */
  runFunction<A extends unknown[], R>(
    fn: (...args: A) => R,
    args: A = [] as unknown as A,
    options?: RunOptions,
  ): Future<Awaited<R>> {
    const where = "pool.runFunction(fn, args, options)";
    const info = functionInfo(fn, where);
    const { transfer, terminateOnDrop } = jobOptions(where, args, options);
    return new BlockingJob<Awaited<R>>(
      this.#dispatcher,
      VIA_RUN_FUNCTION,
      info,
      info.name,
      args,
      transfer,
      terminateOnDrop,
    );
  }

  /**
   * Stops the pool: jobs still waiting fail with `BlockingError`, running jobs finish, then
   * every thread exits; resolves when they have. Idempotent. Later jobs fail at once.
   *
   * @example
   * ```ts
   * process.on("SIGTERM", () => void pool.close());
   * ```
   */
  close(): Promise<void> {
    return this.#dispatcher.close();
  }

  /**
   * Same as {@link BlockingPool.close}, for `await using pool = new BlockingPool(…)`.
   *
   * @example
   * ```ts
   * { await using pool = new BlockingPool({ filename }); … } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * `spawnBlocking`'s job: `fn(...args)` on {@link BlockingPool.shared}, labelled
 * `spawnBlocking(name)` in its errors (not exported from the package).
 *
 * @example
 * ```ts
 * spawnOnShared((a: number) => a * 2, [21]); // a Future of 42
 * ```
 */
export function spawnOnShared(fn: unknown, args: unknown[]): BlockingJob<unknown> {
  const info = functionInfo(fn, "spawnBlocking(fn, ...args)");
  const dispatcher = DISPATCHERS.get(BlockingPool.shared) as Dispatcher;
  return new BlockingJob(dispatcher, VIA_SPAWN_BLOCKING, info, info.name, args, undefined, false);
}
