// Type-checked by test/dist/check.mjs as a browser project would: `lib: DOM`, no @types/node,
// skipLibCheck off, so every declaration file the package ships is checked.
import {
  CancellationToken,
  channel,
  future,
  type JoinHandle,
  join,
  run,
  select,
  sleep,
  spawn,
  timeout,
} from "wakeful";
import { SimExecutor } from "wakeful/testing";

const main = future(function* () {
  const token = new CancellationToken();
  const [tx, rx] = channel<number>(4);
  const producer: JoinHandle<void> = spawn(
    future(function* () {
      yield* tx.send(1);
      tx.close();
    }),
  );
  const first = yield* rx.recv();
  const [a, b] = yield* join(sleep(1), timeout(10, sleep(2)));
  const raced = yield* select(token.cancelled(), sleep(5));
  yield* producer;
  const signal: AbortSignal = token.signal;
  return { first, a, b, raced: raced.index, aborted: signal.aborted };
});

export const done: Promise<unknown> = run(main);
export const simulated: Promise<number> = new SimExecutor({ seed: 1 }).run(
  future(function* () {
    yield* sleep(1000);
    return 1;
  }),
);
