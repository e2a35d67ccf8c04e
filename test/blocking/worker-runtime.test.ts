// The worker's logic, in-process (coverage cannot see inside worker threads).
import { describe, expect, it } from "vitest";
import {
  CELL_CANCELLED,
  CELL_DONE,
  CELL_KILLED,
  CELL_QUEUED,
  CELL_STARTED,
  ERROR_NOT_CLONEABLE,
  ERROR_NOT_SELF_CONTAINED,
  ERROR_PLAIN,
  JOB_EXPORT,
  JOB_FUNCTION,
  type JobMessage,
  REPLY_ERROR,
  REPLY_OK,
  REPLY_SKIPPED,
  type ReplyMessage,
  transferResult,
} from "../../src/blocking/protocol.js";
import { compileFunction, WorkerRuntime } from "../../src/blocking/worker-runtime.js";

function setup(mod: Record<string, unknown> = {}, filename: string | null = "tasks.js") {
  const cells = new Int32Array(8);
  const booted = new Int32Array(1);
  const replies: ReplyMessage[] = [];
  const transfers: unknown[] = [];
  let imports = 0;
  let finishImport: (m: Record<string, unknown>) => void = () => {};
  const runtime = new WorkerRuntime(
    { cells, booted, filename: filename ?? undefined },
    {
      post(reply, transfer) {
        structuredClone(reply); // throws DataCloneError like postMessage
        replies.push(reply);
        transfers.push(transfer);
      },
      importModule() {
        imports++;
        return new Promise((resolve) => {
          finishImport = resolve;
        });
      },
    },
  );
  const send = (message: JobMessage) => {
    cells[message[1]] = CELL_QUEUED;
    runtime.receive(message);
  };
  return {
    cells,
    booted,
    replies,
    transfers,
    send,
    runtime,
    imports: () => imports,
    loadModule: () => finishImport(mod),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("WorkerRuntime", () => {
  it("runs function jobs, compiling the source once", () => {
    const t = setup();
    t.send([JOB_FUNCTION, 0, 1, "(a, b) => a + b", [1, 2]]);
    t.send([JOB_FUNCTION, 1, 1, null, [3, 4]]);
    expect(t.replies).toEqual([
      [REPLY_OK, 3],
      [REPLY_OK, 7],
    ]);
    expect(t.cells[0]).toBe(CELL_DONE);
    expect(compileFunction("(a, b) => a + b")).toBe(compileFunction("(a, b) => a + b"));
  });

  it("supplies esbuild's __name helper to compiled functions", () => {
    const fn = compileFunction(
      '(n) => { const f = __name((k) => k * 2, "f"); return f.name + f(n); }',
    );
    expect(fn(2)).toBe("f4");
  });

  it("says it has booted as soon as it exists", () => {
    expect(setup().booted[0]).toBe(1);
  });

  it("marks a job's cell DONE before its reply", () => {
    const t = setup();
    t.send([JOB_FUNCTION, 0, 12, "() => 1", []]);
    t.send([JOB_FUNCTION, 1, 13, "() => { throw new Error('no') }", []]);
    expect([t.cells[0], t.cells[1]]).toEqual([CELL_DONE, CELL_DONE]);
    expect(t.replies).toHaveLength(2);
  });

  it("halts once its running job was killed: no reply, no later job", async () => {
    const t = setup();
    let resolve: (v: number) => void = () => {};
    (globalThis as { __killWait?: Promise<number> }).__killWait = new Promise((r) => {
      resolve = r;
    });
    t.send([JOB_FUNCTION, 0, 14, "() => globalThis.__killWait", []]);
    t.send([JOB_FUNCTION, 1, 15, "() => 'next'", []]);
    expect(Atomics.compareExchange(t.cells, 0, CELL_STARTED, CELL_KILLED)).toBe(CELL_STARTED);
    resolve(1);
    await tick();
    t.send([JOB_FUNCTION, 2, 15, null, []]);
    expect(t.replies).toEqual([]);
    expect([t.cells[1], t.cells[2]]).toEqual([CELL_QUEUED, CELL_QUEUED]); // never started
  });

  it("skips a cancelled job without running it", () => {
    const t = setup();
    t.cells[0] = CELL_CANCELLED;
    t.runtime.receive([JOB_FUNCTION, 0, 1, "() => { throw new Error('ran') }", []]);
    expect(t.replies).toEqual([[REPLY_SKIPPED]]);
  });

  it("learns a function's source from a job it skips, for the jobs behind it", () => {
    const t = setup();
    t.cells[0] = CELL_CANCELLED;
    t.runtime.receive([JOB_FUNCTION, 0, 11, "(a) => a * 3", [1]]);
    t.send([JOB_FUNCTION, 1, 11, null, [5]]);
    expect(t.replies).toEqual([[REPLY_SKIPPED], [REPLY_OK, 15]]);
  });

  it("flags a ReferenceError from a function job as not self-contained", () => {
    const t = setup();
    t.send([JOB_FUNCTION, 0, 2, "() => outsideVariable", []]);
    t.send([JOB_FUNCTION, 1, 3, "() => { throw new TypeError('x') }", []]);
    expect(t.replies[0]?.[0]).toBe(REPLY_ERROR);
    expect(t.replies[0]?.[2]).toBe(ERROR_NOT_SELF_CONTAINED);
    expect(t.replies[1]?.[2]).toBe(ERROR_PLAIN);
  });

  it("holds later jobs back while an async job runs, replying in order", async () => {
    const t = setup();
    let resolve: (v: number) => void = () => {};
    (globalThis as { __wait?: Promise<number> }).__wait = new Promise((r) => {
      resolve = r;
    });
    t.send([JOB_FUNCTION, 0, 4, "() => globalThis.__wait", []]);
    t.send([JOB_FUNCTION, 1, 5, "() => 'second'", []]);
    t.send([JOB_FUNCTION, 2, 6, "async () => { throw new Error('third') }", []]);
    expect(t.replies).toEqual([]);
    expect(t.cells[1]).toBe(CELL_QUEUED); // not started yet
    resolve(1);
    await tick();
    expect(t.replies.slice(0, 2)).toEqual([
      [REPLY_OK, 1],
      [REPLY_OK, "second"],
    ]);
    expect((t.replies[2]![1] as Error).message).toBe("third");
  });

  it("imports the task module once, on the first export job", async () => {
    const t = setup({ add: (a: number, b: number) => a + b, default: { legacy: () => "cjs" } });
    t.send([JOB_EXPORT, 0, "add", [1, 2]]);
    t.send([JOB_EXPORT, 1, "legacy", []]);
    t.send([JOB_EXPORT, 2, "missing", []]);
    expect(t.imports()).toBe(1);
    expect(t.replies).toEqual([]);
    t.loadModule();
    await tick();
    expect(t.replies.slice(0, 2)).toEqual([
      [REPLY_OK, 3],
      [REPLY_OK, "cjs"],
    ]);
    expect((t.replies[2]![1] as Error).message).toMatch(
      /tasks.js has no exported function named "missing" \(its exported functions: add\)/,
    );
    expect(t.imports()).toBe(1);
  });

  it("fails export jobs when the pool has no task module", () => {
    const t = setup({}, null);
    t.send([JOB_EXPORT, 0, "add", []]);
    expect((t.replies[0]![1] as Error).message).toMatch(/no task module/);
  });

  it("moves a transferResult value with its transfer list", () => {
    const t = setup();
    (globalThis as { __transferResult?: unknown }).__transferResult = transferResult;
    t.send([
      JOB_FUNCTION,
      0,
      7,
      "(b) => globalThis.__transferResult(b, [b])",
      [new ArrayBuffer(4)],
    ]);
    expect(t.replies[0]?.[0]).toBe(REPLY_OK);
    expect((t.replies[0]![1] as ArrayBuffer).byteLength).toBe(4);
    expect(t.transfers[0]).toHaveLength(1);
  });

  it("reports results and thrown values that cannot be cloned", () => {
    const t = setup();
    t.send([JOB_FUNCTION, 0, 8, "() => () => 1", []]);
    t.send([JOB_FUNCTION, 1, 9, "() => { throw { f() {} } }", []]);
    expect(t.replies[0]?.[2]).toBe(ERROR_NOT_CLONEABLE);
    expect((t.replies[0]![1] as Error).message).toMatch(/the job's result could not be sent back/);
    expect(t.replies[1]?.[2]).toBe(ERROR_NOT_CLONEABLE);
    expect((t.replies[1]![1] as Error).message).toMatch(
      /what the job threw could not be sent back/,
    );
  });

  it("rejects a source that is not a function", () => {
    const t = setup();
    t.send([JOB_FUNCTION, 0, 10, "42", []]);
    expect((t.replies[0]![1] as Error).message).toMatch(/not a function/);
  });
});
