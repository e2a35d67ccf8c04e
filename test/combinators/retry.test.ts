/**
 * retry and exponentialBackoff: attempts and their timing on virtual time (SimExecutor),
 * p-retry's options, and real cancellation during an attempt and during a back-off wait.
 */
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  CancellationToken,
  exponentialBackoff,
  type Future,
  future,
  Instant,
  LocalExecutor,
  ManualClock,
  type RetryContext,
  retry,
  sleep,
  TimeoutError,
  timeout,
} from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";
import { driverOf } from "../time/driver-of.js";

/** An attempt maker that fails the first `failures` attempts after `workMs`, then gives `value`. */
function flaky(failures: number, value: string, workMs = 0) {
  const starts: number[] = [];
  let origin: Instant | undefined;
  const make = (attempt: number): Future<string> =>
    future(function* () {
      origin ??= Instant.now();
      starts.push(Instant.now().since(origin));
      if (workMs > 0) yield* sleep(workMs);
      if (attempt <= failures) throw new Error(`fail ${attempt}`);
      return value;
    });
  return { make, starts };
}

describe("retry", () => {
  it("retries after each failure with exponential back-off, on virtual time", async () => {
    const { make, starts } = flaky(3, "ok");
    const sim = new SimExecutor({ seed: 1 });
    const value = await sim.run(
      retry(make, { backoff: exponentialBackoff({ initialMs: 100, factor: 2 }) }),
    );
    expect(value).toBe("ok");
    expect(starts).toEqual([0, 100, 300, 700]);
  });

  it("uses p-retry's default back-off: 1 s, doubling", async () => {
    const { make, starts } = flaky(2, "ok");
    await new SimExecutor({ seed: 1 }).run(retry(make));
    expect(starts).toEqual([0, 1000, 3000]);
  });

  it("throws the last error as is once retries are used up", async () => {
    const { make, starts } = flaky(10, "never");
    const sim = new SimExecutor({ seed: 1 });
    const err = await sim.run(retry(make, { retries: 2, backoff: () => 10 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe("fail 3");
    expect(starts).toEqual([0, 10, 20]);
  });

  it("retries: 0 makes exactly one attempt", async () => {
    const { make, starts } = flaky(1, "x");
    await expect(new SimExecutor({ seed: 1 }).run(retry(make, { retries: 0 }))).rejects.toThrow(
      "fail 1",
    );
    expect(starts).toEqual([0]);
  });

  it("shouldRetry and onRetry see the error, attempt, retries left and delay", async () => {
    const { make } = flaky(5, "x");
    const asked: RetryContext[] = [];
    const told: string[] = [];
    const err = await new SimExecutor({ seed: 1 })
      .run(
        retry(make, {
          retries: 4,
          backoff: (n) => n * 5,
          shouldRetry: (cx) => {
            asked.push(cx);
            return cx.attempt < 3;
          },
          onRetry: ({ attempt, retriesLeft, delayMs, error }) =>
            told.push(`${attempt}/${retriesLeft}/${delayMs}/${(error as Error).message}`),
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as Error).message).toBe("fail 3");
    expect(asked.map((c) => [c.attempt, c.retriesLeft])).toEqual([
      [1, 4],
      [2, 3],
      [3, 2],
    ]);
    expect(told).toEqual(["1/4/5/fail 1", "2/3/10/fail 2"]);
  });

  it("does not retry a cancellation (AbortedError) by default", async () => {
    let attempts = 0;
    const err = await new SimExecutor({ seed: 1 })
      .run(
        retry(() =>
          future(function* () {
            attempts++;
            yield* sleep(1);
            throw new AbortedError("token");
          }),
        ),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AbortedError);
    expect(attempts).toBe(1);
  });

  it("a makeFuture that throws counts as a failed attempt", async () => {
    let calls = 0;
    const value = await new SimExecutor({ seed: 1 }).run(
      retry(
        () => {
          if (++calls < 3) throw new Error("sync");
          return future(function* () {
            return calls;
          });
        },
        { backoff: () => 0 },
      ),
    );
    expect(value).toBe(3);
  });

  it("dropping it during the back-off wait cancels the timer; no further attempt starts", () => {
    const clock = new ManualClock();
    const ex = new LocalExecutor({ manual: true, clock });
    const driver = driverOf(ex);
    let attempts = 0;
    const h = ex.spawn(
      retry(
        () =>
          future(function* () {
            attempts++;
            throw new Error("down");
          }),
        { backoff: () => 1000 },
      ),
    );
    ex.runUntilStalled();
    expect(attempts).toBe(1);
    expect(driver.size).toBe(1); // the back-off timer
    h.abort();
    ex.runUntilStalled();
    expect(driver.size).toBe(0);
    clock.advance(10_000);
    ex.runUntilStalled();
    expect(attempts).toBe(1);
    ex.shutdown();
  });

  it("a timeout around it drops the attempt in flight, whose cleanup runs", async () => {
    const log: string[] = [];
    let attempts = 0;
    let origin: Instant | undefined;
    const sim = new SimExecutor({ seed: 1 });
    const err = await sim
      .run(
        timeout(
          250,
          retry(
            () =>
              future(function* () {
                const n = ++attempts;
                origin ??= Instant.now();
                try {
                  yield* sleep(100);
                  throw new Error("slow failure");
                } finally {
                  log.push(`attempt ${n} ended at ${Instant.now().since(origin as Instant)}`);
                }
              }),
            { backoff: () => 50 },
          ),
        ),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TimeoutError);
    expect(attempts).toBe(2);
    // attempt 1: 0–100, wait 100–150, attempt 2 from 150, dropped at 250
    expect(log).toEqual(["attempt 1 ended at 100", "attempt 2 ended at 250"]);
  });

  it("a cancelled token stops it during the back-off wait", async () => {
    const token = new CancellationToken();
    let attempts = 0;
    const sim = new SimExecutor({ seed: 1 });
    const err = await sim
      .run(
        future(function* () {
          return yield* token.runUntilCancelled(
            retry(
              () =>
                future(function* () {
                  if (++attempts === 2) token.cancel("shutting down");
                  throw new Error("down");
                }),
              { backoff: () => 60_000 },
            ),
          );
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AbortedError);
    expect(attempts).toBe(2);
  });

  it("an endless retry with no delay still yields to other tasks (cooperative budget)", () => {
    const ex = new LocalExecutor({ manual: true, onUnhandledError: () => {} });
    let attempts = 0;
    const h = ex.spawn(
      retry(
        () =>
          future(function* () {
            attempts++;
            throw new Error("down");
          }),
        { retries: Number.POSITIVE_INFINITY, backoff: () => 0 },
      ),
    );
    let otherRan = false;
    ex.spawn(
      future(function* () {
        otherRan = true;
      }),
    );
    expect(ex.tryRunOne()).toBe(true); // one poll of the retry task returns
    const firstPoll = attempts;
    expect(firstPoll).toBeGreaterThan(1);
    expect(firstPoll).toBeLessThanOrEqual(129);
    expect(ex.tryRunOne()).toBe(true);
    expect(otherRan).toBe(true);
    h.abort();
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    ex.shutdown();
  });

  it("rejects bad arguments with errors naming them", () => {
    const make = () => sleep(1);
    expect(() => retry(42 as never)).toThrow(/makeFuture must be a function/);
    expect(() => retry(make, null as never)).toThrow(TypeError);
    expect(() => retry(make, { retries: -1 })).toThrow(RangeError);
    expect(() => retry(make, { retries: 1.5 })).toThrow(/options.retries/);
    expect(() => retry(make, { retries: Number.NaN })).toThrow(RangeError);
    expect(() => retry(make, { backoff: 5 as never })).toThrow(
      /options.backoff must be a function/,
    );
    expect(() => retry(make, { shouldRetry: "no" as never })).toThrow(/options.shouldRetry/);
    expect(() => retry(make, { onRetry: {} as never })).toThrow(/options.onRetry/);
    expect(() => retry(make, { retries: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it("a makeFuture that returns a non-future fails with a TypeError, not a retry loop", async () => {
    await expect(
      new SimExecutor({ seed: 1 }).run(retry(() => 5 as never, { retries: 0 })),
    ).rejects.toThrow(/makeFuture must return a Future/);
  });

  it("a backoff returning a bad delay ends the retry with a RangeError", async () => {
    const { make } = flaky(1, "x");
    await expect(
      new SimExecutor({ seed: 1 }).run(retry(make, { backoff: () => -5 })),
    ).rejects.toThrow(/options.backoff\(1\)/);
  });
});

describe("exponentialBackoff", () => {
  it("grows by factor up to maxMs", () => {
    const b = exponentialBackoff({ initialMs: 100, factor: 3, maxMs: 1000 });
    expect([1, 2, 3, 4, 5].map(b)).toEqual([100, 300, 900, 1000, 1000]);
  });

  it("jitter takes at most that fraction off, drawn from the simulation's seeded source", async () => {
    const draws = async (seed: number) =>
      new SimExecutor({ seed }).run(
        future(function* () {
          const b = exponentialBackoff({ initialMs: 100, factor: 2, jitter: 0.5 });
          return [1, 2, 3, 4].map(b);
        }),
      );
    const a = await draws(7);
    expect(await draws(7)).toEqual(a);
    a.forEach((d, i) => {
      const full = 100 * 2 ** i;
      expect(d).toBeGreaterThan(full / 2 - 1e-9);
      expect(d).toBeLessThanOrEqual(full);
    });
    expect(new Set(a.map((d, i) => d / 2 ** i)).size).toBeGreaterThan(1);
  });

  it("validates its options and argument", () => {
    expect(() => exponentialBackoff({ initialMs: -1 })).toThrow(/options.initialMs/);
    expect(() => exponentialBackoff({ factor: 0.5 })).toThrow(/options.factor/);
    expect(() => exponentialBackoff({ jitter: 2 })).toThrow(/options.jitter/);
    expect(() => exponentialBackoff({ initialMs: 500, maxMs: 100 })).toThrow(/options.maxMs/);
    expect(() => exponentialBackoff({ initialMs: Number.NaN })).toThrow(RangeError);
    expect(() => exponentialBackoff(null as never)).toThrow(TypeError);
    expect(() => exponentialBackoff()(0)).toThrow(/retry must be an integer >= 1/);
  });
});
