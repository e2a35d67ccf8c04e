/**
 * Scenario 2: sequential vs concurrent.
 *
 * - Two 1 s operations (load a config, connect to a database) awaited one after the other take
 *   about 2 s; started together with `join` they take about 1 s.
 * - HTTP requests against a local `node:http` server (each response takes ~200 ms): first one
 *   after another, then spawned as tasks and joined. Requests use `fetchText` (examples/fetch.ts):
 *   `fetch` and the body read in one `fromPromise`, under the `AbortSignal` it provides, so a
 *   dropped request is really aborted, download included.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { asyncFn, future, type JoinHandle, join, joinAll, run, sleep, spawn } from "wakeful";
import { fetchText } from "./fetch.js";

export const title = "2. Sequential vs concurrent: two yield*s vs join, HTTP one by one vs spawned";

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const loadConfig = asyncFn(function* () {
  yield* sleep(1000); // stands in for reading and parsing a config file
  return { port: 8080 };
});

const connectDb = asyncFn(function* () {
  yield* sleep(1000); // stands in for a database handshake
  return { connected: true };
});

/** A local server that answers each request after ~200 ms. */
function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const timer = setTimeout(() => res.end(`item ${req.url?.slice(1)}`), 200);
    res.on("close", () => clearTimeout(timer));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function main(): Promise<void> {
  console.log("Two 1 s operations, awaited one after the other (two yield*s):");
  let start = performance.now();
  await run(
    future(function* () {
      const config = yield* loadConfig();
      const db = yield* connectDb();
      return { config, db };
    }),
  );
  console.log(
    `  took ${seconds(performance.now() - start)} (about 2 s: the second waited for the first)\n`,
  );

  console.log("The same two operations with join(loadConfig(), connectDb()):");
  start = performance.now();
  const [config, db] = await run(join(loadConfig(), connectDb()));
  console.log(
    `  took ${seconds(performance.now() - start)} (about 1 s: both ran at once), ` +
      `got port ${config.port}, connected=${db.connected}\n`,
  );

  const server = await startServer();
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ids = [1, 2, 3, 4, 5];
    console.log(`A local server at ${base} answers each request after ~200 ms.`);

    console.log(`${ids.length} requests, one after another:`);
    start = performance.now();
    const oneByOne = await run(
      future(function* () {
        const bodies: string[] = [];
        for (const id of ids) bodies.push(yield* fetchText(`${base}/${id}`));
        return bodies;
      }),
    );
    console.log(`  took ${seconds(performance.now() - start)} for [${oneByOne.join(", ")}]`);

    console.log(`${ids.length} requests, each spawned as a task, then joined:`);
    start = performance.now();
    const spawned = await run(
      future(function* () {
        const handles: JoinHandle<string>[] = ids.map((id) =>
          spawn(fetchText(`${base}/${id}`), { name: `GET /${id}` }),
        );
        return yield* joinAll(handles);
      }),
    );
    console.log(`  took ${seconds(performance.now() - start)} for [${spawned.join(", ")}]`);
    console.log("  (about 200 ms instead of about 1 s: the requests overlapped)");
  } finally {
    server.closeAllConnections(); // fetch keeps idle connections open otherwise
    await new Promise<void>((resolve) => server.close(() => resolve()));
    console.log("\nServer closed.");
  }
}
