/**
 * examples/10-http-service.ts, run for real: the service in a child process, loopback requests
 * (fast, slow, flaky, failing, too slow, one parked until shutdown), SIGINT once all of them
 * started, one request after it. Every request must get its response (or, after the signal, a
 * clean refusal), every log line must carry the right request id, and the exit code is 0.
 */
import { describe, expect, it } from "vitest";
import { type Exchange, PATHS, runScenario } from "../../examples/10-http-service.js";

describe("scenario 10: the HTTP service", { timeout: 60_000 }, () => {
  it("answers every accepted request, drains on SIGINT, logs request ids, exits 0", async () => {
    const { exchanges, late, lines, exitCode } = await runScenario();
    expect(exitCode).toBe(0);

    const byPath = new Map<string, Exchange>(exchanges.map((e) => [e.path, e]));
    expect([...byPath.keys()]).toEqual(PATHS);
    for (const e of exchanges) expect(e.error).toBeUndefined();
    const status = (path: string) => byPath.get(path)?.status;
    expect(status("/fast")).toBe(200);
    expect(status("/slow?work=300")).toBe(200);
    expect(status("/flaky?fail=2")).toBe(200);
    expect(byPath.get("/flaky?fail=2")?.body).toMatch(/^quote #3, worker \d did 20 ms of work$/);
    expect(status("/broken?fail=9")).toBe(502);
    expect(status("/too-slow?work=6000")).toBe(504);
    expect(status("/parked?until-shutdown")).toBe(200);
    // After SIGINT: answered (it slipped in before the close), refused with 503, or not accepted.
    if (late.error === undefined) expect([200, 503]).toContain(late.status);
    else expect(["ECONNREFUSED", "ECONNRESET"]).toContain(late.error);

    // Every line names its request (or the server), and each request's lines are its own.
    for (const line of lines) expect(line).toMatch(/^\[(server|req-\d+)\] /);
    const ids = new Set(exchanges.map((e) => e.id));
    expect(ids.size).toBe(PATHS.length);
    for (const e of exchanges) {
      const own = lines.filter((l) => l.startsWith(`[${e.id}] `));
      expect(own.filter((l) => l.includes(" start GET "))).toEqual([
        `[${e.id}] start GET ${e.path}`,
      ]);
      expect(own.filter((l) => l.includes(" respond "))).toEqual([
        `[${e.id}] respond ${e.status}: ${e.body}`,
      ]);
    }
    const flaky = byPath.get("/flaky?fail=2")?.id;
    expect(lines).toContain(`[${flaky}] attempt 1 failed, retrying in 20 ms`);
    expect(lines).toContain(`[${flaky}] attempt 2 failed, retrying in 40 ms`);
    expect(lines).toContain(`[${flaky}] dependency: attempt 3 answers`);

    // The parked request was in flight at the signal and finished because of it.
    const signalAt = lines.findIndex((l) =>
      /^\[server\] SIGINT: stop accepting, draining \d+ requests$/.test(l),
    );
    expect(signalAt).toBeGreaterThan(0);
    expect(Number(/draining (\d+)/.exec(lines[signalAt] as string)?.[1])).toBeGreaterThanOrEqual(1);
    const parked = byPath.get("/parked?until-shutdown")?.id;
    const parkedFinish = lines.indexOf(
      `[${parked}] the server is shutting down: finishing this request`,
    );
    expect(parkedFinish).toBeGreaterThan(signalAt);
    const drained = lines.indexOf("[server] every request answered");
    for (const e of exchanges) {
      expect(lines.indexOf(`[${e.id}] respond ${e.status}: ${e.body}`)).toBeLessThan(drained);
    }
  });
});
