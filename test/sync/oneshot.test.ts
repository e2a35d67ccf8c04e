import { describe, expect, it } from "vitest";
import { future, LocalExecutor, oneshot, RecvError, SendError } from "../../src/index.js";
import { probe } from "./helpers.js";

describe("oneshot", () => {
  it("delivers the value to a waiting receiver and wakes it once", () => {
    const [tx, rx] = oneshot<number>();
    const r = probe(rx);
    expect(r.poll()).toBe(false);
    expect(tx.isClosed).toBe(false);
    tx.send(42);
    expect(tx.isClosed).toBe(true);
    expect(r.woken).toBe(1);
    expect(r.poll()).toBe(true);
    expect(r.value).toBe(42);
    expect(rx.describe()).toBe("oneshot receiver");
  });

  it("throws RecvError when the sender closes (or is disposed) without sending", () => {
    const [tx, rx] = oneshot<string>();
    const r = probe(rx);
    r.poll();
    {
      using _tx = tx;
    }
    expect(r.woken).toBe(1);
    r.poll();
    expect(r.error).toBeInstanceOf(RecvError);
  });

  it("sending twice, or after the receiver closed, throws SendError with the value", () => {
    const [tx, rx] = oneshot<string>();
    tx.send("a");
    expect(() => tx.send("b")).toThrow(SendError);
    try {
      tx.send("c");
    } catch (e) {
      expect((e as SendError<string>).value).toBe("c");
    }
    // a value sent before close can still be received
    rx.close();
    expect(rx.tryRecv()).toBe("a");

    const [tx2, rx2] = oneshot<string>();
    rx2.close();
    expect(tx2.isClosed).toBe(true);
    expect(() => tx2.send("x")).toThrow(SendError);
  });

  it("dropping the receiver makes send fail and discards nothing the sender still has", () => {
    const [tx, rx] = oneshot<{ n: number }>();
    rx.drop();
    const v = { n: 1 };
    try {
      tx.send(v);
      expect.unreachable();
    } catch (e) {
      expect((e as SendError).value).toBe(v);
    }
  });

  it("tryRecv: undefined before the send, the value after, RecvError after a close", () => {
    const [tx, rx] = oneshot<number>();
    expect(rx.tryRecv()).toBeUndefined();
    expect(rx.isTerminated).toBe(false);
    tx.send(7);
    expect(rx.isTerminated).toBe(true);
    expect(rx.tryRecv()).toBe(7);
    const [tx2, rx2] = oneshot<number>();
    tx2.close();
    tx2.close();
    expect(() => rx2.tryRecv()).toThrow(RecvError);
  });

  it("carries a result between tasks", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = oneshot<string>();
    const h = ex.spawn(
      future(function* () {
        return `got ${yield* rx}`;
      }),
    );
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    ex.spawn(
      future(function* () {
        tx.send("it");
      }),
    );
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
  });
});
