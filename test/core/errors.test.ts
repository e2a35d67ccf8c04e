import { describe, expect, it } from "vitest";
import { BlockingError, QueueFullError } from "../../src/blocking/errors.js";
import { TimeoutError } from "../../src/combinators/errors.js";
import {
  AbortedError,
  AcquireError,
  AwaitDuringDropError,
  PollAfterReadyError,
  RecvError,
  SendError,
} from "../../src/core/errors.js";
import { JoinError } from "../../src/executor/join-error.js";

describe("error classes", () => {
  it.each([
    ["PollAfterReadyError", new PollAfterReadyError("x")],
    ["AwaitDuringDropError", new AwaitDuringDropError()],
    ["JoinError", JoinError.cancelled()],
    ["TimeoutError", new TimeoutError(5)],
    ["AbortedError", new AbortedError()],
    ["SendError", new SendError(1)],
    ["RecvError", new RecvError()],
    ["AcquireError", new AcquireError()],
    ["BlockingError", new BlockingError("m")],
    ["QueueFullError", new QueueFullError(3)],
  ])("%s is an Error with a matching name and a message", (name, err) => {
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(err.message.length).toBeGreaterThan(0);
    expect(String(err)).toMatch(new RegExp(`^${name}: `));
  });

  it("PollAfterReadyError names what was polled", () => {
    expect(new PollAfterReadyError("ready() future").message).toMatch(
      /^ready\(\) future was polled/,
    );
  });

  it("JoinError.panic keeps the cause and reads through getters", () => {
    const cause = new Error("boom");
    const e = JoinError.panic(cause, "worker");
    expect(e.isPanic).toBe(true);
    expect(e.isCancelled).toBe(false);
    expect(e.cause).toBe(cause);
    expect(e.message).toBe("task worker failed: boom");
  });

  it("JoinError.cancelled has no cause", () => {
    const e = JoinError.cancelled();
    expect(e.isCancelled).toBe(true);
    expect(e.isPanic).toBe(false);
    expect(e.cause).toBeUndefined();
    expect(e.message).toBe("task was cancelled");
  });

  it("JoinError describes non-Error causes", () => {
    expect(JoinError.panic("oops").message).toBe("task failed: oops");
    expect(JoinError.panic(42).message).toBe("task failed: 42");
    expect(JoinError.panic(Object.create(null)).message).toMatch(/task failed: \[object/);
  });

  it("AbortedError carries the reason as cause", () => {
    expect(new AbortedError().message).toBe("aborted");
    const e = new AbortedError("shutting down");
    expect(e.message).toBe("aborted: shutting down");
    expect(e.cause).toBe("shutting down");
  });

  it("SendError keeps the undelivered value; TimeoutError and QueueFullError their numbers", () => {
    expect(new SendError({ id: 1 }).value).toEqual({ id: 1 });
    expect(new TimeoutError(250).ms).toBe(250);
    expect(new TimeoutError(250).message).toBe("timed out after 250 ms");
    expect(new QueueFullError(8).maxQueue).toBe(8);
    const cause = new Error("crash");
    expect(new BlockingError("worker died", cause).cause).toBe(cause);
  });
});
