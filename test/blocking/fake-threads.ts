// In-process threads for testing the blocking pool's Dispatcher: each FakeThread runs
// the real WorkerRuntime, but the test decides when it boots, when it takes its next message,
// when its running job ends, when its replies reach the pool, and when it crashes. Messages
// are structured-cloned with their transfer lists as postMessage does (a transferred buffer is
// detached here, and a detached one arrives empty there).
import type { Platform } from "../../src/blocking/dispatcher.js";
import {
  JOB_FUNCTION,
  type JobMessage,
  type ReplyMessage,
  type TransferItem,
  type WorkerStartData,
} from "../../src/blocking/protocol.js";
import { WorkerRuntime } from "../../src/blocking/worker-runtime.js";
import type { ThreadEvents, ThreadPort } from "../../src/blocking/worker-slot.js";
import type { AlarmHandle, Clock } from "../../src/core/clock.js";

/** What every model job returns: its tag, its id, and the bytes it received. */
export type Echo = [tag: string, id: number, byteLength: number, firstByte: number];

/** The body shared by every job kind: counts the run, echoes what it got. */
export function echo(tag: string, id: number, runs: Int32Array, bytes: ArrayBuffer | null): Echo {
  Atomics.add(runs, id, 1);
  if (bytes === null) return [tag, id, -1, -1];
  return [tag, id, bytes.byteLength, bytes.byteLength === 0 ? -1 : new Uint8Array(bytes)[0]!];
}

/** How a thread ended, as the model needs it to judge the jobs it failed. */
export interface Crash {
  /** The thread had booted (ran its runtime) before it died. */
  booted: boolean;
  /** The job running when it died (a `hold` job), if any. */
  culprit: number | undefined;
}

export class FakeThread implements ThreadPort {
  state: "booting" | "up" | "crashed" | "terminated" = "booting";
  readonly inbox: JobMessage[] = [];
  readonly outbox: ReplyMessage[] = [];
  /** The `hold` job running now, and how to end it. */
  hold: { id: number; end: () => void } | undefined = undefined;
  exited = false;
  referenced = false;
  crash: Crash | undefined = undefined;
  /** Ids of the jobs whose messages were posted to it. */
  readonly handed = new Set<number>();
  #runtime: WorkerRuntime | undefined = undefined;

  constructor(
    readonly data: WorkerStartData,
    readonly events: ThreadEvents,
  ) {}

  /** Alive from the pool's point of view: something may still happen on it. */
  get live(): boolean {
    return (
      this.state === "booting" || this.state === "up" || (this.state === "crashed" && !this.exited)
    );
  }

  post(message: JobMessage, transfer: readonly TransferItem[] | undefined): void {
    const copy = structuredClone(message, {
      transfer: (transfer ?? []) as never,
    });
    this.handed.add((copy[0] === JOB_FUNCTION ? copy[4] : copy[3])[0] as number);
    if (this.state === "booting" || this.state === "up") this.inbox.push(copy);
  }

  ref(): void {
    this.referenced = true;
  }

  unref(): void {
    this.referenced = false;
  }

  terminate(): Promise<unknown> {
    this.state = "terminated";
    this.inbox.length = 0;
    this.outbox.length = 0;
    this.hold = undefined;
    return Promise.resolve(1);
  }

  /** Boots (if booting) or takes the next message in; false when there was nothing to do. */
  step(): boolean {
    if (this.state === "booting") {
      this.state = "up";
      this.#runtime = new WorkerRuntime(this.data, {
        post: (reply, transfer) => {
          const copy = structuredClone(reply, {
            transfer: (transfer ?? []) as never,
          });
          if (this.state === "up") this.outbox.push(copy);
        },
        // A thenable that resolves at once, so the whole model runs synchronously.
        // biome-ignore lint/suspicious/noThenProperty: the runtime awaits a thenable here
        importModule: () => ({ then: (ok: (m: object) => void) => ok(this.#tasks()) }) as never,
      });
      return true;
    }
    if (this.state !== "up" || this.inbox.length === 0) return false;
    this.#runtime?.receive(this.inbox.shift() as JobMessage);
    return true;
  }

  /** Ends the running `hold` job; false when none runs. */
  finish(): boolean {
    const hold = this.hold;
    if (hold === undefined || this.state !== "up") return false;
    this.hold = undefined;
    hold.end();
    return true;
  }

  /** Hands the oldest reply to the pool, or, once a dead thread has none left, its exit. */
  deliver(): boolean {
    if (this.state === "terminated" || this.exited) return false;
    const reply = this.outbox.shift();
    if (reply !== undefined) {
      this.events.reply(reply);
      return true;
    }
    if (this.state !== "crashed") return false;
    this.exited = true;
    this.events.exit(new Error("the fake thread crashed"));
    return true;
  }

  /** Dies now: the running job never answers, the messages not taken in are lost. */
  die(): void {
    if (this.state !== "booting" && this.state !== "up") return;
    this.crash = { booted: this.state === "up", culprit: this.hold?.id };
    this.state = "crashed";
    this.inbox.length = 0;
    this.hold = undefined;
  }

  /** The task module: `echo` answers at once, `hold` runs until the test ends it. */
  #tasks(): Record<string, unknown> {
    return {
      echo: (id: number, runs: Int32Array, bytes: ArrayBuffer | null) =>
        echo("echo", id, runs, bytes),
      hold: (id: number, runs: Int32Array, bytes: ArrayBuffer | null) => {
        const result = echo("hold", id, runs, bytes);
        return {
          // biome-ignore lint/suspicious/noThenProperty: an async job the test ends by hand
          then: (ok: (value: Echo) => void) => {
            this.hold = { id, end: () => ok(result) };
          },
        };
      },
    };
  }
}

/** A clock whose alarms the test fires by hand, oldest first, whatever their deadlines. */
export class FakeTimers implements Clock {
  #next = 0;
  readonly pending = new Map<number, () => void>();
  now(): number {
    return 0;
  }
  setAlarm(_deadline: number, callback: () => void): AlarmHandle {
    const id = ++this.#next;
    this.pending.set(id, callback);
    return { cancel: () => void this.pending.delete(id), keepAlive: () => {} };
  }
  fireOldest(): boolean {
    const first = this.pending.entries().next();
    if (first.done) return false;
    this.pending.delete(first.value[0]);
    first.value[1]();
    return true;
  }
}

/** A platform whose threads are {@link FakeThread}s. */
export class FakePlatform implements Platform {
  readonly threads: FakeThread[] = [];
  readonly clock = new FakeTimers();
  readonly startThread = (data: WorkerStartData, events: ThreadEvents): ThreadPort => {
    const thread = new FakeThread(data, events);
    this.threads.push(thread);
    return thread;
  };
  availableParallelism(): number {
    return 2;
  }
}
