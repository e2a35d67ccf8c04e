/**
 * Scenario 10: an HTTP service on `node:http`, run by `main()` from `wakeful/node`.
 *
 * - Each request becomes a task, spawned from the server's callback through a `Handle` and
 *   counted by a `TaskTracker`; its request id lives in an `AsyncLocalStorage` store set in
 *   the callback, and every log line reads it from there: after `spawn`, `sleep`, `retry`'s
 *   back-off and inside the promise code of a dependency behind `fromPromise`.
 * - Each request runs under a 2 s `timeout` (a 504 when it fires: the request's future is
 *   dropped, its dependency call aborted). A flaky dependency is called under `retry` with
 *   exponential back-off (a 502 once the retries are used up).
 * - The work itself goes through a bounded channel to two worker tasks (back-pressure: a
 *   request waits for a free slot, with `reserve`, which loses nothing if the timeout fires).
 * - SIGINT cancels the root's token: the server stops accepting, refuses (503) requests that
 *   still arrive on open connections, lets in-flight requests finish (a request parked
 *   "until shutdown" finishes *because* of it), waits for them under a deadline, and exits 0.
 *
 * `npm run demo` runs {@link main}: it starts the service as a child process (`serve`), sends
 * requests, sends SIGINT while some are in flight and shows what each got, the service's log
 * and its exit code. test/integration/http-service.test.ts checks the same run.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { spawn as spawnProcess } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import {
  asyncFn,
  type CancellationToken,
  channel,
  currentHandle,
  exponentialBackoff,
  fromPromise,
  future,
  type OneshotSender,
  oneshot,
  type Receiver,
  retry,
  type Sender,
  sleep,
  spawn,
  TaskTracker,
  TimeoutError,
  timeout,
} from "wakeful";
import { main as runMain } from "wakeful/node";

export const title =
  "10. An HTTP service: per-request tasks, timeouts, a worker channel, retries, graceful shutdown";

const REQUEST_TIMEOUT_MS = 2000;
const GRACE_MS = 5000;
const WORKERS = 2;
const QUEUE_CAPACITY = 4;

/** The request id of the request being served; `server` for the root and its workers. */
const requestId = new AsyncLocalStorage<string>();
const log = (message: string): void => console.log(`[${requestId.getStore() ?? "-"}] ${message}`);

interface Job {
  workMs: number;
  reply: OneshotSender<string>;
}

/**
 * A dependency with a promise API, outside wakeful: it fails the first `failures` calls of each
 * request. Its log line gets the request id from AsyncLocalStorage like everything else.
 */
function lookupQuote(attempt: number, failures: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const fails = attempt <= failures;
      log(`dependency: attempt ${attempt} ${fails ? "fails" : "answers"}`);
      if (fails) reject(new Error("dependency unavailable"));
      else resolve(`quote #${attempt}`);
    }, 10);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** A worker: takes jobs from the bounded channel until it is closed. */
const worker = asyncFn(function* (n: number, jobs: Receiver<Job>) {
  for (let r = yield* jobs.recv(); !r.done; r = yield* jobs.recv()) {
    const job = r.value;
    if (job.reply.isClosed) continue; // its request timed out or went away meanwhile
    yield* sleep(job.workMs); // stands in for real work
    if (!job.reply.isClosed) job.reply.send(`worker ${n} did ${job.workMs} ms of work`);
  }
});

/** What a request asks for: `?work=ms`, `?fail=n` (dependency failures), `?until-shutdown`. */
const handleRequest = asyncFn(function* (url: URL, jobs: Sender<Job>, token: CancellationToken) {
  if (url.searchParams.has("until-shutdown")) {
    yield* token.cancelled();
    log("the server is shutting down: finishing this request");
  }
  const failures = Number(url.searchParams.get("fail") ?? 0);
  const quote = yield* retry(
    (attempt) => fromPromise((signal) => lookupQuote(attempt, failures, signal)),
    {
      retries: 3,
      backoff: exponentialBackoff({ initialMs: 20, factor: 2 }),
      onRetry: ({ attempt, delayMs }) =>
        log(`attempt ${attempt} failed, retrying in ${delayMs} ms`),
    },
  );
  const [reply, answer] = oneshot<string>();
  const permit = yield* jobs.reserve(); // waits while the queue is full; cancel-safe
  permit.send({ workMs: Number(url.searchParams.get("work") ?? 20), reply });
  log("job queued");
  return `${quote}, ${yield* answer}`;
});

/** One request, as a task: the handler under a timeout, and the response. */
const serve = asyncFn(function* (
  path: string,
  respond: (status: number, body: string) => void,
  jobs: Sender<Job>,
  token: CancellationToken,
) {
  log(`start GET ${path}`);
  try {
    const body = yield* timeout(
      REQUEST_TIMEOUT_MS,
      handleRequest(new URL(path, "http://x"), jobs, token),
    );
    respond(200, body);
  } catch (error) {
    if (error instanceof TimeoutError) respond(504, `timed out after ${REQUEST_TIMEOUT_MS} ms`);
    else respond(502, String((error as Error).message));
  }
});

/** The service: the root future `main()` runs. */
export function service(token: CancellationToken) {
  return future(function* () {
    const handle = currentHandle();
    const requests = new TaskTracker();
    const [jobs, jobQueue] = channel<Job>(QUEUE_CAPACITY);
    for (let n = 1; n <= WORKERS; n++) spawn(worker(n, jobQueue), { name: `worker ${n}` });

    let next = 0;
    const server = createServer((req, res) => {
      const id = `req-${++next}`;
      requestId.run(id, () => {
        const respond = (status: number, body: string): void => {
          log(`respond ${status}: ${body}`);
          res.writeHead(status, { "x-request-id": id, "content-type": "text/plain" }).end(body);
        };
        if (token.isCancelled) return respond(503, "shutting down");
        const task = handle.spawn(requests.track(serve(req.url ?? "/", respond, jobs, token)), {
          name: id,
        });
        res.on("close", () => {
          if (!res.writableFinished) task.abort(); // the client went away
        });
      });
    });
    yield* fromPromise(
      () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    );
    log(`listening on port ${(server.address() as AddressInfo).port}`);

    try {
      yield* token.cancelled();
      log(`${String(token.reason)}: stop accepting, draining ${requests.size} requests`);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      requests.close();
      try {
        yield* timeout(GRACE_MS, requests.wait());
        log("every request answered");
        yield* timeout(1000, fromPromise(closed)); // responses flushed, connections closed
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        log(`grace period over: dropping ${requests.size} requests`);
      }
    } finally {
      jobs.close();
      server.closeAllConnections();
    }
  });
}

/** What one client request got: a response, or the error of a connection that was refused. */
export interface Exchange {
  path: string;
  status?: number;
  id?: string;
  body?: string;
  error?: string;
}

/** GET `path` on a fresh connection (no keep-alive, so shutdown closes connections cleanly). */
function get(port: number, path: string): Promise<Exchange> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ path, status: res.statusCode, id: res.headers["x-request-id"] as string, body }),
      );
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ path, error: error.code }));
    req.end();
  });
}

/** The requests of the scenario: fast, slow, flaky, failing, too slow, and one parked. */
export const PATHS = [
  "/fast",
  "/slow?work=300",
  "/flaky?fail=2",
  "/broken?fail=9",
  "/too-slow?work=6000",
  "/parked?until-shutdown",
];

/**
 * Starts the service in a child process, sends {@link PATHS}, sends SIGINT once the service has
 * started all of them, then one more request, and gathers everything.
 */
export function runScenario(): Promise<{
  exchanges: Exchange[];
  late: Exchange;
  lines: string[];
  exitCode: number | null;
}> {
  const self = fileURLToPath(import.meta.url);
  const child = spawnProcess(process.execPath, ["--import", "tsx", self, "serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let exchanges: Promise<Exchange[]> | undefined;
  let late: Promise<Exchange> | undefined;
  let port = 0;
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      lines.push(line);
      const listening = /^\[server\] listening on port (\d+)$/.exec(line);
      if (listening !== null) {
        port = Number(listening[1]);
        exchanges = Promise.all(PATHS.map((path) => get(port, path)));
      }
      const started = lines.filter((l) => / start GET /.test(l)).length;
      if (started === PATHS.length && late === undefined && / start GET /.test(line)) {
        child.kill("SIGINT");
        late = new Promise((resolve) => setTimeout(resolve, 50)).then(() => get(port, "/late"));
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on("exit", (exitCode) => {
      if (exchanges === undefined || late === undefined) {
        reject(
          new Error(
            `the service exited (${exitCode}) before the scenario ran:\n${lines.join("\n")}`,
          ),
        );
        return;
      }
      Promise.all([exchanges, late]).then(
        ([all, last]) => resolve({ exchanges: all, late: last, lines, exitCode }),
        reject,
      );
    });
  });
}

export async function main(): Promise<void> {
  console.log(`Starting the service as a child process; ${PATHS.length} requests, then SIGINT.\n`);
  const { exchanges, late, lines, exitCode } = await runScenario();
  console.log("The service's log (every line carries its request id from AsyncLocalStorage):");
  for (const line of lines) console.log(`  ${line}`);
  console.log("\nWhat each client got:");
  for (const e of [...exchanges, late]) {
    const got = e.error === undefined ? `${e.status} ${e.body} (${e.id})` : `refused: ${e.error}`;
    console.log(`  GET ${e.path.padEnd(24)} ${got}`);
  }
  console.log(`\nThe service exited with code ${exitCode} (a graceful shutdown is a success).`);
}

if (process.argv[2] === "serve" && process.argv[1] === fileURLToPath(import.meta.url)) {
  // The root gets a context of its own ("server"), inherited by the workers it spawns; each
  // request task gets the one its callback set up.
  requestId.run("server", () => runMain(service, { graceMs: GRACE_MS + 2000 }));
}
