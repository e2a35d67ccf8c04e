/**
 * Random trees of join / select / timeout / abortable over sleeping leaves, run on a manual
 * clock with random completion orders, random aborts and a random drop of the whole tree, and
 * checked against a reference model that computes, for each node, when it completes and with
 * what. Every event (leaf completion, timeout deadline, abort, root drop) happens at a distinct
 * time, so the model is exact.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  type AbortHandle,
  abortable,
  type Context,
  Future,
  future,
  Instant,
  JoinError,
  join,
  joinAll,
  LocalExecutor,
  ManualClock,
  Poll,
  select,
  sleep,
  TimeoutError,
  timeout,
} from "../../src/index.js";
import { noopContext } from "../../src/testing/wakers.js";
import { driverOf } from "../time/driver-of.js";

type Node =
  | { kind: "leaf"; t: number; ok: boolean; id?: number }
  | { kind: "join"; children: Node[] }
  | { kind: "select"; children: Node[] }
  | { kind: "timeout"; t: number; child: Node }
  | { kind: "abort"; t: number; child: Node };

const { node: nodeArb } = fc.letrec<{
  node: Node;
  leaf: Node;
  join: Node;
  select: Node;
  timeout: Node;
  abort: Node;
}>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthSize: "small" },
    tie("leaf"),
    tie("join"),
    tie("select"),
    tie("timeout"),
    tie("abort"),
  ),
  leaf: fc.record({
    kind: fc.constant("leaf" as const),
    t: fc.integer({ min: 1, max: 40 }),
    ok: fc.boolean(),
  }),
  join: fc.record({
    kind: fc.constant("join" as const),
    children: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
  }),
  select: fc.record({
    kind: fc.constant("select" as const),
    children: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
  }),
  timeout: fc.record({
    kind: fc.constant("timeout" as const),
    t: fc.integer({ min: 1, max: 40 }),
    child: tie("node"),
  }),
  abort: fc.record({
    kind: fc.constant("abort" as const),
    t: fc.integer({ min: 1, max: 40 }),
    child: tie("node"),
  }),
}));

/**
 * Makes every event time distinct (keeping the drawn order) and numbers the leaves, on a copy
 * (fast-check's values must not be mutated: it reuses them while shrinking).
 */
function normalise(drawn: Node): { root: Node; leaves: number; events: number } {
  const root = structuredClone(drawn);
  let events = 0;
  let leaves = 0;
  const walk = (n: Node): void => {
    if (n.kind === "leaf" || n.kind === "timeout" || n.kind === "abort") {
      n.t = n.t * 1000 + ++events;
    }
    if (n.kind === "leaf") n.id = leaves++;
    else if (n.kind === "join" || n.kind === "select") n.children.forEach(walk);
    else walk(n.child);
  };
  walk(root);
  return { root, leaves, events };
}

type Outcome = { ok: true; value: unknown } | { ok: false; tag: string };
interface Result {
  time: number;
  outcome: Outcome;
}

/** The reference model. */
function model(n: Node): Result {
  switch (n.kind) {
    case "leaf":
      return {
        time: n.t,
        outcome: n.ok ? { ok: true, value: `v${n.id}` } : { ok: false, tag: `E${n.id}` },
      };
    case "join": {
      const rs = n.children.map(model);
      const errors = rs.filter((r) => !r.outcome.ok).sort((a, b) => a.time - b.time);
      if (errors.length > 0) return errors[0] as Result;
      return {
        time: Math.max(...rs.map((r) => r.time)),
        outcome: { ok: true, value: rs.map((r) => (r.outcome as { value: unknown }).value) },
      };
    }
    case "select": {
      const rs = n.children.map(model);
      let best = 0;
      for (let i = 1; i < rs.length; i++)
        if ((rs[i] as Result).time < (rs[best] as Result).time) best = i;
      const r = rs[best] as Result;
      return r.outcome.ok
        ? { time: r.time, outcome: { ok: true, value: { index: best, value: r.outcome.value } } }
        : r;
    }
    case "timeout": {
      const r = model(n.child);
      return r.time < n.t ? r : { time: n.t, outcome: { ok: false, tag: "timeout" } };
    }
    case "abort": {
      const r = model(n.child);
      return r.time < n.t ? r : { time: n.t, outcome: { ok: false, tag: "aborted" } };
    }
  }
}

class LeafError extends Error {
  constructor(readonly tag: string) {
    super(tag);
  }
}

/** Wraps a node's future and records every breach of the Future contract. */
class Probe<T> extends Future<T> {
  #ended = false;
  #dropped = false;
  constructor(
    readonly inner: Future<T>,
    readonly label: string,
    readonly violations: string[],
  ) {
    super();
  }
  poll(cx: Context): Poll<T> {
    if (this.#dropped) this.violations.push(`${this.label} polled after drop`);
    if (this.#ended) this.violations.push(`${this.label} polled after it ended`);
    try {
      const p = this.inner.poll(cx);
      if (p !== Poll.pending) this.#ended = true;
      return p;
    } catch (e) {
      this.#ended = true;
      throw e;
    }
  }
  override drop(): void {
    if (this.#dropped) this.violations.push(`${this.label} dropped twice`);
    if (this.#ended) this.violations.push(`${this.label} dropped after it ended`);
    this.#dropped = true;
    this.inner.drop();
  }
}

interface Run {
  finallies: number[];
  aborts: { at: number; handle: AbortHandle }[];
  violations: string[];
}

function build(n: Node, run: Run): Future<unknown> {
  const probe = (f: Future<unknown>, label: string) => new Probe(f, label, run.violations);
  switch (n.kind) {
    case "leaf": {
      const { t, ok, id } = n as { t: number; ok: boolean; id: number };
      return probe(
        future(function* () {
          try {
            yield* sleep(t);
            if (!ok) throw new LeafError(`E${id}`);
            return `v${id}`;
          } finally {
            run.finallies[id] = (run.finallies[id] ?? 0) + 1;
          }
        }),
        `leaf ${id}`,
      );
    }
    case "join":
      return probe(
        n.children.length === 2
          ? join(build(n.children[0] as Node, run), build(n.children[1] as Node, run))
          : joinAll(n.children.map((c) => build(c, run))),
        "join",
      );
    case "select":
      return probe(select(...n.children.map((c) => build(c, run))), "select");
    case "timeout":
      return probe(timeout(n.t, build(n.child, run)), "timeout");
    case "abort": {
      const [f, handle] = abortable(build(n.child, run));
      run.aborts.push({ at: n.t, handle });
      return probe(f, "abortable");
    }
  }
}

function tagOf(e: unknown): string {
  if (e instanceof LeafError) return e.tag;
  if (e instanceof TimeoutError) return "timeout";
  if (e instanceof AbortedError) return "aborted";
  return `unexpected: ${String(e)}`;
}

describe("combinator trees vs the reference model", () => {
  it("results, cleanup, polls and timers match the model", () => {
    fc.assert(
      fc.property(
        nodeArb,
        fc.option(fc.integer({ min: 1, max: 45 }), { nil: undefined }),
        (drawn, dropRaw) => {
          const { root: tree, leaves, events } = normalise(drawn);
          const dropAt = dropRaw === undefined ? undefined : dropRaw * 1000 + events + 1;
          const expected = model(tree);

          const clock = new ManualClock();
          const ex = new LocalExecutor({
            manual: true,
            onUnhandledError: (e) => run.violations.push(String(e)),
            clock: clock,
          });
          const driver = driverOf(ex);
          const run: Run = { finallies: [], aborts: [], violations: [] };
          let got: Result | undefined;
          const root = build(tree, run);
          const h = ex.spawn(
            future(function* () {
              try {
                const value = yield* root;
                got = { time: Instant.now().ms, outcome: { ok: true, value } };
              } catch (e) {
                got = { time: Instant.now().ms, outcome: { ok: false, tag: tagOf(e) } };
              }
            }),
          );

          const outside = [...run.aborts.map((a) => ({ at: a.at, fire: () => a.handle.abort() }))];
          if (dropAt !== undefined) outside.push({ at: dropAt, fire: () => h.abort() });
          outside.sort((a, b) => a.at - b.at);
          let next = 0;
          for (let steps = 0; steps < 10_000 && !h.isFinished; steps++) {
            ex.runUntilStalled();
            if (h.isFinished) break;
            const timer = clock.nextAlarm ?? Number.POSITIVE_INFINITY;
            const event = outside[next];
            if (event !== undefined && event.at <= timer) {
              clock.advanceTo(event.at);
              next++;
              event.fire();
            } else if (timer !== Number.POSITIVE_INFINITY) {
              clock.advanceTo(timer);
            } else {
              break;
            }
          }
          ex.runUntilStalled();

          expect(h.isFinished).toBe(true);
          if (dropAt !== undefined && dropAt < expected.time) {
            expect(got).toBeUndefined();
          } else {
            expect(got).toEqual(expected);
          }
          // every leaf started at time 0, so each one's finally ran exactly once
          expect(Array.from({ length: leaves }, (_, i) => run.finallies[i] ?? 0)).toEqual(
            Array.from({ length: leaves }, () => 1),
          );
          expect(run.violations).toEqual([]);
          expect(driver.size).toBe(0);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it("joinAll polls a child only when it was woken, whatever the order of wakes", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 30 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 120 }),
            ),
          ),
        ([n, script]) => {
          // script: i >= 0 wakes child i; -1 polls the join
          const polls = new Array<number>(n).fill(0);
          const woken = new Array<boolean>(n).fill(false);
          const wakers: ({ wake(): void } | undefined)[] = [];
          const children = Array.from(
            { length: n },
            (_, i) =>
              new (class extends Future<number> {
                poll(cx: Context): Poll<number> {
                  polls[i] = (polls[i] ?? 0) + 1;
                  wakers[i] = cx.waker;
                  return Poll.pending;
                }
              })(),
          );
          const j = joinAll(children);
          const cx = noopContext();
          j.poll(cx);
          const expectedPolls = new Array<number>(n).fill(1);
          for (const step of script) {
            if (step === -1) {
              for (let i = 0; i < n; i++) {
                if (woken[i]) expectedPolls[i] = (expectedPolls[i] ?? 0) + 1;
                woken[i] = false;
              }
              j.poll(cx);
            } else {
              woken[step] = true;
              wakers[step]?.wake();
            }
          }
          expect(polls).toEqual(expectedPolls);
          j.drop();
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("a root drop reports JoinError.cancelled and leaves no timer behind", async () => {
    const clock = new ManualClock();
    const ex = new LocalExecutor({ manual: true, clock: clock });
    const driver = driverOf(ex);
    const h = ex.spawn(join(timeout(100, sleep(50)), select(sleep(10), sleep(20))));
    ex.runUntilStalled();
    h.abort();
    ex.runUntilStalled();
    expect(driver.size).toBe(0);
    await expect(ex.run(h)).rejects.toSatisfy((e) => e instanceof JoinError && e.isCancelled);
  });
});
