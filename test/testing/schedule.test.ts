import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DRAW_LEVELS,
  drawValue,
  encodeTrace,
  Schedule,
  scheduleData,
} from "../../src/testing/schedule.js";

describe("Schedule", () => {
  it("a trace survives printing and parsing, with run-length encoding", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 2000 })), { maxLength: 200 }),
        fc.nat(),
        (choices, checksum) => {
          const text = encodeTrace(choices, checksum);
          const parsed = Schedule.parse(text);
          expect(parsed.kind).toBe("trace");
          expect(scheduleData(parsed)?.choices).toEqual(choices);
          expect(String(parsed)).toBe(text);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
    expect(encodeTrace([0, 0, 0, 0, 0, 1, 40, 2, 2], 0)).toBe("w1:0*5*1(14)22.0000");
  });

  it("deviations survive printing and parsing", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(500), fc.nat(40)), { maxLength: 20 }), (entries) => {
        const s = Schedule.fromDeviations(entries);
        expect(s.kind).toBe("deviations");
        const again = Schedule.parse(String(s));
        expect(scheduleData(again)?.deviations).toEqual(scheduleData(s)?.deviations);
        const steps = (scheduleData(s)?.deviations ?? []).map(([step]) => step);
        expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(
      String(
        Schedule.fromDeviations([
          [9, 1],
          [3, 0],
        ]),
      ),
    ).toBe("w1d:3.0,9.1");
    expect(String(Schedule.parse("w1d:"))).toBe("w1d:");
  });

  it("rejects malformed text with a message saying what was expected", () => {
    expect(() => Schedule.parse(5 as never)).toThrow(TypeError);
    expect(() => Schedule.parse("x1:00.0000")).toThrow(/starting with "w1:" or "w1d:"/);
    expect(() => Schedule.parse("w1:00")).toThrow(/checksum/);
    expect(() => Schedule.parse("w1:0!.0000")).toThrow(/unexpected character "!"/);
    expect(() => Schedule.parse("w1:(zz.0000")).toThrow(/missing "\)"/);
    expect(() => Schedule.parse("w1d:3.0,2.0")).toThrow(/strictly increasing/);
    expect(() => Schedule.parse("w1d:3")).toThrow(/<step>.<choice>/);
    expect(() => Schedule.fromDeviations([[-1, 0]])).toThrow(/step must be a whole number/);
  });

  it("prints for fast-check as a quoted, paste-able string", () => {
    const s = Schedule.parse("w1d:2.0");
    expect(fc.stringify(s)).toBe('"w1d:2.0"');
    expect(JSON.stringify({ s })).toBe('{"s":"w1d:2.0"}');
  });

  it("draw levels map to distinct values in [0, 1), coarse first", () => {
    const values = Array.from({ length: DRAW_LEVELS }, (_, l) => drawValue(l));
    expect(new Set(values).size).toBe(DRAW_LEVELS);
    for (const v of values) expect(v > 0 && v < 1).toBe(true);
    expect(Math.floor(drawValue(0) * 2)).toBe(0);
    expect(Math.floor(drawValue(1) * 2)).toBe(1);
    expect([0, 1, 2, 3].map((l) => Math.floor(drawValue(l) * 4)).sort()).toEqual([0, 1, 2, 3]);
  });
});
