/**
 * The task state word's named transitions (src/executor/task-state.ts): each one moves only
 * from the states it documents and says what the caller must do; anything else is a bug and
 * throws instead of corrupting the word.
 */
import { describe, expect, it } from "vitest";
import {
  ABORT,
  CANCELLED,
  DONE,
  IDLE,
  isDone,
  isPolling,
  isScheduled,
  mustQueue,
  NOTIFIED,
  onWake,
  PANIC,
  RUNNING,
  SCHEDULED,
  STATE,
  SUPERVISED,
  stateName,
  toAborting,
  toDone,
  toIdle,
  toRunning,
  toScheduled,
} from "../../src/executor/task-state.js";

const state = (bits: number) => bits & STATE;

describe("task state transitions", () => {
  it("a wake queues an idle task once, is remembered while running, and does nothing else", () => {
    const idle = IDLE | SUPERVISED;
    const woken = onWake(idle);
    expect(state(woken)).toBe(SCHEDULED);
    expect(woken & SUPERVISED).toBe(SUPERVISED); // flags survive every transition
    expect(mustQueue(idle, woken)).toBe(true);
    expect(onWake(woken)).toBe(woken);
    expect(mustQueue(woken, onWake(woken))).toBe(false);
    const running = toRunning(woken);
    expect(state(onWake(running))).toBe(NOTIFIED);
    expect(mustQueue(running, onWake(running))).toBe(false);
    const done = toDone(running, PANIC);
    expect(onWake(done)).toBe(done);
  });

  it("a Pending poll goes back to idle, or to scheduled when woken meanwhile", () => {
    const running = toRunning(toScheduled(IDLE));
    expect(state(toIdle(running))).toBe(IDLE);
    const notified = onWake(running);
    const again = toIdle(notified);
    expect(isScheduled(again)).toBe(true);
  });

  it("an abort queues an idle task, flags a running one and leaves a finished one", () => {
    expect(mustQueue(IDLE, toAborting(IDLE))).toBe(true);
    expect(toAborting(IDLE) & ABORT).toBe(ABORT);
    const running = toRunning(SCHEDULED);
    expect(toAborting(running)).toBe(running | ABORT);
    expect(isPolling(toAborting(running))).toBe(true);
    const done = toDone(running, CANCELLED);
    expect(toAborting(done)).toBe(done);
  });

  it("names states for task dumps", () => {
    expect([IDLE, SCHEDULED, RUNNING, NOTIFIED, DONE].map(stateName)).toEqual([
      "idle",
      "scheduled",
      "running",
      "running",
      "done",
    ]);
    expect(isDone(toDone(IDLE, CANCELLED))).toBe(true);
  });

  it("refuses transitions from the wrong state instead of corrupting the word", () => {
    expect(() => toScheduled(SCHEDULED)).toThrow(/toScheduled from state 1 \(scheduled\)/);
    expect(() => toRunning(IDLE)).toThrow(/toRunning/);
    expect(() => toRunning(RUNNING)).toThrow(/toRunning/);
    expect(() => toIdle(SCHEDULED)).toThrow(/toIdle/);
    expect(() => toDone(toDone(IDLE, PANIC), CANCELLED)).toThrow(/toDone/);
  });
});
