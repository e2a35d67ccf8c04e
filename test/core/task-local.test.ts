import { describe, expect, it } from "vitest";
import {
  fromPromise,
  future,
  LocalExecutor,
  run,
  sleep,
  spawn,
  TaskLocal,
  yieldNow,
} from "../../src/index.js";
import { countingWaker } from "../../src/testing.js";

describe("TaskLocal", () => {
  const id = new TaskLocal<string>("requestId");

  it("gives the value in force while the scoped future runs, across awaits", async () => {
    const seen: (string | undefined)[] = [];
    const body = future(function* () {
      seen.push(id.get());
      yield* sleep(1);
      seen.push(id.get());
      yield* fromPromise(() => Promise.resolve());
      seen.push(id.tryGet());
    });
    await run(id.scope("req-1", body));
    expect(seen).toEqual(["req-1", "req-1", "req-1"]);
  });

  it("is inherited by tasks spawned inside the scope, for their whole life", async () => {
    const seen: string[] = [];
    await run(
      future(function* () {
        const child = yield* id.scope(
          "req-2",
          future(function* () {
            return spawn(
              future(function* () {
                yield* yieldNow();
                seen.push(`child sees ${id.get()}`);
              }),
            );
          }),
        );
        expect(id.tryGet()).toBeUndefined(); // the root itself is outside the scope
        yield* child;
      }),
    );
    expect(seen).toEqual(["child sees req-2"]);
  });

  it("nested scopes shadow outer ones; other locals are independent", async () => {
    const user = new TaskLocal<number>("user");
    const out = await run(
      id.scope(
        "outer",
        user.scope(
          1,
          future(function* () {
            const inner = yield* id.scope(
              "inner",
              future(function* () {
                return `${id.get()}/${user.get()}`;
              }),
            );
            return [inner, `${id.get()}/${user.get()}`];
          }),
        ),
      ),
    );
    expect(out).toEqual(["inner/1", "outer/1"]);
  });

  it("cleanup of a dropped scope still sees the value", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    const h = ex.spawn(
      id.scope(
        "dropped",
        future(function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push(`finally sees ${id.tryGet()}`);
          }
        }),
      ),
    );
    ex.runUntilStalled();
    h.abort();
    ex.runUntilStalled();
    expect(log).toEqual(["finally sees dropped"]);
    ex.shutdown();
  });

  it("works when polled by hand, outside any executor", () => {
    const w = countingWaker();
    const fut = id.scope(
      "by hand",
      future(function* () {
        return id.get();
      }),
    );
    expect((fut.poll(w.context) as { value: string }).value).toBe("by hand");
  });

  it("get() outside any scope throws, naming the local and what to do; tryGet() is undefined", () => {
    expect(() => id.get()).toThrow(/requestId.get\(\): no value in force here.*requestId.scope/);
    expect(id.tryGet()).toBeUndefined();
    expect(() => new TaskLocal(1 as never)).toThrow(TypeError);
    expect(() => id.scope("x", 1 as never)).toThrow(TypeError);
  });
});
