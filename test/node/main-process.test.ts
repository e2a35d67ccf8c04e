/**
 * main() in real child processes with real signals: the exit code and the cleanup of each
 * ending (graceful, second signal, deadline, failure, a root that just finishes).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./fixtures/main-app.ts", import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/**
 * Runs the fixture in `mode`; each time stdout prints a line listed in `on`, sends that signal.
 * Resolves when the child exits.
 */
function runApp(mode: string, on: Record<string, NodeJS.Signals> = {}): Promise<Outcome> {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, mode], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      lines.push(line);
      const signal = on[line];
      if (signal !== undefined) child.kill(signal);
    }
  });
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal, lines, stderr }));
  });
}

describe("main() in a child process", { timeout: 30_000 }, () => {
  it("SIGINT cancels the token; the root's async cleanup finishes and the process exits 0", async () => {
    const out = await runApp("graceful", { ready: "SIGINT" });
    expect(out.lines).toEqual(["ready", "cancelled by SIGINT", "cleaned up"]);
    expect(out.code).toBe(0);
  });

  it("SIGTERM does the same", async () => {
    const out = await runApp("graceful", { ready: "SIGTERM" });
    expect(out.lines).toEqual(["ready", "cancelled by SIGTERM", "cleaned up"]);
    expect(out.code).toBe(0);
  });

  it("a second SIGINT drops the root and its tasks (their finally blocks run), exits 130", async () => {
    const out = await runApp("stubborn", { ready: "SIGINT", "cancelled by SIGINT": "SIGINT" });
    expect(out.lines).toEqual(["ready", "cancelled by SIGINT", "root dropped", "child dropped"]);
    expect(out.code).toBe(130);
  });

  it("the grace deadline after SIGTERM drops the root and exits 143", async () => {
    const out = await runApp("deadline", { ready: "SIGTERM" });
    expect(out.lines).toEqual(["ready", "cancelled by SIGTERM", "root dropped", "child dropped"]);
    expect(out.code).toBe(143);
  });

  it("a root ending with the token's AbortedError after a signal is a graceful exit", async () => {
    const out = await runApp("token-abort", { ready: "SIGINT" });
    expect(out.code).toBe(0);
    expect(out.stderr).toBe("");
  });

  it("a failing root prints its error and exits 1", async () => {
    const out = await runApp("fails");
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("the database is gone");
  });

  it("a root that finishes exits 0 even with an open interval", async () => {
    const out = await runApp("finishes");
    expect(out.lines).toEqual(["done"]);
    expect(out.code).toBe(0);
  });
});
