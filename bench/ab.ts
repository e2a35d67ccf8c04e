/**
 * A/B: two builds of wakeful side by side in one process, against native Promises, on the
 * executor's hot workloads (spawn+yield+join, a suspend loop, two tasks taking turns) and on
 * channels (a producer and a consumer task, unbounded and bounded). Use it to check that a change
 * to the core or the executor is an improvement before trusting a single run of the full bench:
 * the two builds share the process, its heap and its noise, and alternate round by round.
 *
 * Build the baseline from another commit, then compare:
 * ```sh
 * git worktree add /tmp/base main && (cd /tmp/base && npm ci && npx tsup)
 * npx tsup
 * node --expose-gc --import tsx bench/ab.ts /tmp/base/dist/index.js dist/index.js [rounds]
 * ```
 *
 * With `--megamorphic`, each build first runs a mix of futures (timers, channels, join, select,
 * JoinSet, …), so the core's poll call sites see many classes, as in a real program. Changes
 * that only pay off there (or only in a quiet, monomorphic process) show up as such.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Wakeful from "../src/index.js";
import { nativeBounded, nativeUnbounded, wakefulChannelWorkloads } from "./channel-workloads.js";
import { measure, print } from "./harness.js";
import { nativeLoop, nativeSpawnJoin, nativeTurns, wakefulWorkloads } from "./spawn-suspend.js";

const N = 1_000_000;

const args = process.argv.slice(2);
const megamorphic = args.includes("--megamorphic");
const [pathA, pathB, roundsArg] = args.filter((a) => a !== "--megamorphic");
if (pathA === undefined || pathB === undefined) {
  console.error(
    "usage: bench/ab.ts <build A index.js> <build B index.js> [rounds] [--megamorphic]",
  );
  process.exit(2);
}
const rounds = roundsArg === undefined ? 9 : Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench/ab.ts: rounds must be a positive integer, got ${roundsArg}`);
  process.exit(2);
}

const load = async (path: string): Promise<typeof Wakeful> =>
  (await import(pathToFileURL(resolve(path)).href)) as typeof Wakeful;
const builds: [string, typeof Wakeful][] = [
  [`A ${pathA}`, await load(pathA)],
  [`B ${pathB}`, await load(pathB)],
];

/** Runs a mix of future kinds through `w`, so its poll call sites see many classes. */
async function exercise(w: typeof Wakeful): Promise<void> {
  const body = w.asyncFn(function* (i: number) {
    yield* w.ready(i);
    yield* w.pollFn(() => w.Poll.ready(1));
    yield* w.sleep(0);
    yield* w.join(
      w.yieldNow(),
      w.ready(2),
      w.lazy(() => 3),
    );
    yield* w.select(w.yieldNow(), w.pending());
    yield* w.timeout(1000, w.yieldNow());
    const [tx, rx] = w.channel<number>(4);
    yield* tx.send(1);
    yield* rx.recv();
    const [otx, orx] = w.oneshot<number>();
    otx.send(1);
    yield* orx;
    const set = new w.JoinSet<unknown>();
    set.spawn(w.ready(1));
    set.spawn(w.yieldNow());
    for (let r = yield* set.joinNext(); !r.done; r = yield* set.joinNext());
    yield* w.spawn(w.yieldNow());
    yield* w.fromPromise(() => Promise.resolve(1));
    return i;
  });
  const main = w.asyncFn(function* () {
    const handles = Array.from({ length: 200 }, (_, i) => w.spawn(body(i)));
    for (const h of handles) yield* h;
  });
  for (let i = 0; i < 5; i++) await w.run(main());
}

if (megamorphic) for (const [, w] of builds) await exercise(w);

const per = builds.map(([name, w]) => ({
  name,
  ...wakefulWorkloads(w),
  ...wakefulChannelWorkloads(w),
}));

type Build = (typeof per)[number];

/** Each workload: its name, the native baseline, and how to run it on one build. */
const workloads: [string, string, () => Promise<unknown>, (b: Build) => Promise<unknown>][] = [
  [
    `spawn ${N} tasks, each yields once, join all`,
    "native Promise.all(async fns)",
    () => nativeSpawnJoin(N),
    (b) => b.spawnJoin(N),
  ],
  [
    `one task suspends ${N} times`,
    "native for { await null }",
    () => nativeLoop(N),
    (b) => b.loop(N),
  ],
  [
    `two tasks take turns, ${N} suspends in all`,
    "native 2 x for { await null }",
    () => nativeTurns(N),
    (b) => b.turns(N),
  ],
  [
    `unbounded channel, ${N} msgs`,
    "native promise queue",
    () => nativeUnbounded(N),
    (b) => b.unbounded(N),
  ],
  [
    `bounded(16) channel, ${N} msgs`,
    "native promise queue",
    () => nativeBounded(N, 16),
    (b) => b.bounded(N, 16),
  ],
];

for (const [name, nativeName, native, wakeful] of workloads) {
  print(
    await measure({
      name,
      rounds,
      contenders: [
        { name: nativeName, run: native },
        ...per.map((b) => ({ name: b.name, run: () => wakeful(b) })),
      ],
    }),
  );
}
