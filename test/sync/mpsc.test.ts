import { describe, expect, it } from "vitest";
import {
  channel,
  future,
  LocalExecutor,
  PollAfterReadyError,
  SendError,
  unboundedChannel,
} from "../../src/index.js";
import { noopContext } from "../../src/testing/wakers.js";
import { probe } from "./helpers.js";

describe("channel(capacity) argument checks", () => {
  it.each([0, -1, 1.5, Number.NaN, Infinity, "3", undefined])("rejects %s", (bad) => {
    expect(() => channel(bad as number)).toThrow(RangeError);
  });
  it("names the argument and the expectation", () => {
    expect(() => channel(0)).toThrow(
      "channel(capacity): capacity must be a whole number >= 1, got 0",
    );
  });
});

describe("unboundedChannel", () => {
  it("sends synchronously and receives in order, then ends when the sender closes", () => {
    const [tx, rx] = unboundedChannel<number>();
    tx.send(1);
    tx.send(2);
    expect(tx.trySend(3)).toBe(true);
    tx.close();
    const got: unknown[] = [];
    for (;;) {
      const p = probe(rx.recv());
      expect(p.poll()).toBe(true);
      got.push(p.value);
      if ((p.value as IteratorResult<number>).done) break;
    }
    expect(got).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
      { done: true, value: undefined },
    ]);
  });

  it("a waiting recv is woken exactly once by a send and then gets the message", () => {
    const [tx, rx] = unboundedChannel<string>();
    const r = probe(rx.recv());
    expect(r.poll()).toBe(false);
    expect(r.woken).toBe(0);
    tx.send("a");
    tx.send("b");
    expect(r.woken).toBe(1);
    expect(r.poll()).toBe(true);
    expect(r.value).toEqual({ done: false, value: "a" });
    expect(rx.tryRecv()).toBe("b");
    expect(rx.tryRecv()).toBeUndefined();
    expect(rx.isClosed).toBe(false);
  });

  it("keeps the latest waker when re-polled with another one", () => {
    const [tx, rx] = unboundedChannel<number>();
    const fut = rx.recv();
    const a = probe(fut);
    const b = probe(fut);
    expect(a.poll()).toBe(false);
    expect(b.poll()).toBe(false);
    tx.send(1);
    expect(a.woken).toBe(0);
    expect(b.woken).toBe(1);
  });

  it("throws SendError holding the value once the receiver is closed", () => {
    const [tx, rx] = unboundedChannel<{ id: number }>();
    rx.close();
    expect(tx.isClosed).toBe(true);
    const msg = { id: 7 };
    try {
      tx.send(msg);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SendError);
      expect((e as SendError).value).toBe(msg);
    }
    expect(() => tx.trySend(msg)).toThrow(SendError);
  });

  it("a closed sender handle refuses to send or clone; clones keep the channel open", () => {
    const [tx, rx] = unboundedChannel<number>();
    const tx2 = tx.clone();
    tx.close();
    tx.close(); // idempotent
    expect(tx.isClosed).toBe(true);
    expect(() => tx.send(1)).toThrow(/this Sender was closed/);
    expect(() => tx.clone()).toThrow(/closed/);
    expect(rx.isClosed).toBe(false);
    const r = probe(rx.recv());
    expect(r.poll()).toBe(false);
    tx2.send(5);
    {
      using _tx2 = tx2;
    }
    expect(rx.isClosed).toBe(true);
    expect(r.poll()).toBe(true);
    expect(r.value).toEqual({ done: false, value: 5 });
    const end = probe(rx.recv());
    expect(end.poll()).toBe(true);
    expect(end.value).toEqual({ done: true, value: undefined });
  });

  it("closing every sender wakes every waiting recv", () => {
    const [tx, rx] = unboundedChannel<number>();
    const waiting = [probe(rx.recv()), probe(rx.recv()), probe(rx.recv())];
    for (const w of waiting) expect(w.poll()).toBe(false);
    tx.close();
    for (const w of waiting) {
      expect(w.woken).toBe(1);
      expect(w.poll()).toBe(true);
      expect(w.value).toEqual({ done: true, value: undefined });
    }
  });

  it("serves waiting receives first come, first served", () => {
    const [tx, rx] = unboundedChannel<number>();
    const [a, b, c] = [probe(rx.recv()), probe(rx.recv()), probe(rx.recv())];
    a.poll();
    b.poll();
    c.poll();
    tx.send(1);
    tx.send(2);
    expect([a.woken, b.woken, c.woken]).toEqual([1, 1, 0]);
    // a fresh receive does not overtake the woken ones
    const d = probe(rx.recv());
    expect(d.poll()).toBe(false);
    a.poll();
    b.poll();
    expect(a.value).toEqual({ done: false, value: 1 });
    expect(b.value).toEqual({ done: false, value: 2 });
    tx.send(3);
    expect(c.woken).toBe(1);
    expect(d.woken).toBe(0);
  });

  it("a woken recv that is dropped passes the message on; nothing is lost", () => {
    const [tx, rx] = unboundedChannel<number>();
    const a = probe(rx.recv());
    const b = probe(rx.recv());
    a.poll();
    b.poll();
    tx.send(42);
    expect(a.woken).toBe(1);
    a.drop();
    expect(b.woken).toBe(1);
    expect(b.poll()).toBe(true);
    expect(b.value).toEqual({ done: false, value: 42 });
  });

  it("a queued recv that is dropped leaves the queue at once", () => {
    const [tx, rx] = unboundedChannel<number>();
    const a = probe(rx.recv());
    const b = probe(rx.recv());
    a.poll();
    b.poll();
    a.drop();
    tx.send(1);
    expect(a.woken).toBe(0);
    expect(b.woken).toBe(1);
  });

  it("a woken recv whose message was taken by tryRecv keeps its place at the front", () => {
    const [tx, rx] = unboundedChannel<number>();
    const a = probe(rx.recv());
    const b = probe(rx.recv());
    a.poll();
    b.poll();
    tx.send(1);
    expect(rx.tryRecv()).toBe(1);
    expect(a.poll()).toBe(false);
    tx.send(2);
    expect(a.woken).toBe(2);
    expect(b.woken).toBe(0);
    expect(a.poll()).toBe(true);
    expect(a.value).toEqual({ done: false, value: 2 });
  });

  it("throws PollAfterReadyError when polled after completing", () => {
    const [tx, rx] = unboundedChannel<number>();
    tx.send(1);
    const r = probe(rx.recv());
    r.poll();
    expect(() => r.future.poll(noopContext())).toThrow(PollAfterReadyError);
    expect(r.future.describe()).toMatch(/recv\(\)/);
  });
});

describe("bounded channel", () => {
  it("send waits while full and is completed by the receive that frees a slot", () => {
    const [tx, rx] = channel<number>(2);
    expect(tx.maxCapacity).toBe(2);
    expect(probe(tx.send(1)).poll()).toBe(true);
    expect(tx.trySend(2)).toBe(true);
    expect(tx.trySend(3)).toBe(false);
    const s3 = probe(tx.send(3));
    expect(s3.poll()).toBe(false);
    expect(s3.future.describe()).toBe("send() on channel(2)");
    expect(rx.tryRecv()).toBe(1);
    expect(s3.woken).toBe(1);
    expect(rx.length).toBe(2); // the grant put 3 in the buffer already
    expect(s3.poll()).toBe(true);
    expect(s3.error).toBeUndefined();
    expect([rx.tryRecv(), rx.tryRecv(), rx.tryRecv()]).toEqual([2, 3, undefined]);
  });

  it("waiting senders are served in arrival order and trySend does not jump the queue", () => {
    const [tx, rx] = channel<string>(1);
    tx.trySend("first");
    const a = probe(tx.send("a"));
    const b = probe(tx.send("b"));
    a.poll();
    b.poll();
    expect(rx.tryRecv()).toBe("first");
    expect(tx.trySend("barge")).toBe(false);
    expect(rx.tryRecv()).toBe("a");
    expect(rx.tryRecv()).toBe("b");
    expect([a.woken, b.woken]).toEqual([1, 1]);
    expect(a.poll() && b.poll()).toBe(true);
  });

  it("a dropped waiting send loses its message and its place, and nobody else", () => {
    const [tx, rx] = channel<string>(1);
    tx.trySend("x");
    const a = probe(tx.send("a"));
    const b = probe(tx.send("b"));
    a.poll();
    b.poll();
    a.drop();
    expect(rx.tryRecv()).toBe("x");
    expect(rx.tryRecv()).toBe("b");
    expect(a.woken).toBe(0);
  });

  it("a waiting send fails with SendError holding its value when the receiver closes", () => {
    const [tx, rx] = channel<string>(1);
    tx.trySend("kept");
    const s = probe(tx.send("returned"));
    s.poll();
    rx.close();
    expect(s.woken).toBe(1);
    s.poll();
    expect(s.error).toBeInstanceOf(SendError);
    expect((s.error as SendError).value).toBe("returned");
    // buffered messages stay receivable after close, then the stream ends
    expect(rx.tryRecv()).toBe("kept");
    const end = probe(rx.recv());
    expect(end.poll()).toBe(true);
    expect(end.value).toEqual({ done: true, value: undefined });
    const late = probe(tx.send("late"));
    late.poll();
    expect((late.error as SendError).value).toBe("late");
  });

  it("reserve gives a permit whose send is synchronous; disposing it releases the slot", () => {
    const [tx, rx] = channel<number>(1);
    const r1 = probe(tx.reserve());
    expect(r1.poll()).toBe(true);
    const permit = r1.value!;
    expect(tx.trySend(9)).toBe(false); // the slot is reserved
    const r2 = probe(tx.reserve());
    expect(r2.poll()).toBe(false);
    expect(r2.future.describe()).toBe("reserve() on channel(1)");
    {
      using _p = permit;
    }
    expect(r2.woken).toBe(1);
    expect(r2.poll()).toBe(true);
    r2.value!.send(5);
    expect(() => r2.value!.send(6)).toThrow(/already used/);
    r2.value!.release(); // no-op after use
    expect(rx.tryRecv()).toBe(5);
  });

  it("a granted reserve that is dropped before taking its slot hands it to the next waiter", () => {
    const [tx, rx] = channel<number>(1);
    tx.trySend(0);
    const a = probe(tx.reserve());
    const b = probe(tx.send(1));
    a.poll();
    b.poll();
    expect(rx.tryRecv()).toBe(0);
    expect(a.woken).toBe(1);
    expect(b.woken).toBe(0);
    a.drop();
    expect(b.woken).toBe(1);
    expect(rx.tryRecv()).toBe(1);
  });

  it("an outstanding permit keeps the stream open, even after Receiver.close()", () => {
    const [tx, rx] = channel<number>(2);
    const r = probe(tx.reserve());
    r.poll();
    tx.close();
    rx.close();
    const recv = probe(rx.recv());
    expect(recv.poll()).toBe(false);
    r.value!.send(77);
    expect(recv.woken).toBe(1);
    recv.poll();
    expect(recv.value).toEqual({ done: false, value: 77 });
    const end = probe(rx.recv());
    expect(end.poll()).toBe(true);
    expect((end.value as IteratorResult<number>).done).toBe(true);
  });

  it("a released permit ends the stream when it was the last thing keeping it open", () => {
    const [tx, rx] = channel<number>(2);
    const r = probe(tx.reserve());
    r.poll();
    tx.close();
    const recv = probe(rx.recv());
    expect(recv.poll()).toBe(false);
    r.value!.release();
    expect(recv.woken).toBe(1);
    expect(recv.poll()).toBe(true);
    expect((recv.value as IteratorResult<number>).done).toBe(true);
  });

  it("reserve fails with SendError when the receiver is closed", () => {
    const [tx, rx] = channel<number>(1);
    tx.trySend(1);
    const r = probe(tx.reserve());
    r.poll();
    rx.close();
    r.poll();
    expect(r.error).toBeInstanceOf(SendError);
    const r2 = probe(tx.reserve());
    r2.poll();
    expect(r2.error).toBeInstanceOf(SendError);
  });

  it("a send waiting when its handle is closed still completes", () => {
    const [tx, rx] = channel<number>(1);
    tx.trySend(1);
    const s = probe(tx.send(2));
    s.poll();
    tx.close();
    expect(rx.isClosed).toBe(true);
    expect(rx.tryRecv()).toBe(1);
    expect(s.poll()).toBe(true);
    expect(s.error).toBeUndefined();
    const r = probe(rx.recv());
    r.poll();
    expect(r.value).toEqual({ done: false, value: 2 });
  });
});

describe("channels between tasks on a hand-stepped LocalExecutor", () => {
  it("moves every message from producer to consumer in order, with back-pressure", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = channel<number>(3);
    const producer = ex.spawn(
      future(function* () {
        for (let i = 0; i < 20; i++) yield* tx.send(i);
        tx.close();
      }),
    );
    const seen: number[] = [];
    const consumer = ex.spawn(
      future(function* () {
        for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) seen.push(r.value);
        return seen.length;
      }),
    );
    ex.tryRunOne(); // producer fills the buffer and waits
    expect(rx.length).toBe(3);
    expect(producer.isFinished).toBe(false);
    ex.runUntilStalled();
    expect(producer.isFinished && consumer.isFinished).toBe(true);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe("for await over a Receiver", () => {
  it("iterates from plain async code until every sender is closed", async () => {
    const [tx, rx] = unboundedChannel<number>();
    tx.send(1);
    setTimeout(() => {
      tx.send(2);
      tx.close();
    }, 0);
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual([1, 2]);
  });

  it("breaking out loses no message and leaves the receiver open", async () => {
    const [tx, rx] = unboundedChannel<number>();
    for (let i = 0; i < 5; i++) tx.send(i);
    const got: number[] = [];
    for await (const v of rx) {
      got.push(v);
      if (v === 1) break;
    }
    expect(rx.isClosed).toBe(false);
    tx.close();
    for await (const v of rx) got.push(v);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it("return() while waiting drops the pending receive", async () => {
    const [tx, rx] = unboundedChannel<number>();
    const it = rx[Symbol.asyncIterator]();
    const pending = it.next();
    await expect(it.next()).rejects.toThrow(/before the last settled/);
    await it.return?.();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    tx.send(3);
    expect(rx.tryRecv()).toBe(3);
  });
});

describe("channel futures inside async blocks", () => {
  it("a send that fails throws SendError into the block, which can catch it", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = channel<string>(1);
    tx.trySend("fill");
    const h = ex.spawn(
      future(function* () {
        try {
          yield* tx.send("late");
          return "sent";
        } catch (e) {
          return `failed: ${(e as SendError<string>).value}`;
        }
      }),
    );
    ex.runUntilStalled();
    rx.close();
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    const out = probe(h);
    out.poll();
    expect(out.value).toBe("failed: late");
  });

  it("aborting a task waiting in recv() drops the receive; the message goes to the next one", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = unboundedChannel<number>();
    let cleaned = false;
    const first = ex.spawn(
      future(function* () {
        try {
          return yield* rx.recv();
        } finally {
          cleaned = true;
        }
      }),
    );
    const second = ex.spawn(
      future(function* () {
        return yield* rx.recv();
      }),
    );
    ex.runUntilStalled();
    tx.send(1); // wakes the first receive...
    first.abort(); // ...which is dropped before it runs: the wake-up passes on
    ex.runUntilStalled();
    expect(cleaned).toBe(true);
    const out = probe(second);
    expect(out.poll()).toBe(true);
    expect(out.value).toEqual({ done: false, value: 1 });
  });

  it("a send or reserve made by a closed handle fails with SendError when awaited", () => {
    const [tx] = channel<number>(4);
    tx.close();
    const s = probe(tx.send(3));
    s.poll();
    expect(s.error).toBeInstanceOf(SendError);
    expect((s.error as SendError).value).toBe(3);
    expect((s.error as Error).message).toMatch(/this Sender was closed/);
    const r = probe(tx.reserve());
    r.poll();
    expect((r.error as Error).message).toMatch(/Sender.reserve\(\): this Sender was closed/);
    expect(() => tx.trySend(1)).toThrow(/this Sender was closed/);
  });
});
