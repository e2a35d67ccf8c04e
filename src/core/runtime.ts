/**
 * The runtime context (tokio's `runtime::context`): the one place where code being polled finds
 * what the executor polling it provides: the executor itself, where unreceivable errors go,
 * who counts outside work, its clock and timers, its random source; plus the per-poll state
 * that follows the task being polled: the cooperative budget and the `yield*` hand-over.
 *
 * Invariants:
 * - Each executor makes one {@link RuntimeContext} and enters it around every batch of polls or
 *   drops (`enterExecutor`, then `exitExecutor(previous)` in a `finally`), so nesting works and
 *   switching executors is one field write.
 * - Outside any executor there is no context: errors go to the host as unhandled rejections,
 *   outside work is not counted, timers use a shared driver on the system clock, `random()` is
 *   `Math.random`, and the budget is unconstrained.
 * - The state is one object per JavaScript realm, shared by every copy of this module with the
 *   same key (realm.ts: the ESM and CommonJS builds, or two installs of a compatible version),
 *   so a future made by one copy can be awaited, spawned and timed by another. Its shape
 *   changes only together with the key's version (`wakeful.runtime/3`).
 * - Only this layer's files and executors write the fields; everything else reads them.
 * @module
 */
import type { Clock } from "./clock.js";
import { realmShared } from "./realm.js";

/** Receives errors that have no awaiting caller. */
export type UnhandledSink = (error: unknown) => void;

/**
 * Counts outside work for an executor (see `beginExternal`): work whose completion comes from
 * outside the executor, such as a promise or a worker thread.
 *
 * @example
 * ```ts
 * let outside = 0;
 * const tracker: ExternalTracker = { begin: () => outside++, end: () => outside-- };
 * ```
 */
export interface ExternalTracker {
  /** One more outside operation is under way. */
  begin(): void;
  /** One outside operation ended. */
  end(): void;
}

/** What an executor provides to the futures it polls; see {@link RuntimeContext}. */
export interface RuntimeOptions {
  /**
   * Receives errors nobody can await (a detached task's failure, an error raised while
   * dropping).
   * @default raise it in the host as an unhandled Promise rejection
   */
  onUnhandled?: UnhandledSink;
  /**
   * Counts outside work, so a simulation can tell waiting from deadlock. It belongs to the
   * executor's context and is current exactly while the context is entered (what a separate
   * `swapExternalTracker` used to do).
   * @default none: outside work is not counted
   */
  external?: ExternalTracker;
  /**
   * The clock every timer created under this executor reads (virtual time in a simulation).
   * @default the system clock
   */
  clock?: Clock;
  /**
   * A random number in [0, 1) for fair combinators such as `select`; simulations draw it from
   * their seed.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * What one executor provides to the futures it polls. An executor makes one and enters it
 * around every batch of polls with `enterExecutor`; `spawn`, timers, `select`'s fair choice and
 * error reporting then find it. For people writing their own executor (`wakeful/executor`).
 *
 * @example
 * ```ts
 * class MyExecutor implements Executor {
 *   readonly #runtime = new RuntimeContext(this, { onUnhandled: (e) => console.error(e) });
 *   #pollAll(): void {
 *     const previous = enterExecutor(this.#runtime);
 *     try { for (const task of this.#ready.splice(0)) task.poll(); }
 *     finally { exitExecutor(previous); }
 *   }
 * }
 * ```
 */
export class RuntimeContext {
  /** The executor that made this context (what `spawn()` spawns onto). */
  readonly executor: object;
  /** Where errors nobody can receive go. */
  readonly report: UnhandledSink;
  /** Who counts outside work, if anyone. */
  readonly external: ExternalTracker | undefined;
  /** The clock timers read, if not the system clock. */
  readonly clock: Clock | undefined;
  /** The random source of fair combinators, if not `Math.random`. */
  readonly random: (() => number) | undefined;
  /** @internal The time layer's timer driver for this executor, made on first use. */
  timers: unknown = undefined;

  constructor(executor: object, options: RuntimeOptions = {}) {
    if (executor === null || typeof executor !== "object") {
      throw new TypeError("new RuntimeContext(executor, options): expected the executor object");
    }
    if (options === null || typeof options !== "object") {
      throw new TypeError("new RuntimeContext(executor, options): expected an options object");
    }
    const { onUnhandled, external, clock, random } = options;
    checkFunction(onUnhandled, "onUnhandled");
    checkFunction(random, "random");
    if (external !== undefined && typeof external?.begin !== "function") {
      throw new TypeError("new RuntimeContext: options.external must have begin() and end()");
    }
    if (clock !== undefined && typeof clock?.setAlarm !== "function") {
      throw new TypeError("new RuntimeContext: options.clock must have now() and setAlarm()");
    }
    this.executor = executor;
    this.report = onUnhandled ?? hostReport;
    this.external = external;
    this.clock = clock;
    this.random = random;
  }
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`new RuntimeContext: options.${name} must be a function`);
  }
}

/** Raises `error` in the host: Node reports an unhandled rejection loudly; browsers log it. */
export function hostReport(error: unknown): void {
  void Promise.reject(error);
}

/** The result object every `yield* fut` hands to its async block (see future.ts). */
export interface Yielded {
  done: false;
  value: unknown;
}

/** The per-realm state; see the module invariants. */
export interface RuntimeState {
  /** The context of the executor polling right now, or `undefined` outside any executor. */
  context: RuntimeContext | undefined;
  /** Cooperative budget units left in the current task's poll; -1 means unconstrained. */
  budget: number;
  /** The one result object every `yield*` hands over (future.ts). */
  readonly yielded: Yielded;
  /**
   * What the task being polled inherited (task-scope.ts): its task-local values and its host
   * context; `undefined` outside any task's poll.
   */
  scope: unknown;
  /**
   * The host's adapter (executor/host.ts), installed by the Node entry points; `undefined` (or
   * `null`, left by an older copy that probed and found none) when there is none.
   */
  host: unknown;
}

function newState(): RuntimeState {
  return {
    context: undefined,
    budget: -1,
    yielded: { done: false, value: undefined },
    scope: undefined,
    host: undefined,
  };
}

/** @internal The state of this realm; see the module invariants. */
export const RT: RuntimeState = /* @__PURE__ */ realmShared("wakeful.runtime/3", newState);

/**
 * Makes `context` current until the matching {@link exitExecutor}; returns the context it
 * replaced. Call it around every batch of polls or drops.
 *
 * @example
 * ```ts
 * const previous = enterExecutor(this.runtime);
 * try { task.poll(); } finally { exitExecutor(previous); }
 * ```
 */
export function enterExecutor(context: RuntimeContext): RuntimeContext | undefined {
  const previous = RT.context;
  RT.context = context;
  return previous;
}

/**
 * Restores the context {@link enterExecutor} replaced.
 *
 * @example
 * ```ts
 * exitExecutor(previous);
 * ```
 */
export function exitExecutor(previous: RuntimeContext | undefined): void {
  RT.context = previous;
}

/**
 * Runs `fn` with `context` current: the convenient form of {@link enterExecutor} /
 * {@link exitExecutor}.
 *
 * @example
 * ```ts
 * const p = withExecutor(this.runtime, () => task.poll(cx));
 * ```
 */
export function withExecutor<R>(context: RuntimeContext, fn: () => R): R {
  const previous = enterExecutor(context);
  try {
    return fn();
  } finally {
    exitExecutor(previous);
  }
}

/**
 * The context of the executor polling right now, or `undefined` outside any executor.
 *
 * @example
 * ```ts
 * const clock = currentRuntime()?.clock;
 * ```
 */
export function currentRuntime(): RuntimeContext | undefined {
  return RT.context;
}
