/**
 * Model-based property test of the LocalExecutor's scheduling invariants, stepped by hand:
 * - a task is never in the ready queue twice (tryRunOne's answers match a model whose queue
 *   holds each task at most once, and the queue is FIFO);
 * - every wake after a task's last poll leads to exactly one more poll;
 * - a wake during a task's own poll is never lost;
 * - nothing is polled after Ready or after drop; an aborted task is dropped exactly once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Context } from "../../src/core/context.js";
import { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import type { Waker } from "../../src/core/waker.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";

interface Behaviour {
  selfWakes: number;
  wakeOthers: number[];
  abortSelf: boolean;
  abortOther: number | null;
  ready: boolean;
}

const QUIET: Behaviour = {
  selfWakes: 0,
  wakeOthers: [],
  abortSelf: false,
  abortOther: null,
  ready: false,
};

type Command =
  | { kind: "step"; b: Behaviour }
  | { kind: "wake"; i: number; times: number }
  | { kind: "abort"; i: number }
  | { kind: "spawn" }
  | { kind: "dropHandle"; i: number };

interface World {
  probes: Probe[];
  handles: JoinHandle<number>[];
  behaviour: Behaviour;
}

class Probe extends Future<number> {
  polls = 0;
  drops = 0;
  finished = false;
  waker: Waker | undefined = undefined;
  violations: string[] = [];
  constructor(
    readonly index: number,
    readonly world: World,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.finished) this.violations.push("polled after Ready");
    if (this.drops > 0) this.violations.push("polled after drop");
    this.polls++;
    this.waker = cx.waker;
    const b = this.world.behaviour;
    for (let k = 0; k < b.selfWakes; k++) cx.waker.wake();
    const n = this.world.probes.length;
    for (const j of b.wakeOthers) this.world.probes[j % n]?.waker?.wake();
    if (b.abortSelf) this.world.handles[this.index]?.abort();
    if (b.abortOther !== null) this.world.handles[b.abortOther % n]?.abort();
    if (b.ready) {
      this.finished = true;
      return Poll.ready(this.polls);
    }
    return Poll.pending;
  }
  override drop(): void {
    this.drops++;
  }
}

type ModelState = "scheduled" | "idle" | "done";
interface ModelTask {
  state: ModelState;
  abort: boolean;
  polls: number;
  drops: number;
}

class Model {
  tasks: ModelTask[] = [];
  queue: number[] = [];

  spawn(): void {
    this.tasks.push({ state: "scheduled", abort: false, polls: 0, drops: 0 });
    this.queue.push(this.tasks.length - 1);
  }

  wake(i: number): void {
    const t = this.tasks[i] as ModelTask;
    if (t.state === "idle") {
      t.state = "scheduled";
      this.queue.push(i);
    }
  }

  abort(i: number): void {
    const t = this.tasks[i] as ModelTask;
    if (t.state === "done") return;
    t.abort = true;
    this.wake(i);
  }

  /** What one tryRunOne does; `hasWaker[j]` says whether probe j can be woken. */
  step(b: Behaviour, hasWaker: boolean[]): number | undefined {
    const id = this.queue.shift();
    if (id === undefined) return undefined;
    const t = this.tasks[id] as ModelTask;
    if (t.abort) {
      t.state = "done";
      t.drops++;
      return id;
    }
    t.polls++;
    hasWaker[id] = true;
    let notified = b.selfWakes > 0;
    const n = this.tasks.length;
    for (const j0 of b.wakeOthers) {
      const j = j0 % n;
      if (j === id) notified = true;
      else if (hasWaker[j]) this.wake(j);
    }
    if (b.abortSelf) t.abort = true;
    if (b.abortOther !== null) {
      const j = b.abortOther % n;
      if (j === id) t.abort = true;
      else this.abort(j);
    }
    if (b.ready) t.state = "done";
    else if (t.abort) {
      t.state = "done";
      t.drops++;
    } else if (notified) {
      t.state = "scheduled";
      this.queue.push(id);
    } else t.state = "idle";
    return id;
  }
}

const behaviourArb: fc.Arbitrary<Behaviour> = fc.record({
  selfWakes: fc.integer({ min: 0, max: 3 }).map((n) => (n === 3 ? 0 : n)),
  wakeOthers: fc.array(fc.nat(9), { maxLength: 2 }),
  abortSelf: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
  abortOther: fc.option(fc.nat(9), { freq: 8 }),
  ready: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
});

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("step" as const), b: behaviourArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("wake" as const),
      i: fc.nat(9),
      times: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("abort" as const), i: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("spawn" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dropHandle" as const), i: fc.nat(9) }) },
);

function check(ex: LocalExecutor, world: World, model: Model): void {
  const live = ex.tasks();
  const expectedLive = model.tasks
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.state !== "done")
    .map(({ t, i }) => ({ id: world.handles[i]?.id, state: t.state }));
  expect(live.map((t) => ({ id: t.id, state: t.state }))).toEqual(expectedLive);
  model.tasks.forEach((t, i) => {
    const probe = world.probes[i] as Probe;
    expect(world.handles[i]?.isFinished).toBe(t.state === "done");
    expect(probe.polls).toBe(t.polls);
    expect(probe.drops).toBe(t.drops);
    expect(probe.violations).toEqual([]);
  });
  // The model's queue never holds a task twice (and the executor agreed with it so far).
  expect(new Set(model.queue).size).toBe(model.queue.length);
}

describe("LocalExecutor scheduling invariants (model-based)", () => {
  it("matches a model where each task is queued at most once, FIFO, and no wake is lost", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(commandArb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 10 }),
        (initial, commands, finalWakes) => {
          const ex = new LocalExecutor({ manual: true, onUnhandledError: () => {} });
          const world: World = { probes: [], handles: [], behaviour: QUIET };
          const model = new Model();
          const hasWaker: boolean[] = [];
          const spawnOne = () => {
            const probe = new Probe(world.probes.length, world);
            world.probes.push(probe);
            world.handles.push(ex.spawn(probe));
            hasWaker.push(false);
            model.spawn();
          };
          for (let k = 0; k < initial; k++) spawnOne();

          for (const c of commands) {
            const n = world.probes.length;
            switch (c.kind) {
              case "spawn":
                spawnOne();
                break;
              case "wake": {
                const i = c.i % n;
                const w = world.probes[i]?.waker;
                if (w !== undefined) {
                  for (let k = 0; k < c.times; k++) {
                    w.wake();
                    model.wake(i);
                  }
                }
                break;
              }
              case "abort": {
                const i = c.i % n;
                world.handles[i]?.abort();
                model.abort(i);
                break;
              }
              case "dropHandle":
                world.handles[c.i % n]?.drop();
                break;
              case "step": {
                world.behaviour = c.b;
                const before = world.probes.map((p) => p.polls + p.drops);
                const polled = ex.tryRunOne();
                const expectedId = model.step(c.b, hasWaker);
                world.behaviour = QUIET;
                expect(polled).toBe(expectedId !== undefined);
                const changed = world.probes
                  .map((p, i) => (p.polls + p.drops !== (before[i] ?? 0) ? i : -1))
                  .filter((i) => i >= 0);
                expect(changed).toEqual(expectedId === undefined ? [] : [expectedId]);
                break;
              }
            }
            check(ex, world, model);
          }

          // Every task still queued gets exactly one more poll (or its drop), then the
          // executor stalls.
          const queued = model.queue.length;
          const pollsBefore = world.probes.map((p) => p.polls + p.drops);
          const inQueue = new Set(model.queue);
          expect(ex.runUntilStalled()).toBe(queued);
          for (let k = 0; k < inQueue.size; k++) model.step(QUIET, hasWaker);
          check(ex, world, model);
          world.probes.forEach((p, i) => {
            expect(p.polls + p.drops - (pollsBefore[i] ?? 0)).toBe(inQueue.has(i) ? 1 : 0);
          });

          // Any number of wakes after a task's last poll: exactly one more poll each.
          const idle = model.tasks
            .map((t, i) => (t.state === "idle" ? i : -1))
            .filter((i) => i >= 0);
          const pollsMid = world.probes.map((p) => p.polls);
          const woken = new Set<number>();
          idle.forEach((i, k) => {
            const times = finalWakes[k % finalWakes.length] ?? 0;
            for (let m = 0; m < times; m++) world.probes[i]?.waker?.wake();
            if (times > 0) woken.add(i);
          });
          expect(ex.runUntilStalled()).toBe(woken.size);
          world.probes.forEach((p, i) => {
            expect(p.polls - (pollsMid[i] ?? 0)).toBe(woken.has(i) ? 1 : 0);
            expect(p.violations).toEqual([]);
          });
          expect(ex.tryRunOne()).toBe(false);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
