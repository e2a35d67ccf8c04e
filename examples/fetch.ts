/**
 * HTTP with `fetch`, the way the guides show it, shared by scenarios 2 and 3 and tested against
 * a local server in test/integration/fetch-timeout.test.ts.
 *
 * The whole exchange, headers *and* body, is one promise chain inside one `fromPromise` factory,
 * under its `AbortSignal`. Dropping the future (a `timeout` that fired, a `select` that lost
 * interest, an aborted task) aborts the signal, and `fetch` stops wherever it is, mid-body
 * included. Reading the body in a second `fromPromise`, once a first one has returned the
 * response, would leave it outside: the first future has finished by then, so nothing aborts
 * its signal, and the body keeps downloading after the timeout.
 */
import { type Future, fromPromise } from "wakeful";

/** GET `url` and parse the body as JSON; dropping the future stops the request and the download. */
export function fetchJson<T>(url: string): Future<T> {
  return fromPromise((signal) => fetch(url, { signal }).then((r) => r.json() as Promise<T>));
}

/** GET `url` and read the body as text; dropping the future stops the request and the download. */
export function fetchText(url: string): Future<string> {
  return fromPromise((signal) => fetch(url, { signal }).then((r) => r.text()));
}
