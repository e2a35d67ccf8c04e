/**
 * The executor's two timed workloads (issue 2), shared by `executor.bench.ts` and `ab.ts`:
 * spawn N tasks that each yield once and join them all, and one task suspending N times. The
 * wakeful side is written against a build's exports, so `ab.ts` can run it on two builds.
 * Every body is defined once per build (no closure per task).
 */
import type * as Wakeful from "../src/index.js";

const nativeChild = async (i: number): Promise<number> => {
  await null;
  return i;
};

/** `Promise.all` of `n` async functions that each `await null` once. */
export async function nativeSpawnJoin(n: number): Promise<number> {
  const all: Promise<number>[] = new Array(n);
  for (let i = 0; i < n; i++) all[i] = nativeChild(i);
  const values = await Promise.all(all);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum;
}

/** One async function awaiting `null` `n` times. */
export async function nativeLoop(n: number): Promise<number> {
  for (let i = 0; i < n; i++) await null;
  return n;
}

/** Two async functions awaiting `null` `n / 2` times each, side by side. */
export async function nativeTurns(n: number): Promise<number> {
  const [a, b] = await Promise.all([nativeLoop(n >> 1), nativeLoop(n >> 1)]);
  return a + b;
}

/**
 * The same workloads on one build of wakeful, each run as the root of `run()`. `turns` is the
 * suspend loop with another task always ready, so every yield goes through the ready queue
 * (a task yielding alone goes on at once: the executor would poll it next anyway).
 */
export function wakefulWorkloads(w: typeof Wakeful): {
  spawnJoin: (n: number) => Promise<number>;
  loop: (n: number) => Promise<number>;
  turns: (n: number) => Promise<number>;
} {
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
  const turns = w.asyncFn(function* (n: number) {
    const a = w.spawn(loop(n >> 1));
    const b = w.spawn(loop(n >> 1));
    return (yield* a) + (yield* b);
  });
  return {
    spawnJoin: (n) => w.run(spawnJoin(n)),
    loop: (n) => w.run(loop(n)),
    turns: (n) => w.run(turns(n)),
  };
}
