import { describe, expect, it } from "vitest";
import {
  bootstrapMedian,
  matchedWarmUps,
  median,
  overall,
  pairedVerdict,
  pairRatios,
  pairSplits,
  shareVerdict,
} from "./paired.js";

// Window p99s (ms) of twelve pairs, the off window of each pair first.
const OFF = [20.1, 22.4, 19.8, 25.0, 21.3, 23.7, 20.9, 24.2, 22.0, 21.6, 19.5, 23.1];

describe("the paired scheduler on ÷ off verdict", () => {
  it("calls a clear effect missed: every pair's on window about 40 % slower", () => {
    const on = OFF.map((x, i) => x * (1.4 + (i % 3) * 0.03));
    const v = pairedVerdict(OFF, on);
    expect(v.decision).toBe("missed");
    expect(v.low).toBeGreaterThan(1.1);
    expect(v.median).toBeCloseTo(1.43, 2);
  });

  it("calls no effect met: each pair within a few per cent either way", () => {
    const on = OFF.map((x, i) => x * (i % 2 ? 1.03 : 0.97));
    const v = pairedVerdict(OFF, on);
    expect(v.decision).toBe("met");
    expect(v.high).toBeLessThanOrEqual(1.1);
  });

  it("leaves noisy pairs not decided, with an interval that straddles the limit", () => {
    const swing = [0.7, 1.5, 0.9, 1.4, 1.0, 1.6, 0.8, 1.3, 1.2, 0.75, 1.45, 1.1];
    const v = pairedVerdict(
      OFF,
      OFF.map((x, i) => x * (swing[i] as number)),
    );
    expect(v.decision).toBe("not decided");
    expect(v.low).toBeLessThanOrEqual(1.1);
    expect(v.high).toBeGreaterThan(1.1);
  });

  it("decides nothing from fewer than six pairs, however clear", () => {
    expect(pairedVerdict([10, 10, 10, 10, 10], [30, 30, 30, 30, 30]).decision).toBe("not decided");
    expect(pairedVerdict([10, 10, 10, 10, 10, 10], [30, 30, 30, 30, 30, 30]).decision).toBe("missed");
  });

  it("is symmetric: swapping on and off gives the reciprocal median and interval", () => {
    const on = OFF.map((x, i) => x * (1 + ((i * 7) % 5) / 20));
    const ab = pairedVerdict(OFF, on);
    const ba = pairedVerdict(on, OFF);
    expect(ba.median).toBeCloseTo(1 / ab.median, 10);
    expect(ba.low).toBeCloseTo(1 / ab.high, 10);
    expect(ba.high).toBeCloseTo(1 / ab.low, 10);
  });

  it("gives the same interval for the same samples (a seeded bootstrap)", () => {
    const r = OFF.map((x) => x / 21);
    expect(bootstrapMedian(r)).toEqual(bootstrapMedian(r));
  });

  it("leaves out a pair whose off window had no answer and counts an on window without one as slowest", () => {
    expect(pairRatios([10, 0, 20], [12, 5, 0])).toEqual([1.2, Number.POSITIVE_INFINITY]);
    expect(median([3, 1, 2, 4])).toBe(2.5);
  });

  it("reads several rows together: any missed is missed, all met is met", () => {
    expect(overall(["met", "not decided", "missed"])).toBe("missed");
    expect(overall(["met", "met"])).toBe("met");
    expect(overall(["met", "not decided"])).toBe("not decided");
    expect(overall([])).toBeUndefined();
  });
});

// Req/s of twelve pairs of windows of a hand-written floor (floor24), the machine drifting by a third.
const FLOOR = [1800, 1750, 1320, 1290, 1700, 1820, 1250, 1760, 1400, 1350, 1780, 1300];

describe("the paired share of a floor's throughput (floor24)", () => {
  it("calls a product at about 80 % of its floor met, however the machine drifts between pairs", () => {
    const v = shareVerdict(
      FLOOR.map((x, i) => x * (0.78 + (i % 3) * 0.02)),
      FLOOR,
    );
    expect(v.decision).toBe("met");
    expect(v.median).toBeCloseTo(0.8, 1);
    expect(v.low).toBeGreaterThanOrEqual(0.6);
  });

  it("calls a product at about 40 % of its floor missed", () => {
    const v = shareVerdict(
      FLOOR.map((x, i) => x * (0.38 + (i % 2) * 0.04)),
      FLOOR,
    );
    expect(v.decision).toBe("missed");
    expect(v.high).toBeLessThan(0.6);
  });

  it("leaves shares that swing across 60 % not decided, and a pair whose floor window had no answer out", () => {
    const swing = [0.4, 0.8, 0.5, 0.75, 0.45, 0.7, 0.5, 0.8, 0.55, 0.65, 0.4, 0.75];
    const v = shareVerdict(
      FLOOR.map((x, i) => x * (swing[i] as number)),
      FLOOR,
    );
    expect(v.decision).toBe("not decided");
    expect(v.low).toBeLessThan(0.6);
    expect(v.high).toBeGreaterThanOrEqual(0.6);
    expect(shareVerdict([10, 10, 0], [20, 0, 20]).shares).toEqual([0.5, 1e-9 / 20]);
  });
});

describe("the two servers of a pair come to it equally practised (sched25)", () => {
  it("gives the server that served the endpoint less as much more warm-up as it lacks", () => {
    // The server kept from "Server" served the check-in 7 s there; the A/A's second server nothing.
    const aa = matchedWarmUps(7, 0, 4);
    expect(aa).toEqual({ a: 4, b: 11 });
    expect(7 + aa.a).toBe(0 + aa.b);
    // Then the server with the scheduler on, against the kept one after the A/A's 12 windows of 2 s.
    const ab = matchedWarmUps(7 + aa.a + 24, 0, 4);
    expect(ab.a).toBe(4);
    expect(35 + ab.a).toBe(ab.b);
  });

  it("is the same either way round, and gives both the least warm-up when they served alike", () => {
    expect(matchedWarmUps(0, 7, 4)).toEqual({ a: 11, b: 4 });
    expect(matchedWarmUps(10, 10, 4)).toEqual({ a: 4, b: 4 });
  });
});

describe("the pairs split by order and by half of the run (sched25)", () => {
  it("shows a lean that only the pairs with off first carry, and one that fades over the run", () => {
    // Off first in even pairs: those lean 20 %, the others none.
    const order = [1.2, 1.0, 1.2, 1.0, 1.2, 1.0, 1.2, 1.0];
    expect(pairSplits(order).aFirst).toBeCloseTo(1.2, 10);
    expect(pairSplits(order).bFirst).toBeCloseTo(1.0, 10);
    // A fresh server warming: the first half leans, the second does not.
    const warming = [1.25, 1.2, 1.15, 1.2, 1.0, 0.99, 1.01, 1.0];
    expect(pairSplits(warming).firstHalf).toBeCloseTo(1.2, 10);
    expect(pairSplits(warming).secondHalf).toBeCloseTo(1.0, 10);
  });
});
