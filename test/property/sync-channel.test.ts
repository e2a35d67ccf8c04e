/**
 * Property tests for the mpsc channel under random schedules with random cancellations.
 *
 * A hand-rolled scheduler drives producer and consumer "tasks" (each holds one pending future
 * polled with its own counting waker). Every step picks an actor and polls it, drops its
 * pending future (a cancellation, as a losing `select` branch would), or calls `tryRecv`.
 * Properties: no message is received twice or out of order per producer; every message whose
 * send completed is received; nothing sits in the buffer while a woken-less receive waits (no
 * lost wake-ups); closing every sender wakes every waiting receive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Future } from "../../src/core/future.js";
import { channel } from "../../src/sync/mpsc.js";
import type { Permit } from "../../src/sync/permit.js";
import { Probe } from "../sync/helpers.js";

type Msg = { p: number; m: number };

interface Producer {
  kind: "producer";
  id: number;
  next: number;
  viaReserve: boolean;
  probe: Probe<unknown> | undefined;
  seen: number;
  waitingSince: number;
}
interface Consumer {
  kind: "consumer";
  probe: Probe<IteratorResult<Msg, undefined>> | undefined;
  seen: number;
  waitingSince: number;
}
type Actor = Producer | Consumer;

const step = fc.record({
  actor: fc.nat({ max: 5 }),
  action: fc.constantFrom("poll", "poll", "poll", "poll", "drop", "tryRecv", "spurious"),
});

describe("channel under random schedules and cancellations", () => {
  it("delivers exactly once, in order, with no lost wake-ups", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(step, { maxLength: 300 }),
        (capacity, producers, viaReserve, steps) => {
          const [tx0, rx] = channel<Msg>(capacity);
          const txs = [tx0];
          for (let i = 1; i < producers; i++) txs.push(tx0.clone());
          const actors: Actor[] = [];
          for (let i = 0; i < producers; i++) {
            actors.push({
              kind: "producer",
              id: i,
              next: 0,
              viaReserve,
              probe: undefined,
              seen: 0,
              waitingSince: -1,
            });
          }
          actors.push({ kind: "consumer", probe: undefined, seen: 0, waitingSince: -1 });
          actors.push({ kind: "consumer", probe: undefined, seen: 0, waitingSince: -1 });
          let seq = 0;
          const confirmed = new Set<string>();
          const attempted = new Set<string>();
          const received: Msg[] = [];
          const key = (x: Msg) => `${x.p}:${x.m}`;

          const fresh = (a: Actor): void => {
            if (a.kind === "producer") {
              const msg = { p: a.id, m: a.next++ };
              attempted.add(key(msg));
              const tx = txs[a.id]!;
              const fut: Future<unknown> = a.viaReserve ? tx.reserve() : tx.send(msg);
              a.probe = new Probe(fut);
              (a.probe as unknown as { msg: Msg }).msg = msg;
            } else {
              a.probe = new Probe(rx.recv());
            }
            a.seen = 0;
            a.waitingSince = -1;
          };
          const poll = (a: Actor): void => {
            if (a.probe === undefined) fresh(a);
            const p = a.probe!;
            a.seen = p.woken;
            if (!p.poll()) {
              if (a.waitingSince < 0) a.waitingSince = seq++;
              return;
            }
            expect(p.error).toBeUndefined();
            if (a.kind === "producer") {
              const msg = (p as unknown as { msg: Msg }).msg;
              if (a.viaReserve) (p.value as Permit<Msg>).send(msg);
              confirmed.add(key(msg));
            } else {
              const r = p.value as IteratorResult<Msg, undefined>;
              expect(r.done).toBe(false);
              received.push(r.value as Msg);
            }
            a.probe = undefined;
          };

          // After every step: a receive that waits without having been woken implies every
          // buffered message is promised to a woken receive; a send (or reserve) that waits
          // without having been woken implies the channel is full.
          const checkNoLostWakeup = (): void => {
            const waiting = (a: Actor) => a.probe !== undefined && a.probe.woken === a.seen;
            const woken = (a: Actor) => a.probe !== undefined && a.probe.woken > a.seen;
            const consumers = actors.filter((a) => a.kind === "consumer");
            const producers = actors.filter((a) => a.kind === "producer");
            if (consumers.some(waiting)) {
              expect(rx.length).toBeLessThanOrEqual(consumers.filter(woken).length);
            }
            if (producers.some(waiting)) {
              const held = viaReserve ? producers.filter(woken).length : 0;
              expect(rx.length + held).toBe(capacity);
            }
            // FIFO: among waiters of one kind, none is woken before one that waited longer.
            for (const group of [consumers, producers]) {
              for (const x of group.filter(woken)) {
                for (const y of group.filter(waiting)) {
                  if (y.waitingSince >= 0) expect(y.waitingSince).toBeGreaterThan(x.waitingSince);
                }
              }
            }
          };

          for (const s of steps) {
            const a = actors[s.actor % actors.length]!;
            if (s.action === "drop") {
              a.probe?.drop();
              a.probe = undefined;
              a.waitingSince = -1;
            } else if (s.action === "tryRecv") {
              const m = rx.tryRecv();
              if (m !== undefined) received.push(m);
            } else if (s.action === "spurious" || a.probe === undefined || a.probe.woken > a.seen) {
              poll(a);
            }
            expect(rx.length).toBeLessThanOrEqual(capacity);
            checkNoLostWakeup();
          }

          // Settle: poll only woken actors until nothing is woken any more.
          for (let progress = true; progress; ) {
            progress = false;
            for (const a of actors) {
              if (a.probe !== undefined && a.probe.woken > a.seen) {
                poll(a);
                progress = true;
              }
            }
          }
          // No lost wake-ups: a waiting receive never coexists with buffered messages, and a
          // waiting send never coexists with free capacity.
          const waitingRecv = actors.some((a) => a.kind === "consumer" && a.probe !== undefined);
          if (waitingRecv) expect(rx.length).toBe(0);
          const waitingSend = actors.some((a) => a.kind === "producer" && a.probe !== undefined);
          if (waitingSend) expect(rx.length).toBe(capacity);

          // Close: cancel pending sends, close every sender, drain.
          for (const a of actors) {
            if (a.kind === "producer") {
              a.probe?.drop();
              a.probe = undefined;
            }
          }
          for (const tx of txs) tx.close();
          const pendingRecvs = actors.filter((a) => a.kind === "consumer" && a.probe !== undefined);
          for (let r = new Probe(rx.recv()); ; r = new Probe(rx.recv())) {
            expect(r.poll()).toBe(true);
            const v = r.value as IteratorResult<Msg, undefined>;
            if (v.done) break;
            received.push(v.value);
          }
          for (const a of pendingRecvs) {
            expect(a.probe!.woken).toBeGreaterThan(a.seen);
            expect(a.probe!.poll()).toBe(true);
            expect((a.probe!.value as IteratorResult<Msg>).done).toBe(true);
          }

          // Exactly once and in order per producer; every confirmed message arrived.
          const got = new Set(received.map(key));
          expect(got.size).toBe(received.length);
          for (const k of confirmed) expect(got.has(k)).toBe(true);
          for (const k of got) expect(attempted.has(k)).toBe(true);
          const last = new Map<number, number>();
          for (const x of received) {
            expect(x.m).toBeGreaterThan(last.get(x.p) ?? -1);
            last.set(x.p, x.m);
          }
          if (viaReserve) expect(got.size).toBe(confirmed.size);
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
  });
});
