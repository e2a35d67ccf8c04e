/**
 * wakeful: Rust's async model for TypeScript. Lazy futures polled by a pluggable executor,
 * wakers, drop-based cancellation, timers, channels and a worker_threads blocking pool.
 *
 * @example
 * ```ts
 * import { future, run, spawn, yieldNow } from "wakeful";
 *
 * const main = future(function* () {
 *   const child = spawn(future(function* () { yield* yieldNow(); return 21; }));
 *   return (yield* child) * 2;
 * });
 * console.log(await run(main)); // 42
 * ```
 * @module wakeful
 */
export { BlockingError, QueueFullError } from "./blocking/errors.js";
export { BlockingPool } from "./blocking/pool.js";
export type {
  BlockingPoolOptions,
  ResourceLimits,
  RunOptions,
} from "./blocking/pool-options.js";
export {
  type TransferItem,
  type TransferredResult,
  transferResult,
} from "./blocking/protocol.js";
export { spawnBlocking } from "./blocking/spawn-blocking.js";
export { AbortHandle, abortable } from "./combinators/abortable.js";
export {
  type Backoff,
  type ExponentialBackoffOptions,
  exponentialBackoff,
} from "./combinators/backoff.js";
export { byRef } from "./combinators/by-ref.js";
export { TimeoutError } from "./combinators/errors.js";
export { Fuse, fuse } from "./combinators/fuse.js";
export { type FutureValue, type JoinValues, join } from "./combinators/join.js";
export { joinAll } from "./combinators/join-all.js";
export { type RetryContext, type RetryOptions, retry } from "./combinators/retry.js";
export { type Select, type SelectResult, select } from "./combinators/select.js";
export { bufferUnordered } from "./combinators/stream/buffer-unordered.js";
export { buffered } from "./combinators/stream/buffered.js";
export { chunks } from "./combinators/stream/chunks.js";
export { chunksTimeout } from "./combinators/stream/chunks-timeout.js";
export { collect, toArray } from "./combinators/stream/collect.js";
export { count } from "./combinators/stream/count.js";
export { enumerate } from "./combinators/stream/enumerate.js";
export { filter } from "./combinators/stream/filter.js";
export { filterMap } from "./combinators/stream/filter-map.js";
export { first } from "./combinators/stream/first.js";
export { flatMap } from "./combinators/stream/flat-map.js";
export { fold } from "./combinators/stream/fold.js";
export { forEach } from "./combinators/stream/for-each.js";
export { forEachConcurrent } from "./combinators/stream/for-each-concurrent.js";
export { fromAsyncIterable } from "./combinators/stream/from-async-iterable.js";
export { inspect } from "./combinators/stream/inspect.js";
export { iter } from "./combinators/stream/iter.js";
export { last } from "./combinators/stream/last.js";
export { map } from "./combinators/stream/map.js";
export { merge } from "./combinators/stream/merge.js";
export { repeatWith } from "./combinators/stream/repeat-with.js";
export { scan } from "./combinators/stream/scan.js";
export { skip } from "./combinators/stream/skip.js";
export { type Emit, stream } from "./combinators/stream/stream-block.js";
export { take } from "./combinators/stream/take.js";
export { takeUntil } from "./combinators/stream/take-until.js";
export { takeWhile } from "./combinators/stream/take-while.js";
export { throttle } from "./combinators/stream/throttle.js";
export { timeoutEach } from "./combinators/stream/timeout-each.js";
export { type UnfoldStep, unfold } from "./combinators/stream/unfold.js";
export { zip } from "./combinators/stream/zip.js";
export { timeout } from "./combinators/timeout.js";
export { type AsyncGenerator, asyncFn, future } from "./core/async-block.js";
export type { AlarmHandle, Clock } from "./core/clock.js";
export { Context } from "./core/context.js";
export {
  AbortedError,
  AcquireError,
  AwaitDuringDropError,
  PollAfterReadyError,
  RecvError,
  SendError,
} from "./core/errors.js";
export { fromPromise } from "./core/from-promise.js";
export { type Awaiting, assertFuture, Future, isFuture } from "./core/future.js";
export { type Pending, Poll, type Ready } from "./core/poll.js";
export { lazy, pending, pollFn, ready } from "./core/poll-fn.js";
export { isStream, Stream, type StreamOperator } from "./core/stream.js";
export { TaskLocal } from "./core/task-local.js";
export { reportUnhandled } from "./core/unhandled.js";
export { type Wake, Waker } from "./core/waker.js";
export { DeadlockError } from "./executor/deadlock.js";
export type { Executor, SpawnOptions } from "./executor/executor.js";
export { currentHandle, Handle } from "./executor/handle.js";
export { JoinError } from "./executor/join-error.js";
export { JoinHandle } from "./executor/join-handle.js";
export { JoinSet } from "./executor/join-set.js";
export {
  LocalExecutor,
  type LocalExecutorOptions,
  type TaskInfo,
  type UnhandledErrorHandler,
} from "./executor/local-executor.js";
export { run, spawn } from "./executor/spawn.js";
export type { TaskState } from "./executor/task-state.js";
export { yieldNow } from "./executor/yield-now.js";
export {
  BroadcastReceiver,
  BroadcastSender,
  broadcast,
} from "./sync/broadcast.js";
export { CancellationToken } from "./sync/cancellation-token.js";
export { LaggedError } from "./sync/errors.js";
export { channel, unboundedChannel } from "./sync/mpsc.js";
export { Mutex, MutexGuard } from "./sync/mutex.js";
export { Notify } from "./sync/notify.js";
export { OneshotReceiver, OneshotSender, oneshot } from "./sync/oneshot.js";
export { Permit } from "./sync/permit.js";
export { Receiver } from "./sync/receiver.js";
export { Semaphore, SemaphorePermit } from "./sync/semaphore.js";
export { Sender, UnboundedSender } from "./sync/sender.js";
export { TaskTracker } from "./sync/task-tracker.js";
export { WatchReceiver, WatchSender, watch } from "./sync/watch.js";
export { ManualClock, systemClock } from "./time/clock.js";
export { Instant } from "./time/instant.js";
export { Interval, type IntervalOptions, interval, type MissedTick } from "./time/interval.js";
export { Sleep, sleep, sleepUntil } from "./time/sleep.js";
