/**
 * joinAll workload (issue 3): 1e5 children, each pending once (it wakes itself) and then ready,
 * joined in one task. `Promise.all` over async functions that `await null` once is the
 * baseline; Effect is `Effect.all` unbounded. Effection (`all`) is measured at 1e4.
 *
 * wakeful's `joinAll` gives each child its own waker and polls only woken children, so the 1e5
 * children cost 2e5 polls in total.
 *
 * Run: `node --expose-gc --import tsx bench/run.ts join-all` (`npm run bench -- join-all`).
 */
import { Effect } from "effect";
import * as effection from "effection";
import type { Future } from "../src/index.js";
import type { Workload } from "./harness.js";
import { wakeful } from "./wakeful.js";

const { asyncFn, joinAll, run, yieldNow } = wakeful;

const N = 100_000;
const SMALL = 10_000;

const nativeChild = async (i: number): Promise<number> => {
  await null;
  return i;
};

async function nativeJoin(n: number): Promise<number> {
  const all: Promise<number>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = nativeChild(i);
  const values = await Promise.all(all);
  return values.length;
}

const wakefulChild = asyncFn(function* (i: number) {
  yield* yieldNow();
  return i;
});

function wakefulJoin(n: number) {
  const all: Future<number>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = wakefulChild(i);
  return joinAll(all);
}

function wakefulJoinBare(n: number) {
  const all: Future<void>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = yieldNow();
  return joinAll(all);
}

const effectChild = (i: number) => Effect.as(Effect.yieldNow, i);
function effectJoin(n: number) {
  const all: Effect.Effect<number>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = effectChild(i);
  return Effect.all(all, { concurrency: "unbounded" });
}

const RESOLVED = Promise.resolve();
function effectionJoin(n: number): Promise<unknown> {
  return effection.run(function* () {
    const all: effection.Operation<number>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      all[i] = {
        *[Symbol.iterator]() {
          yield* effection.until(RESOLVED);
          return i;
        },
      };
    }
    return yield* effection.all(all);
  });
}

export const workloads: Workload[] = [
  {
    name: `joinAll of ${N} children, each ready after one wake`,
    goal: "report (vs Promise.all)",
    rounds: 9,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeJoin(N) },
      { name: "wakeful joinAll(asyncFn children)", run: () => run(wakefulJoin(N)) },
      { name: "wakeful joinAll(yieldNow())", run: () => run(wakefulJoinBare(N)) },
      {
        name: "Effect.all, unbounded",
        run: () => Effect.runPromise(effectJoin(N)),
      },
    ],
  },
  {
    name: `joinAll of ${SMALL} children (small N, to include Effection)`,
    rounds: 5,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeJoin(SMALL) },
      { name: "wakeful joinAll(asyncFn children)", run: () => run(wakefulJoin(SMALL)) },
      { name: "Effection all", run: () => effectionJoin(SMALL) },
    ],
  },
];
