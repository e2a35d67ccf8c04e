/**
 * Scenario 3: race with a timeout.
 *
 * - Fetch a user from a local server under `timeout(5000, …)`: the server is quick, the fetch
 *   wins, and the 5 s timer is cancelled at once (nothing keeps the process alive afterwards).
 * - The same fetch against a slow endpoint, which sends its headers and the start of the body
 *   at once and the rest 2 s later, raced with `select` against a short 300 ms timer (a real
 *   service would keep the 5 s deadline; a short one keeps the demo fast). The timer wins; the
 *   losing fetch is dropped before `select` returns: its `finally` block runs at once and the
 *   server sees the download aborted half-way (`fetchJson` reads the body under the signal too).
 * - The same with `timeout` directly: `TimeoutError`, and the same cleanup.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { asyncFn, future, run, select, sleep, TimeoutError, timeout } from "wakeful";
import { fetchJson } from "./fetch.js";

export const title = "3. Race with a timeout: the loser is dropped and its cleanup runs";

let t0 = performance.now();
const at = (): string => `[${String(Math.round(performance.now() - t0)).padStart(5)} ms]`;

interface User {
  id: number;
  name: string;
}

/** Fetch a user as JSON; dropping the future aborts the request, mid-body too (see fetch.ts). */
const fetchUser = asyncFn(function* (base: string, path: string) {
  console.log(`${at()}   fetchUser: GET ${path}`);
  try {
    return yield* fetchJson<User>(`${base}${path}`);
  } finally {
    console.log(`${at()}   fetchUser(${path}): finally block runs (cleanup)`);
  }
});

/**
 * `/users/fast` answers after 50 ms. `/users/slow` sends the headers and the start of the body
 * at once and the rest after 2 s. Logs downloads the client aborted.
 */
function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const body = JSON.stringify({ id: 7, name: "Ada" });
    const slow = req.url === "/users/slow";
    let sent = 0;
    if (slow) {
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      sent = Math.floor(body.length / 2);
      res.write(body.slice(0, sent));
    }
    const timer = setTimeout(
      () => {
        if (!slow) res.setHeader("content-type", "application/json");
        res.end(body.slice(sent));
      },
      slow ? 2000 : 50,
    );
    res.on("close", () => {
      clearTimeout(timer);
      if (!res.writableFinished) {
        const what = res.headersSent ? `the download of ${req.url} half-way` : req.url;
        console.log(`${at()}   server: the client aborted ${what}`);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function main(): Promise<void> {
  const server = await startServer();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t0 = performance.now();
  try {
    console.log("1) timeout(5000, fetchUser(fast)): the fetch wins.");
    const user = await run(timeout(5000, fetchUser(base, "/users/fast")));
    console.log(`${at()} got ${user.name}; the 5 s timer was cancelled when the fetch won.\n`);

    console.log("2) select(fetchUser(slow), sleep(300)): the timer wins (5 s in real life).");
    await run(
      future(function* () {
        const r = yield* select(fetchUser(base, "/users/slow"), sleep(300));
        if (r.index === 1) {
          console.log(`${at()} select returned: the timer won; the fetch was already dropped.`);
        } else {
          console.log(`${at()} got ${r.value.name}`);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server log its side
    console.log();

    console.log("3) timeout(300, fetchUser(slow)): TimeoutError, same cleanup.");
    await run(
      future(function* () {
        try {
          yield* timeout(300, fetchUser(base, "/users/slow"));
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          console.log(`${at()} caught TimeoutError: "${e.message}"`);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    server.closeAllConnections(); // fetch keeps idle connections open otherwise
    await new Promise<void>((resolve) => server.close(() => resolve()));
    console.log(`${at()} server closed.`);
  }
}
