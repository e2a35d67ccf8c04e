import { describe, expect, it } from "vitest";
import { functionInfo } from "../../src/blocking/function-source.js";
import {
  BlockingJob,
  type JobHost,
  VIA_RUN,
  VIA_RUN_FUNCTION,
  VIA_SPAWN_BLOCKING,
} from "../../src/blocking/job.js";
import { closedError, workerFailure } from "../../src/blocking/job-errors.js";
import { workerExecArgv } from "../../src/blocking/node-apis.js";
import { BlockingPool } from "../../src/blocking/pool.js";
import { jobOptions, poolSettings } from "../../src/blocking/pool-options.js";
import { transferResult } from "../../src/blocking/protocol.js";
import { locate, tsBootstrap } from "../../src/blocking/worker-url.js";
import { Context } from "../../src/core/context.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Waker } from "../../src/core/waker.js";

describe("pool options", () => {
  it("has documented defaults", () => {
    expect(poolSettings({})).toEqual({
      filename: undefined,
      minThreads: 0,
      maxThreads: 0, // resolved from os.availableParallelism() on first use
      idleTimeoutMs: 10_000,
      maxQueue: Number.POSITIVE_INFINITY,
      resourceLimits: undefined,
      pipelineDepth: 8,
    });
    expect(poolSettings({ filename: new URL("file:///t.js") }).filename).toBe("file:///t.js");
  });

  it("names the bad option", () => {
    expect(() => new BlockingPool({ maxThreads: 0 })).toThrow(
      "BlockingPool(options): maxThreads must be a whole number >= 1, got 0",
    );
    expect(() => new BlockingPool({ minThreads: 3, maxThreads: 2 })).toThrow(
      /minThreads \(3\) must not exceed/,
    );
    expect(() => new BlockingPool({ maxQueue: -1 })).toThrow(
      /maxQueue must be a whole number >= 0 or Infinity/,
    );
    expect(() => new BlockingPool({ idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
    expect(() => new BlockingPool({ pipelineDepth: 1.5 })).toThrow(/pipelineDepth/);
    expect(() => new BlockingPool({ filename: "" })).toThrow(/filename/);
    expect(() => new BlockingPool({ filename: new URL("https://x/t.js") })).toThrow(/file: URL/);
    expect(() => new BlockingPool({ resourceLimits: 1 as never })).toThrow(/resourceLimits/);
    expect(() => new BlockingPool({ resourceLimits: [] as never })).toThrow(
      "BlockingPool(options): resourceLimits must be an object",
    );
    expect(() => new BlockingPool(null as never)).toThrow(TypeError);
    expect(() => jobOptions("f", [], null as never)).toThrow(/options must be an object/);
    expect(jobOptions("f", [], { transfer: [] })).toEqual({
      transfer: undefined,
      terminateOnDrop: false,
    });
    expect(() => transferResult(1, 2 as never)).toThrow(/transferList must be an array/);
  });

  it("validates resourceLimits eagerly, naming the limit", () => {
    const bad = (resourceLimits: unknown) => () =>
      new BlockingPool({ resourceLimits: resourceLimits as never });
    expect(bad({ maxOldGenerationSizeMb: "x" })).toThrow(TypeError);
    expect(bad({ maxOldGenerationSizeMb: "x" })).toThrow(
      "BlockingPool(options): resourceLimits.maxOldGenerationSizeMb must be a number (MB), got string",
    );
    expect(bad({ maxOldGenerationSizeMB: 64 })).toThrow(TypeError);
    expect(bad({ maxOldGenerationSizeMB: 64 })).toThrow(
      /resourceLimits has no limit "maxOldGenerationSizeMB" \(known: maxOldGenerationSizeMb, /,
    );
    for (const n of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(bad({ stackSizeMb: n })).toThrow(RangeError);
      expect(bad({ stackSizeMb: n })).toThrow(
        /resourceLimits.stackSizeMb must be a finite number > 0/,
      );
    }
    const given = { maxOldGenerationSizeMb: 64, stackSizeMb: 0.5, codeRangeSizeMb: undefined };
    expect(poolSettings({ resourceLimits: given }).resourceLimits).toEqual({
      maxOldGenerationSizeMb: 64,
      stackSizeMb: 0.5,
    });
  });

  it("strips --input-type from a worker's execArgv, else inherits", () => {
    expect(workerExecArgv(["--expose-gc"])).toBeUndefined();
    expect(workerExecArgv(["--input-type=module", "--conditions=x"])).toEqual(["--conditions=x"]);
    expect(workerExecArgv(["--input-type", "module", "--conditions=x"])).toEqual([
      "--conditions=x",
    ]);
  });
});

describe("worker script location", () => {
  it("uses dist/worker.js from the built package, ESM or CJS", () => {
    expect(locate("file:///pkg/dist/index.js")).toEqual({
      filename: new URL("file:///pkg/dist/worker.js"),
      eval: false,
    });
    expect(locate("file:///pkg/dist/chunk-X.cjs").filename).toEqual(
      new URL("file:///pkg/dist/worker.js"),
    );
  });

  it("boots the .ts entry through tsx from sources", () => {
    const script = locate("file:///repo/src/blocking/worker-url.ts");
    expect(script.eval).toBe(true);
    expect(script.filename).toContain("file:///repo/src/blocking/worker-entry.ts");
    expect(script.filename).toContain("tsx/dist/esm/api");
    expect(tsBootstrap("file:///tsx.mjs", "file:///e.ts")).toBe(
      'import("file:///tsx.mjs").then((api) => { api.register(); return import("file:///e.ts"); });',
    );
  });
});

describe("function sources", () => {
  it("numbers each distinct source once", () => {
    const make = () => (a: number) => a + 1;
    expect(functionInfo(make(), "f")).toBe(functionInfo(make(), "f"));
    expect(functionInfo((a: number) => a + 2, "f").id).not.toBe(functionInfo(make(), "f").id);
  });
});

describe("BlockingJob", () => {
  const host: JobHost & { submitted: number; cancelled: number } = {
    submitted: 0,
    cancelled: 0,
    submit(job) {
      this.submitted++;
      job.state = 1;
    },
    cancel() {
      this.cancelled++;
    },
  };
  const cx = Context.from(Waker.noop());

  it("is lazy, settles once, then refuses to be polled", () => {
    const job = new BlockingJob<number>(host, VIA_RUN, undefined, "add", [], undefined, false);
    expect(host.submitted).toBe(0);
    expect(job.describe()).toBe('pool.run("add")');
    expect(job.poll(cx)).toEqual({ pending: true });
    expect(job.describe()).toBe('pool.run("add"): waiting for a thread');
    job.settle(true, 5);
    job.settle(true, 6); // ignored
    expect(job.poll(cx)).toEqual({ value: 5 });
    expect(() => job.poll(cx)).toThrow(PollAfterReadyError);
    job.drop();
    expect(host.cancelled).toBe(0);
  });

  it("is taken back when dropped while waiting", () => {
    const job = new BlockingJob<number>(host, VIA_RUN, undefined, "add", [], undefined, false);
    job.poll(cx);
    job.drop();
    expect(host.cancelled).toBe(1);
    expect(() => job.poll(cx)).toThrow(PollAfterReadyError);
  });

  it("is labelled by the call that created it", () => {
    const fn = functionInfo((x: number) => x, "f");
    const label = (via: typeof VIA_RUN_FUNCTION | typeof VIA_SPAWN_BLOCKING) =>
      new BlockingJob(host, via, fn, "fib", [], undefined, false).label();
    expect(label(VIA_RUN_FUNCTION)).toBe("pool.runFunction(fib)");
    expect(label(VIA_SPAWN_BLOCKING)).toBe("spawnBlocking(fib)");
  });

  it("names the job and the reason in errors", () => {
    const job = new BlockingJob<number>(host, VIA_RUN, undefined, "resize", [], undefined, false);
    expect(closedError(job).message).toBe(
      'pool.run("resize"): the blocking pool was closed before this job started',
    );
    expect(workerFailure(job, undefined, false).message).toBe(
      'pool.run("resize") failed: its worker thread was terminated',
    );
  });
});
