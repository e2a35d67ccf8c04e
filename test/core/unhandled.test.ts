import { describe, expect, it } from "vitest";
import { enterExecutor, exitExecutor, RuntimeContext } from "../../src/core/runtime.js";
import { reportUnhandled } from "../../src/core/unhandled.js";

const sinkOf = (into: unknown[]) =>
  new RuntimeContext({}, { onUnhandled: (e: unknown) => void into.push(e) });

describe("reportUnhandled", () => {
  it("sends errors to the current runtime context's sink, nesting and restoring", () => {
    const outer: unknown[] = [];
    const inner: unknown[] = [];
    const prev = enterExecutor(sinkOf(outer));
    try {
      reportUnhandled("a");
      const mid = enterExecutor(sinkOf(inner));
      reportUnhandled("b");
      exitExecutor(mid);
      reportUnhandled("c");
    } finally {
      exitExecutor(prev);
    }
    expect(outer).toEqual(["a", "c"]);
    expect(inner).toEqual(["b"]);
  });

  it("outside any executor, an error becomes an unhandled rejection in the host", async () => {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const seen: unknown[] = [];
    const listener = (e: unknown) => seen.push(e);
    process.on("unhandledRejection", listener);
    try {
      const e = new Error("nobody listens");
      reportUnhandled(e);
      await new Promise((r) => setImmediate(r));
      expect(seen).toEqual([e]);
    } finally {
      process.off("unhandledRejection", listener);
      for (const l of saved) process.on("unhandledRejection", l as (e: unknown) => void);
    }
  });
});
