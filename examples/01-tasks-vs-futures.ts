/**
 * Scenario 1: tasks vs futures.
 *
 * - Calling an async function (`asyncFn`) returns a *future*: a value describing work that has
 *   not started. Its body does not run until something polls it.
 * - `spawn` turns a future into a *task*: the executor owns it and polls it concurrently with
 *   everything else. `yield* handle` waits for the task's value.
 * - A spawned logger whose handle is dropped is fire-and-forget: it keeps running.
 * - A `JoinSet` holds many tasks and hands back their values in the order they finish.
 */
import { asyncFn, future, JoinSet, run, sleep, spawn } from "wakeful";

export const title = "1. Tasks vs futures: lazy futures, spawned tasks, fire-and-forget";

let t0 = performance.now();
const at = (): string => `[${String(Math.round(performance.now() - t0)).padStart(4)} ms]`;

/** An async function: calling it builds a future; nothing in the body runs yet. */
const brewCoffee = asyncFn(function* (cups: number) {
  console.log(`${at()}   brewCoffee(${cups}): the body starts running now (first poll)`);
  yield* sleep(100);
  console.log(`${at()}   brewCoffee(${cups}): done`);
  return `${cups} cup(s) of coffee`;
});

/** A background logger: a loop that never finishes by itself. */
const heartbeat = asyncFn(function* (every: number) {
  try {
    for (let beat = 1; ; beat++) {
      yield* sleep(every);
      console.log(`${at()}   (logger) heartbeat #${beat}`);
    }
  } finally {
    console.log(`${at()}   (logger) dropped when run() ended: its finally block runs`);
  }
});

const order = asyncFn(function* (dish: string, ms: number) {
  yield* sleep(ms);
  return `${dish} (${ms} ms)`;
});

export async function main(): Promise<void> {
  t0 = performance.now();
  console.log("Calling brewCoffee(2) returns a future. Watch: no 'body starts' line appears.");
  const coffee = brewCoffee(2);
  console.log(`${at()} got ${coffee.constructor.name}; describe() says: "${coffee.describe()}"`);
  console.log(`${at()} (a JS Promise would already be running; this future is just a value)\n`);

  await new Promise((r) => setTimeout(r, 50));
  console.log(`${at()} 50 ms later, still nothing printed: a future is lazy.\n`);

  const value = await run(
    future(function* () {
      console.log(`${at()} run() polls the root; it spawns the coffee future as a task:`);
      const handle = spawn(coffee, { name: "coffee" });
      console.log(`${at()} spawn() only queued it (isFinished=${handle.isFinished});`);
      console.log(`${at()} the task starts when the root yields to the executor.`);

      console.log(
        `\n${at()} Spawning a heartbeat logger and dropping its handle (fire-and-forget).`,
      );
      spawn(heartbeat(40), { name: "logger" }).drop();

      console.log(`${at()} Now the root waits for the coffee task with yield* handle:`);
      const cups = yield* handle;
      console.log(`${at()} root got: "${cups}" (the logger kept ticking meanwhile)\n`);

      console.log(`${at()} A JoinSet: three orders, collected in the order they finish.`);
      const kitchen = new JoinSet<string>();
      kitchen.spawn(order("soup", 120));
      kitchen.spawn(order("salad", 30));
      kitchen.spawn(order("bread", 70));
      for (let r = yield* kitchen.joinNext(); !r.done; r = yield* kitchen.joinNext()) {
        console.log(`${at()}   served ${r.value} (left in the set: ${kitchen.size})`);
      }
      return cups;
    }),
  );
  console.log(`${at()} run() resolved with "${value}".`);
  console.log("The logger was never awaited; when the root finished, run() dropped it.");
}
