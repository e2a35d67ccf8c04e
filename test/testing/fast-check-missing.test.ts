import { expect, it, vi } from "vitest";

it("without fast-check, wakeful/testing works and schedules() says what it needs", async () => {
  vi.resetModules();
  vi.doMock("fast-check", () => {
    throw new Error("Cannot find package 'fast-check'");
  });
  try {
    const { schedules, SimExecutor } = await import("../../src/testing.js");
    const call = () => (schedules as (...args: unknown[]) => unknown)();
    expect(call).toThrow(TypeError);
    expect(call).toThrow(/fc must be the fast-check module, got undefined/);
    expect(call).toThrow(/an optional peer dependency/);
    expect(call).toThrow(/import fc from "fast-check"; schedules\(fc\)/);
    expect(call).toThrow(/npm install --save-dev fast-check/);
    // The call of the old API, options first, is told the same.
    expect(() => schedules({ steps: 4 } as never)).toThrow(
      /fc must be the fast-check module, got an object without fast-check's uniqueArray/,
    );
    // Everything else works without it.
    const { ready } = await import("../../src/core/poll-fn.js");
    expect(await new SimExecutor().run(ready(1))).toBe(1);
  } finally {
    vi.doUnmock("fast-check");
  }
});
