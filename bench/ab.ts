/**
 * A/B: two builds of wakeful side by side in one process, against native Promises, on the
 * executor's hot workloads (spawn+yield+join, and a suspend loop). Use it to check that a change
 * to the core or the executor is an improvement before trusting a single run of the full bench:
 * the two builds share the process, its heap and its noise, and alternate round by round.
 *
 * Build the baseline from another commit, then compare:
 * ```sh
 * git worktree add /tmp/base main && (cd /tmp/base && npm ci && npx tsup)
 * npx tsup
 * node --expose-gc --import tsx bench/ab.ts /tmp/base/dist/index.js dist/index.js [rounds]
 * ```
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Wakeful from "../src/index.js";
import { type Contender, measure, print } from "./harness.js";

const N = 1_000_000;

const [pathA, pathB, roundsArg] = process.argv.slice(2);
if (pathA === undefined || pathB === undefined) {
  console.error("usage: bench/ab.ts <build A index.js> <build B index.js> [rounds]");
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

const nativeChild = async (i: number): Promise<number> => {
  await null;
  return i;
};
async function nativeSpawnJoin(n: number): Promise<number> {
  const all: Promise<number>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = nativeChild(i);
  const values = await Promise.all(all);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum;
}
const nativeLoop = async (n: number): Promise<number> => {
  for (let i = 0; i < n; i++) await null;
  return n;
};

/** The executor bench's two timed workloads, written against one build's exports. */
function workloadsOf(w: typeof Wakeful): { spawnJoin: Contender["run"]; loop: Contender["run"] } {
  const child = w.asyncFn(function* (i: number) {
    yield* w.yieldNow();
    return i;
  });
  const spawnJoin = w.asyncFn(function* (n: number) {
    const handles: Wakeful.JoinHandle<number>[] = new Array(n);
    for (let i = 0; i < n; i++) handles[i] = w.spawn(child(i));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* handles[i] as Wakeful.JoinHandle<number>;
    return sum;
  });
  const loop = w.asyncFn(function* (n: number) {
    for (let i = 0; i < n; i++) yield* w.yieldNow();
    return n;
  });
  return { spawnJoin: () => w.run(spawnJoin(N)), loop: () => w.run(loop(N)) };
}

const per = builds.map(([name, w]) => ({ name, ...workloadsOf(w) }));

print(
  await measure({
    name: `spawn ${N} tasks, each yields once, join all`,
    rounds,
    contenders: [
      { name: "native Promise.all(async fns)", run: () => nativeSpawnJoin(N) },
      ...per.map((b) => ({ name: b.name, run: b.spawnJoin })),
    ],
  }),
);
print(
  await measure({
    name: `one task suspends ${N} times`,
    rounds,
    contenders: [
      { name: "native for { await null }", run: () => nativeLoop(N) },
      ...per.map((b) => ({ name: b.name, run: b.loop })),
    ],
  }),
);
