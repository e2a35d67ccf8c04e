/**
 * Scenario 7: an executor by hand, from the core alone.
 *
 * This follows tokio's "build your own executor" walkthrough (mini-tokio): the executor is a
 * channel of tasks and a loop. Spawning sends a task into the channel; the run loop receives
 * tasks and polls them; each task's waker sends the task back into the channel. That is all an
 * executor is. The executor below uses nothing but the core: `Future`, `Context`, `Waker`,
 * `Poll`.
 *
 * It runs the thread-timed `Delay` from examples/06 and two async blocks that `sleep`: leaf
 * futures need nothing but the waker they are polled with, and `sleep` falls back to a shared
 * default timer driver when the executor polling it provides no clock.
 */
import { Context, type Future, future, Poll, sleep, Waker } from "wakeful";
import { Delay } from "./06-futures-by-hand.js";

export const title = "7. An executor by hand, from core alone: a channel, wakers, a run loop";

// ---------------------------------------------------------------------------------------------
// A tiny unbounded channel: an array queue, plus a resolver the receiver awaits when empty.

class Channel<T> {
  #items: T[] = [];
  #head = 0;
  #receiverWaiting: (() => void) | undefined;

  send(item: T): void {
    this.#items.push(item);
    const resume = this.#receiverWaiting;
    this.#receiverWaiting = undefined;
    resume?.(); // the run loop was parked on an empty channel: let it go on
  }

  /** Takes the next item, waiting (as a Promise) while the channel is empty. */
  async recv(): Promise<T> {
    while (this.#head === this.#items.length) {
      await new Promise<void>((resolve) => {
        this.#receiverWaiting = resolve;
      });
    }
    const item = this.#items[this.#head++] as T;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return item;
  }
}

// ---------------------------------------------------------------------------------------------
// A task: a future, plus a waker that sends the task back into the channel.

class Task {
  readonly name: string;
  readonly #future: Future<unknown>;
  readonly #cx: Context;
  #queued = false; // in the channel already: a second wake must not queue it twice
  done = false;
  polls = 0;
  wakes = 0;

  constructor(name: string, fut: Future<unknown>, channel: Channel<Task>) {
    this.name = name;
    this.#future = fut;
    const task = this;
    // The whole trick: waking a task = sending it into the executor's channel.
    const waker = Waker.from({
      wake() {
        task.wakes++;
        if (task.done || task.#queued) return;
        task.#queued = true;
        channel.send(task);
      },
    });
    this.#cx = Context.from(waker);
  }

  schedule(): void {
    this.#cx.waker.wake();
  }

  /** Polls the future once; returns true when it finished. */
  poll(): boolean {
    this.#queued = false; // a wake from now on (even during this poll) queues it again
    this.polls++;
    try {
      const p = this.#future.poll(this.#cx);
      if (Poll.isPending(p)) return false;
      console.log(`  [executor] task "${this.name}" finished with ${JSON.stringify(p.value)}`);
    } catch (error) {
      console.log(`  [executor] task "${this.name}" failed: ${String(error)}`);
    }
    this.done = true;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// The executor: spawn sends into the channel; run receives and polls until no task is left.

class MiniExecutor {
  readonly #channel = new Channel<Task>();
  readonly #tasks: Task[] = [];

  spawn(name: string, fut: Future<unknown>): void {
    const task = new Task(name, fut, this.#channel);
    this.#tasks.push(task);
    task.schedule(); // not polled here: queued for the run loop
  }

  async run(): Promise<void> {
    let alive = this.#tasks.filter((t) => !t.done).length;
    while (alive > 0) {
      const task = await this.#channel.recv(); // parks here while every task waits
      if (task.done) continue;
      console.log(`  [executor] polling "${task.name}" (poll #${task.polls + 1})`);
      if (task.poll()) alive--;
    }
    console.log("  [executor] no task left: run() returns");
    for (const t of this.#tasks) {
      console.log(
        `    "${t.name}": polled ${t.polls} times, woken ${t.wakes} times (the first schedule included)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

export async function main(): Promise<void> {
  const t0 = performance.now();
  const at = (): string => `${String(Math.round(performance.now() - t0)).padStart(4)} ms`;
  const mini = new MiniExecutor();

  console.log("Spawning three tasks on a home-made executor (nothing runs until run()):\n");
  mini.spawn(
    "delay",
    future(function* () {
      yield* new Delay(250, { log: (line) => console.log(`  [delay] ${line}`) });
      return `Delay(250) done at ${at()}`;
    }),
  );
  mini.spawn(
    "tea",
    future(function* () {
      console.log(`  [tea] boiling water (${at()})`);
      yield* sleep(100);
      console.log(`  [tea] steeping (${at()})`);
      yield* sleep(100);
      return `tea ready at ${at()}`;
    }),
  );
  mini.spawn(
    "toast",
    future(function* () {
      console.log(`  [toast] in the toaster (${at()})`);
      yield* sleep(150);
      return `toast ready at ${at()}`;
    }),
  );

  await mini.run();
  console.log(
    "\nEach task was polled once to start, then once per wake-up. Nothing polled a task that" +
      "\nhad not been woken: that is the whole contract between futures and executors.",
  );
}
