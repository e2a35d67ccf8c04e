/**
 * The fetch-under-a-timeout pattern of the guides (examples/fetch.ts), against a local server
 * that sends the headers and the start of a large body at once, then holds the rest until the
 * test releases it. The timeout runs on a ManualClock and fires only once the client has the
 * headers, so it always lands mid-body; what the server observes afterwards says whether the
 * download stopped. Nothing here waits on the real clock.
 */
import dc from "node:diagnostics_channel";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchJson, fetchText } from "../../examples/fetch.js";
import {
  asyncFn,
  type Future,
  fromPromise,
  LocalExecutor,
  ManualClock,
  TimeoutError,
  timeout,
} from "../../src/index.js";

const BODY = JSON.stringify({ data: "x".repeat(1 << 20) });
const HEAD_BYTES = 16 * 1024;
const TIMEOUT_MS = 200;

/** One request as the server sees it. */
interface Exchange {
  /** Resolves when the response closes, with whether the server had ended it by then. */
  readonly closed: Promise<boolean>;
  /** Sends the rest of the body and ends the response. */
  finish(): void;
}

let server: Server;
let base: string;
const arrivals = new Map<string, (exchange: Exchange) => void>();

beforeEach(async () => {
  server = createServer((req, res) => {
    const closed = new Promise<boolean>((resolve) =>
      res.on("close", () => resolve(res.writableEnded)),
    );
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(BODY),
    });
    res.write(BODY.slice(0, HEAD_BYTES), () => {
      arrivals.get(req.url ?? "")?.({ closed, finish: () => res.end(BODY.slice(HEAD_BYTES)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  arrivals.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let nextPath = 0;

/** A fresh path, the server's view of the request to it, and when the client has its headers. */
function expectRequest(): { url: string; served: Promise<Exchange>; headers: Promise<void> } {
  const path = `/items/${nextPath++}`;
  const served = new Promise<Exchange>((resolve) => arrivals.set(path, resolve));
  // fetch (undici) publishes each response's headers on this channel as they arrive.
  const headers = new Promise<void>((resolve) => {
    const onHeaders = (message: unknown): void => {
      if ((message as { request: { path: string } }).request.path !== path) return;
      dc.unsubscribe("undici:request:headers", onHeaders);
      resolve();
    };
    dc.subscribe("undici:request:headers", onHeaders);
  });
  return { url: `${base}${path}`, served, headers };
}

/** Runs `fut` under `timeout(TIMEOUT_MS, …)` on an executor whose clock the test moves. */
function underTimeout<T>(fut: Future<T>): { outcome: Promise<unknown>; fire(): void } {
  const clock = new ManualClock();
  const ex = new LocalExecutor({ clock: clock });
  const outcome = ex.run(timeout(TIMEOUT_MS, fut)).then(
    (value) => ({ value }),
    (error: unknown) => error,
  );
  return { outcome, fire: () => clock.advance(TIMEOUT_MS) };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("fetch under a timeout, as the guides show it (examples/fetch.ts)", () => {
  it.each([
    ["fetchJson", fetchJson],
    ["fetchText", fetchText],
  ])("%s: a timeout that fires mid-body stops the download", async (_name, get) => {
    const { url, served, headers } = expectRequest();
    const run = underTimeout(get(url));
    const exchange = await served;
    await headers;
    await turn(); // the response reaches the promise chain: the body is being read
    run.fire();
    expect(await run.outcome).toBeInstanceOf(TimeoutError);
    // The server sees the connection go before it ever ended the body. (Were the download not
    // stopped, the server would wait for the test forever, and the test would time out.)
    expect(await exchange.closed).toBe(false);
  });

  it("the old pattern, a second fromPromise for the body, keeps downloading after the timeout", async () => {
    const { url, served } = expectRequest();
    // The body's promise, handed over once the block reads it (wrapped: a promise resolved with
    // a promise would wait for it).
    let reading: (started: { body: Promise<unknown> }) => void = () => {};
    const bodyRead = new Promise<{ body: Promise<unknown> }>((resolve) => {
      reading = resolve;
    });
    const headersOnly = asyncFn(function* (target: string) {
      const res = yield* fromPromise((signal) => fetch(target, { signal }));
      return yield* fromPromise(() => {
        const body = res.json();
        reading({ body });
        return body;
      });
    });
    const run = underTimeout(headersOnly(url));
    const exchange = await served;
    const { body } = await bodyRead; // the headers' future is done; the body is being read
    run.fire();
    expect(await run.outcome).toBeInstanceOf(TimeoutError);
    // Nothing aborted the request: the server can send the rest, and the client reads it all.
    exchange.finish();
    expect(await exchange.closed).toBe(true);
    expect(await body).toEqual(JSON.parse(BODY));
  });
});

describe("the guides, examples and TSDoc", () => {
  it("never read a response body in a fromPromise of its own, outside the fetch's signal", () => {
    const root = new URL("../../", import.meta.url);
    const files = [
      "README.md",
      ...readdirSync(new URL("docs/", root))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
      ...readdirSync(new URL("examples/", root)).map((f) => `examples/${f}`),
      ...readdirSync(new URL("src/", root), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `src/${f}`),
    ];
    const bodyOutsideSignal =
      /fromPromise\(\s*\(\)\s*=>\s*\w+\.(json|text|arrayBuffer|blob|formData|bytes)\(\)/;
    const offenders = files.filter((f) =>
      bodyOutsideSignal.test(readFileSync(new URL(f, root), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
