import { describe, expect, it } from "vitest";
import { reportUnhandled, swapUnhandledSink } from "../../src/core/unhandled.js";

describe("reportUnhandled / swapUnhandledSink", () => {
  it("sends errors to the active sink and restores the previous one", () => {
    const outer: unknown[] = [];
    const inner: unknown[] = [];
    const prev = swapUnhandledSink((e) => outer.push(e));
    try {
      reportUnhandled("a");
      const mid = swapUnhandledSink((e) => inner.push(e));
      reportUnhandled("b");
      swapUnhandledSink(mid);
      reportUnhandled("c");
    } finally {
      swapUnhandledSink(prev);
    }
    expect(outer).toEqual(["a", "c"]);
    expect(inner).toEqual(["b"]);
  });

  it("without a sink, an error becomes an unhandled rejection in the host", async () => {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const seen: unknown[] = [];
    const listener = (e: unknown) => seen.push(e);
    process.on("unhandledRejection", listener);
    try {
      const prev = swapUnhandledSink(undefined);
      const e = new Error("nobody listens");
      try {
        reportUnhandled(e);
      } finally {
        swapUnhandledSink(prev);
      }
      await new Promise((r) => setImmediate(r));
      expect(seen).toEqual([e]);
    } finally {
      process.off("unhandledRejection", listener);
      for (const l of saved) process.on("unhandledRejection", l as (e: unknown) => void);
    }
  });
});
