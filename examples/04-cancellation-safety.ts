/**
 * Scenario 4: cancellation safety.
 *
 * Part 1: writing a framed message (4-byte length prefix + payload) to a TCP socket is not
 * cancel-safe: a timeout can drop the write after half a frame went out. We write a frame over
 * a deliberately slow link under `timeout`, twice:
 *   - safely: the write's `finally` destroys the socket when the write did not finish, so the
 *     peer sees the connection close after a partial frame, which it discards; nothing else
 *     ever follows a torn frame. The next message goes over a fresh connection.
 *   - naively: after the timeout the client keeps using the same connection. The peer reads
 *     the rest of the torn frame out of the next messages: corrupted data.
 * The server parses frames and prints what it received; the safe run asserts no corruption.
 *
 * Part 2: `recv()` is cancel-safe. A `select` loop races `rx.recv()` against a timer; every
 * time the timer wins, the pending `recv()` is dropped, and still no message is lost.
 * Part 3: a bounded `send()` in a `select` loses its message when it loses; `reserve()` does not.
 */

import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";
import {
  asyncFn,
  channel,
  fromPromise,
  future,
  run,
  select,
  sleep,
  spawn,
  TimeoutError,
  timeout,
  unboundedChannel,
  yieldNow,
} from "wakeful";

export const title =
  "4. Cancellation safety: torn frames, shut-down sockets, a select loop over recv";

const t0 = performance.now();
const at = (): string => `[${String(Math.round(performance.now() - t0)).padStart(5)} ms]`;

// ---------------------------------------------------------------------------------------------
// The wire format and the server.

/** One frame: 4-byte big-endian length, then a JSON payload `{ seq, fill }`. */
function frame(seq: number, size: number): Buffer {
  const payload = Buffer.from(JSON.stringify({ seq, fill: "x".repeat(size) }));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

interface ConnectionReport {
  readonly good: number[];
  corrupt: number;
  leftover: number;
}

/** Parses frames per connection; a frame whose payload is not a valid `{ seq, fill }` is corrupt. */
function startServer(reports: ConnectionReport[]): Promise<Server> {
  const server = createServer((socket) => {
    const report: ConnectionReport = { good: [], corrupt: 0, leftover: 0 };
    reports.push(report);
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len > 1 << 20) {
          report.corrupt++; // a "length" read out of the middle of a payload
          buf = Buffer.alloc(0);
          socket.destroy();
          return;
        }
        if (buf.length < 4 + len) break;
        const payload = buf.subarray(4, 4 + len).toString();
        buf = buf.subarray(4 + len);
        try {
          const msg = JSON.parse(payload) as { seq: number; fill: string };
          if (!/^x*$/.test(msg.fill)) throw new Error("bad fill");
          report.good.push(msg.seq);
        } catch {
          report.corrupt++;
        }
      }
    });
    socket.on("close", () => {
      report.leftover = buf.length;
      const torn = buf.length > 0 ? `, then closed mid-frame (${buf.length} bytes discarded)` : "";
      console.log(
        `${at()}   server: connection ended: frames ${JSON.stringify(report.good)}, ` +
          `corrupt frames: ${report.corrupt}${torn}`,
      );
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---------------------------------------------------------------------------------------------
// The client side, as futures.

const connectTo = (port: number) =>
  fromPromise(
    () =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(port, "127.0.0.1", () => resolve(s));
        s.once("error", reject);
      }),
  );

/** Writes `bytes` and waits until the socket accepted them. */
const writeChunk = (socket: Socket, bytes: Buffer) =>
  fromPromise(
    () =>
      new Promise<void>((resolve, reject) =>
        socket.write(bytes, (err) => (err ? reject(err) : resolve())),
      ),
  );

/**
 * Writes a frame over a slow link: 2 KiB at a time, 40 ms apart. Not cancel-safe on its own,
 * so with `poisonOnDrop` a write that does not finish destroys the socket in its `finally`:
 * the connection is never reused after a torn frame.
 */
const writeFrameSlowly = asyncFn(function* (socket: Socket, bytes: Buffer, poisonOnDrop: boolean) {
  let done = false;
  try {
    for (let off = 0; off < bytes.length; off += 2048) {
      if (off > 0) yield* sleep(40);
      yield* writeChunk(socket, bytes.subarray(off, off + 2048));
    }
    done = true;
  } finally {
    if (!done && poisonOnDrop) {
      console.log(`${at()}   client: frame write dropped half-way: destroying the socket`);
      socket.destroy();
    }
  }
});

const sendBatch = asyncFn(function* (port: number, safe: boolean) {
  let socket = yield* connectTo(port);
  try {
    yield* timeout(150, writeFrameSlowly(socket, frame(1, 16_000), safe));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`${at()}   client: frame 1 timed out after 150 ms`);
  }
  if (safe) {
    // The old socket is gone; the next messages go over a fresh connection.
    socket = yield* connectTo(port);
  } else {
    console.log(`${at()}   client (naive): reusing the same connection for frames 2..11`);
  }
  for (let seq = 2; seq <= 11; seq++) yield* writeChunk(socket, frame(seq, 1000));
  socket.end();
  yield* sleep(100); // let the server read everything and see the close
});

// ---------------------------------------------------------------------------------------------
// Part 2: a select loop over recv() and a timer.

const selectLoop = future(function* () {
  const [tx, rx] = unboundedChannel<number>();
  const total = 300;
  spawn(
    future(function* () {
      for (let i = 0; i < total; i++) {
        tx.send(i);
        if (i % 7 === 0)
          yield* sleep(1); // bursts and pauses
        else yield* yieldNow();
      }
      tx.close();
    }),
  );
  const received: number[] = [];
  let ticks = 0;
  for (;;) {
    const r = yield* select(rx.recv(), sleep(0.5));
    if (r.index === 1) {
      ticks++; // the timer won: the pending recv() was dropped
      continue;
    }
    if (r.value.done) break;
    received.push(r.value.value);
  }
  const inOrder = received.every((v, i) => v === i);
  console.log(
    `   sent ${total}, received ${received.length}, in order: ${inOrder}; ` +
      `the timer won ${ticks} times, each time dropping a pending recv()`,
  );
  if (received.length !== total || !inOrder) throw new Error("a message was lost");
});

// Part 3: send() in a select is not cancel-safe; reserve() is.
const sendUnderPressure = asyncFn(function* (useReserve: boolean) {
  const [tx, rx] = channel<number>(1);
  const consumer = spawn(
    future(function* () {
      const got: number[] = [];
      for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) {
        got.push(r.value);
        yield* sleep(2); // a slow consumer
      }
      return got;
    }),
  );
  let gaveUp = 0;
  for (let i = 0; i < 40; ) {
    if (useReserve) {
      const r = yield* select(tx.reserve(), sleep(1));
      if (r.index === 0) r.value.send(i++);
      else gaveUp++; // nothing was sent; i is still ours, try again
    } else {
      const r = yield* select(tx.send(i), sleep(1));
      if (r.index === 1) gaveUp++; // a send() dropped while waiting took message i with it
      i++;
    }
  }
  tx.close();
  const got = yield* consumer;
  return { got: got.length, gaveUp };
});

export async function main(): Promise<void> {
  const reports: ConnectionReport[] = [];
  const server = await startServer(reports);
  const { port } = server.address() as AddressInfo;

  console.log("Part 1a: safe: a write dropped by the timeout shuts its connection down");
  await run(sendBatch(port, true));
  const safe = reports.splice(0);
  if (safe.some((r) => r.corrupt > 0)) throw new Error("safe run saw a corrupt frame");
  console.log("   -> the peer saw a closed connection and a fresh one: no corrupt frame\n");

  console.log("Part 1b: naive: the same connection is reused after the timeout");
  await run(sendBatch(port, false));
  const naive = reports.splice(0);
  const corrupt = naive.reduce((n, r) => n + r.corrupt, 0);
  console.log(
    `   -> a torn frame followed by more data: the peer read the rest of frame 1 out of ` +
      `frames 2..: ${corrupt} corrupt frame(s), ` +
      `and frames that arrived intact: ${JSON.stringify(naive.flatMap((r) => r.good))}\n`,
  );
  server.close();

  console.log("Part 2: select(rx.recv(), sleep(0.5)) in a loop: recv() is cancel-safe");
  await run(selectLoop);

  console.log("\nPart 3: a bounded channel(1) and a slow consumer, sender gives up after 1 ms");
  const lossy = await run(sendUnderPressure(false));
  console.log(
    `   select(tx.send(i), sleep(1)):    40 messages attempted, ${lossy.got} received: ` +
      `${40 - lossy.got} lost with a dropped send (the timer won ${lossy.gaveUp} times)`,
  );
  const safeSend = await run(sendUnderPressure(true));
  console.log(
    `   select(tx.reserve(), sleep(1)):  40 messages, ${safeSend.got} received: nothing lost ` +
      `(the timer won ${safeSend.gaveUp} times; a dropped reserve() sends nothing)`,
  );
  if (safeSend.got !== 40) throw new Error("reserve lost a message");
}
