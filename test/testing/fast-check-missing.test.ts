import { expect, it, vi } from "vitest";

it("schedules() says clearly that it needs fast-check when it is missing", async () => {
  vi.resetModules();
  vi.doMock("fast-check", () => {
    throw new Error("Cannot find package 'fast-check'");
  });
  const { schedules } = await import("../../src/testing/schedules-arbitrary.js");
  const { SimExecutor } = await import("../../src/testing/sim-executor.js");
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(() => schedules()).toThrow(/needs fast-check, an optional peer dependency/);
  expect(() => schedules()).toThrow(/schedules\(\{ fc \}\)/);
  // Everything else works without it.
  expect(await new SimExecutor().run((await import("../../src/core/poll-fn.js")).ready(1))).toBe(1);
  vi.doUnmock("fast-check");
});
