import { describe, expect, it } from "vitest";
import {
  byRef,
  Context,
  fuse,
  future,
  Instant,
  Poll,
  PollAfterReadyError,
  select,
  sleep,
  TimeoutError,
  timeout,
  unboundedChannel,
  Waker,
} from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";
import { Job } from "./stream/helpers.js";

const noop = Context.from(Waker.noop());

describe("byRef(fut)", () => {
  it("dropping the wrapper leaves the inner future alive, to be polled again", () => {
    const job = new Job<number>("job");
    const w = byRef(job);
    expect(w.poll(noop)).toBe(Poll.pending);
    w.drop();
    expect(job.drops).toBe(0);
    job.resolve(5);
    expect(byRef(job).poll(noop)).toEqual({ value: 5 });
    expect(() => byRef(job).poll(noop)).toThrow("polled after end");
    expect(() => byRef(3 as never)).toThrow("byRef(fut): expected a Future, got number");
  });

  it("keeps one sleep across the turns of a select loop", async () => {
    const sim = new SimExecutor({ seed: 4 });
    const [tx, rx] = unboundedChannel<string>();
    const got = await sim.run(
      future(function* () {
        const deadline = sleep(100);
        const seen: string[] = [];
        for (;;) {
          const r = yield* select.biased(byRef(deadline), rx.recv(), sleep(30));
          if (r.index === 0) break;
          if (r.index === 1 && !r.value.done) seen.push(r.value.value);
          if (r.index === 2) tx.send(`t${seen.length}`);
        }
        return { seen, at: sim.now };
      }),
    );
    expect(got.seen).toEqual(["t0", "t1", "t2"]);
    expect(got.at).toBe(100);
  });

  it("timeout over byRef(fut): the timed-out future can be awaited afterwards", async () => {
    const sim = new SimExecutor({ seed: 5 });
    const got = await sim.run(
      future(function* () {
        const slow = future(function* () {
          yield* sleep(50);
          return "slow";
        });
        try {
          yield* timeout(10, byRef(slow));
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
        }
        return yield* slow;
      }),
    );
    expect(got).toBe("slow");
  });
});

describe("fuse(fut)", () => {
  it("completes once, then stays Pending and says it is terminated", () => {
    const job = new Job<number>("job");
    const f = fuse(job);
    expect(f.isTerminated).toBe(false);
    job.resolve(1);
    expect(f.poll(noop)).toEqual({ value: 1 });
    expect(f.isTerminated).toBe(true);
    expect(f.poll(noop)).toBe(Poll.pending);
    f.drop();
    expect(job.drops).toBe(0);
  });

  it("dropping an unterminated fuse drops the inner future; an error terminates it", () => {
    const a = new Job<number>("a");
    fuse(a).drop();
    expect(a.drops).toBe(1);
    const b = new Job<number>("b");
    const f = fuse(b);
    b.reject(new Error("bad"));
    expect(() => f.poll(noop)).toThrow("bad");
    expect(f.isTerminated).toBe(true);
  });
});

describe("Sleep#reset(deadline)", () => {
  it("pushes a waiting sleep back: it completes at the new deadline", async () => {
    const sim = new SimExecutor({ seed: 6 });
    const at = await sim.run(
      future(function* () {
        const s = sleep(100);
        yield* select(byRef(s), sleep(40));
        s.reset(Instant.now().add(100));
        yield* s;
        return sim.now;
      }),
    );
    expect(at).toBe(140);
  });

  it("re-arms a completed sleep, and checks its argument", async () => {
    const sim = new SimExecutor({ seed: 7 });
    const at = await sim.run(
      future(function* () {
        const s = sleep(10);
        yield* s;
        s.reset(Instant.now().add(5));
        yield* s;
        return sim.now;
      }),
    );
    expect(at).toBe(15);
    expect(() => sleep(1).reset(3 as never)).toThrow("sleep.reset(deadline): expected an Instant");
    const s = sleep(0);
    s.poll(noop);
    expect(() => s.poll(noop)).toThrow(PollAfterReadyError);
  });
});
