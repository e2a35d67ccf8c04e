/**
 * Noticing that the host is about to exit while work is still pending (Node's `beforeExit`,
 * which Deno and Bun have too). A pending timer, socket, worker or scheduled drain keeps the
 * event loop alive, so `beforeExit` comes only when nothing is left that could ever wake a
 * waiting task: the moment `run()` reports a deadlock instead of letting the process exit
 * silently. Installed with the Node host (host.ts) as its `exit` notice.
 *
 * Invariants:
 * - At most one `beforeExit` listener per process, added when the first watcher comes and
 *   removed when the last goes. A `beforeExit` listener never keeps the process alive, and
 *   while nothing is watched there is none, so exit codes are untouched.
 * - Each `beforeExit` tells the oldest watcher only, and removes it. When others remain, one
 *   macrotask keeps the loop alive for a turn: telling one watcher ends a run and drops its
 *   tasks, which may wake another; if they are still stuck, `beforeExit` comes again.
 * @module
 */
import process from "node:process";
import { macrotask } from "../executor/host-slice.js";

/** Watchers in the order they came; a Set keeps insertion order. */
const watchers = new Set<() => void>();
let listening = false;

const nothing = (): void => {};

/**
 * @internal Tells the oldest watcher that the host is about to exit (removing it), as a
 * `beforeExit` does. Exported for tests, which cannot wait for their own process to exit.
 */
export function notifyHostExit(): void {
  const first = watchers.values().next();
  if (first.done === true) return;
  unwatchExit(first.value);
  if (watchers.size > 0) macrotask(nothing);
  first.value();
}

/**
 * @internal Calls `onExit` once if the host is about to exit before {@link unwatchExit} is
 * called with it.
 */
export function watchExit(onExit: () => void): void {
  watchers.add(onExit);
  if (listening) return;
  process.on("beforeExit", notifyHostExit);
  listening = true;
}

/** @internal Stops watching for `onExit` (a no-op if it is not watched). */
export function unwatchExit(onExit: () => void): void {
  if (!watchers.delete(onExit) || watchers.size > 0 || !listening) return;
  listening = false;
  process.off("beforeExit", notifyHostExit);
}
