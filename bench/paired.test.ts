import { describe, expect, it } from "vitest";
import {
  bootstrapMedian,
  matchedWarmUps,
  median,
  overall,
  pairedVerdict,
  pairRatios,
  pairSplits,
  pooledVerdict,
  seeded,
  shareVerdict,
  weightedQuantile,
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

// sched26: windows of latencies (ms): a skewed body with a tail, `n` answers, scaled by `scale`.
function windowOf(random: () => number, n: number, scale: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = random();
    // Most answers 4–8 ms, one in twenty 10–40 ms: a p99 inside the tail, as the check-in's.
    out.push(scale * (u < 0.95 ? 4 + 4 * random() : 10 + 30 * random()));
  }
  return out;
}

/** `pairs` pairs of windows of one server's answers, the machine drifting by up to 2× between pairs. */
function drifting(seed: number, pairs: number, n: number, onScale = 1) {
  const random = seeded(seed);
  const off: number[][] = [];
  const on: number[][] = [];
  for (let i = 0; i < pairs; i++) {
    const drift = 0.7 + 0.7 * random();
    off.push(windowOf(random, n, drift));
    on.push(windowOf(random, n, drift * onScale));
  }
  return { off, on };
}

describe("the ratio of pooled p99s with a pair bootstrap (sched26)", () => {
  it("takes the p99 of a union of windows, each counted as often as it was drawn", () => {
    const w1 = [5, 1, 3, 2, 4];
    const w2 = [10, 9, 8];
    const desc = (xs: number[]) => [...xs].sort((a, b) => b - a);
    const nearest = (xs: number[], q: number) =>
      [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] as number;
    for (const q of [0.5, 0.8, 0.99]) {
      expect(weightedQuantile([desc(w1), desc(w2)], [1, 1], q)).toBe(nearest([...w1, ...w2], q));
      expect(weightedQuantile([desc(w1), desc(w2)], [3, 0], q)).toBe(nearest([...w1, ...w1, ...w1], q));
      expect(weightedQuantile([desc(w1), desc(w2)], [2, 1], q)).toBe(nearest([...w1, ...w1, ...w2], q));
    }
    expect(weightedQuantile([desc(w1)], [0], 0.99)).toBeNaN();
  });

  it("gives the p99 of all 'on' answers over that of all 'off' answers, with an interval around it", () => {
    const { off, on } = drifting(3, 12, 2000, 1.4);
    const v = pooledVerdict(off, on);
    const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.99 * xs.length) - 1] as number;
    expect(v.offP99).toBe(p99(off.flat()));
    expect(v.onP99).toBe(p99(on.flat()));
    expect(v.ratio).toBeCloseTo(v.onP99 / v.offP99, 12);
    expect(v.ratio).toBeGreaterThan(1.3);
    expect(v.ratio).toBeLessThan(1.5);
    expect(v.low).toBeLessThan(v.ratio);
    expect(v.high).toBeGreaterThan(v.ratio);
    expect(v.decision).toBe("missed");
    expect(v.pairs).toBe(12);
  });

  it("calls the same answers on both sides met", () => {
    const { off, on } = drifting(5, 12, 2000);
    const v = pooledVerdict(off, on);
    expect(v.decision).toBe("met");
    expect(v.low).toBeLessThanOrEqual(1);
    expect(v.high).toBeGreaterThanOrEqual(1);
  });

  it("resamples whole pairs: a drift of 2× between pairs leaves an 'on' exactly 5 % slower in every pair at 1.05, with no width", () => {
    const random = seeded(9);
    const off = Array.from({ length: 10 }, (_, i) => windowOf(random, 500, i % 2 ? 2 : 1));
    const on = off.map((w) => w.map((x) => x * 1.05));
    const v = pooledVerdict(off, on);
    // Were the windows drawn apart, a resample would often pool more slow "on" windows than slow
    // "off" ones, and the interval would reach far on both sides.
    expect(v.ratio).toBeCloseTo(1.05, 10);
    expect(v.low).toBeCloseTo(1.05, 10);
    expect(v.high).toBeCloseTo(1.05, 10);
    expect(v.decision).toBe("met");
  });

  it("holds its confidence on A/A samples: the 90 % interval contains 1.00 in about 90 of 100 runs", () => {
    let inside = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const { off, on } = drifting(1000 + seed, 12, 400);
      const v = pooledVerdict(off, on, { resamples: 400, seed });
      if (v.low <= 1 && v.high >= 1) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(80);
    expect(inside).toBeLessThanOrEqual(98);
  });

  it("is symmetric, seeded, leaves out the burn-in and decides nothing from fewer than six pairs", () => {
    const { off, on } = drifting(7, 12, 800, 1.1);
    const ab = pooledVerdict(off, on);
    const ba = pooledVerdict(on, off);
    expect(ba.ratio).toBeCloseTo(1 / ab.ratio, 12);
    expect(ba.low).toBeCloseTo(1 / ab.high, 12);
    expect(ba.high).toBeCloseTo(1 / ab.low, 12);
    expect(pooledVerdict(off, on)).toEqual(ab);
    // A fresh "on" server three times slower in its first two pairs: the burn-in leaves them out.
    const slowStart = on.map((w, i) => (i < 2 ? w.map((x) => x * 3) : w));
    expect(pooledVerdict(off, slowStart).ratio).toBeGreaterThan(
      pooledVerdict(off.slice(2), on.slice(2)).ratio + 0.1,
    );
    expect(pooledVerdict(off, slowStart, { burnIn: 2 }).ratio).toBeCloseTo(
      pooledVerdict(off.slice(2), on.slice(2)).ratio,
      12,
    );
    expect(pooledVerdict(off, slowStart, { burnIn: 2 }).pairs).toBe(10);
    expect(
      pooledVerdict(
        off.slice(0, 5),
        on.slice(0, 5).map((w) => w.map((x) => x * 3)),
      ).decision,
    ).toBe("not decided");
  });

  it("leaves out a pair whose 'off' window had no answer, and counts an 'on' window without one as slowest", () => {
    const { off, on } = drifting(11, 8, 300);
    const v = pooledVerdict([[], ...off], [[5], ...on]);
    expect(v.pairs).toBe(8);
    expect(v.ratio).toBeCloseTo(pooledVerdict(off, on).ratio, 12);
    const hung = pooledVerdict(off, [[], ...on.slice(1)]);
    expect(hung.ratio).toBe(Number.POSITIVE_INFINITY);
    expect(hung.decision).not.toBe("met");
  });

  it("with `normalise`, takes each pair's drift out of both of its windows alike", () => {
    const { off, on } = drifting(13, 10, 500, 1.2);
    const scaled = (ws: number[][]) => ws.map((w, i) => w.map((x) => x * (i % 3 === 0 ? 3 : 1)));
    const v = pooledVerdict(off, on, { normalise: true });
    const w = pooledVerdict(scaled(off), scaled(on), { normalise: true });
    expect(w.ratio).toBeCloseTo(v.ratio, 12);
    expect(w.low).toBeCloseTo(v.low, 12);
    expect(w.high).toBeCloseTo(v.high, 12);
  });
});
