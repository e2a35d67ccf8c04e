/**
 * Request context (issue 13): the spawn/join workload with an AsyncLocalStorage store active
 * around `run()` and without one. With a store, wakeful captures the caller's context once for
 * the root, every task inherits it by reference, and each poll runs inside it; without one,
 * nothing is captured and polls cost nothing extra. Native `Promise.all` is the baseline of
 * each, measured in the same state (with the store, Node's promise hooks are on for it too).
 *
 * Order matters: the workload without a store runs first, before any `als.run` has turned
 * Node's async hooks on; the workload with one turns them off again (`als.disable()`) when it
 * is done, so the workloads measured after it in the same process are not affected.
 *
 * Run: `npm run bench -- context`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { measure, type Row, type Workload } from "./harness.js";
import { nativeSpawnJoin, wakefulWorkloads } from "./spawn-suspend.js";
import { wakeful as wakefulBuild } from "./wakeful.js";

const N = 1_000_000;
const wakeful = wakefulWorkloads(wakefulBuild);
const als = new AsyncLocalStorage<{ requestId: string }>();
const STORE = { requestId: "req-1" };

async function withStore(): Promise<Row[]> {
  try {
    return await measure({
      name: `spawn ${N} tasks with an AsyncLocalStorage store active, join all`,
      rounds: 5,
      contenders: [
        {
          name: "native Promise.all(async fns) inside als.run",
          run: () => als.run(STORE, () => nativeSpawnJoin(N)),
        },
        {
          name: "wakeful spawn + yield* handle inside als.run",
          run: () => als.run(STORE, () => wakeful.spawnJoin(N)),
        },
      ],
    });
  } finally {
    als.disable();
  }
}

export const workloads: Workload[] = [
  {
    name: `spawn ${N} tasks, no AsyncLocalStorage store, join all`,
    goal: "wakeful <= 0.8x native Promise.all (nothing captured)",
    rounds: 5,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeSpawnJoin(N) },
      { name: "wakeful spawn + yield* handle", run: () => wakeful.spawnJoin(N) },
    ],
  },
  {
    name: "spawn with a store",
    goal: "wakeful <= 1.0x native Promise.all, both inside als.run",
    contenders: [],
    custom: withStore,
  },
];
