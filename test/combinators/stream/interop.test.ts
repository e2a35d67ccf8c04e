import { EventEmitter, on } from "node:events";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  collect,
  fromAsyncIterable,
  future,
  repeatWith,
  run,
  select,
  sleep,
  spawn,
  take,
  unfold,
} from "../../../src/index.js";

describe("fromAsyncIterable with Node sources", () => {
  it("reads a Readable to the end", async () => {
    const got = await run(fromAsyncIterable(Readable.from(["a", "b", "c"])).pipe(collect()));
    expect(got).toEqual(["a", "b", "c"]);
  });

  it("dropping an events.on stream removes its listener", async () => {
    const emitter = new EventEmitter();
    const got = await run(
      future(function* () {
        const s = fromAsyncIterable(on(emitter, "data"));
        const first = s.next();
        const r = yield* select(first, sleep(0));
        expect(r.index).toBe(1);
        expect(emitter.listenerCount("data")).toBe(1);
        emitter.emit("data", 7);
        const item = yield* s.next();
        s.drop();
        yield* sleep(1);
        return { item: item.value, listeners: emitter.listenerCount("data") };
      }),
    );
    expect(got).toEqual({ item: [7], listeners: 0 });
  });

  it("dropping a Readable stream destroys the Readable", async () => {
    const readable = Readable.from(
      (function* () {
        for (let i = 0; ; i++) yield i;
      })(),
    );
    const got = await run(fromAsyncIterable(readable).pipe(take(3), collect()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([0, 1, 2]);
    expect(readable.destroyed).toBe(true);
  });
});

describe("ready items spend the cooperative budget", () => {
  it.each([
    ["repeatWith", () => repeatWith(() => 1)],
    ["unfold", () => unfold(0, (n: number) => [n, n + 1] as const)],
  ])("a select loop over an endless ready %s lets another task run", async (_, make) => {
    const order: string[] = [];
    await run(
      future(function* () {
        const other = spawn(
          future(function* () {
            order.push("other ran");
          }),
        );
        const s = make();
        for (let i = 0; i < 1000; i++) {
          yield* select(s.next(), sleep(1000));
          if (i === 999) order.push("loop done");
        }
        s.drop();
        yield* other;
      }),
    );
    expect(order).toEqual(["other ran", "loop done"]);
  });
});
