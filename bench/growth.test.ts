import { describe, expect, it } from "vitest";
import { cpuMsOfStat, quantile, readGrowthArgs, roundOrder, shapeOf, verdict, wanted } from "./growth.js";

describe("bench:growth", () => {
  it("keeps a person's share the same at 10,000, 100,000 and 1,000,000 steps", () => {
    const shapes = [10_000, 100_000, 1_000_000].map((n) => shapeOf(n, "2026-12-05"));
    expect(shapes.map((s) => [s.users, s.goals, s.steps, s.checkins])).toEqual([
      [100, 1_000, 10_000, 10_000],
      [1_000, 10_000, 100_000, 100_000],
      [10_000, 100_000, 1_000_000, 1_000_000],
    ]);
    expect(new Set(shapes.map((s) => s.seed)).size).toBe(1);
  });

  it("lists every bad flag at once with how to fix it", () => {
    const { problems } = readGrowthArgs(["--sizes", "1000", "--duration", "0", "--today", "tomorrow"]);
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/at least two whole numbers of steps/);
    expect(problems.join("\n")).toMatch(/--duration '0' must be a whole number from 1 to 60/);
    expect(problems.join("\n")).toMatch(/YYYY-MM-DD/);
    const ok = readGrowthArgs(["--sizes", "1000,5000,20000", "--largest", "/tmp/x.db", "--no-write"]);
    expect(ok.problems).toEqual([]);
    expect([ok.options.rounds, ok.options.duration, ok.options.runs]).toEqual([8, 2, 2]);
    expect(readGrowthArgs(["--rounds", "0"]).problems.join("\n")).toMatch(
      /--rounds '0' must be a whole number from 1/,
    );
    expect(ok.options.sizes).toEqual([1000, 5000, 20000]);
    expect(ok.write).toBe(false);
  });

  it("judges a row on the median over rounds of largest ÷ smallest, with its bootstrap interval", () => {
    // ms[round][size], sizes smallest first; the middle size does not enter the ratio.
    const rounds = (pairs: [number, number][]) => pairs.map(([a, z]) => [a, 999, z]);
    const own = (pairs: [number, number][]) => verdict({ kind: "own", ms: rounds(pairs) }, 1);
    // Every round within 5 %: the whole interval is under 1.20.
    const flat = own([
      [20, 20.5],
      [21, 20],
      [19, 19.8],
      [20, 21],
      [22, 21.5],
      [20, 20.2],
      [18, 18.5],
      [20, 19],
    ]);
    expect(flat.decision).toBe("met");
    expect(flat.high as number).toBeLessThanOrEqual(1.2);
    expect(flat.verdict).toMatch(/^1\.0\d \[/);
    // Every round about 1.4: the whole interval is above 1.20.
    const grown = own([
      [20, 28],
      [21, 30],
      [19, 27],
      [20, 28.5],
      [22, 30],
      [20, 28],
      [18, 25],
      [20, 29],
    ]);
    expect(grown.decision).toBe("missed");
    expect(grown.low as number).toBeGreaterThan(1.2);
    expect(grown.verdict).toMatch(/\*\*missed\*\*/);
    // The single-window run of 07:54: one size slow in one round (35 ms against 20) moves one ratio,
    // not the median; rounds that straddle the limit decide nothing rather than "met".
    const straddle = own([
      [20, 18],
      [20, 30],
      [20, 22],
      [20, 26],
      [20, 19],
      [20, 27],
      [20, 23],
      [20, 25],
    ]);
    expect(straddle.decision).toBe("not decided");
    expect((straddle.low as number) <= 1.2 && (straddle.high as number) > 1.2).toBe(true);
    // Too few rounds decide nothing, however flat.
    expect(
      own([
        [20, 20],
        [20, 20],
        [20, 20],
      ]).decision,
    ).toBe("not decided");
    // A leader's limit grows with the team; a row with no target gets no decision.
    const leader = rounds([
      [20, 30],
      [21, 31],
      [19, 29],
      [20, 30],
      [22, 33],
      [20, 30],
      [18, 27],
      [20, 31],
    ]);
    expect(verdict({ kind: "leader", ms: leader }, 1).decision).toBe("missed");
    expect(verdict({ kind: "leader", ms: leader }, 2).decision).toBe("met");
    expect(verdict({ kind: "other", ms: leader }, 1).decision).toBeNull();
    // A round whose largest size never answered counts against the row, not for it.
    const lost = own([
      [20, 20],
      [20, 0],
      [20, 0],
      [20, 0],
      [20, 0],
      [20, 20],
      [20, 20],
    ]);
    expect(lost.decision).not.toBe("met");
  });

  it("rotates the sizes' order each round, so each size runs first, in the middle and last alike", () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(3, r))).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
    // Over a multiple of the sizes' count, every size takes every position equally often.
    const at = (pos: number) => Array.from({ length: 6 }, (_, r) => roundOrder(3, r)[pos]).sort();
    for (const pos of [0, 1, 2]) expect(at(pos)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(roundOrder(2, 1)).toEqual([1, 0]);
  });

  it("takes the p99 from each response's own time, not autocannon's whole milliseconds", () => {
    const xs = Array.from({ length: 200 }, (_, i) => (i < 197 ? 10 : 40.25));
    expect(quantile(xs, 0.99)).toBe(40.25);
    expect(quantile(xs.slice(0, 197), 0.99)).toBe(10);
    expect(quantile([], 0.99)).toBe(0);
  });

  it("re-runs only the rows named with --only, and then writes nothing", () => {
    const r = readGrowthArgs(["--only", "report, status", "--warm-up", "2"]);
    expect(r.problems).toEqual([]);
    expect(r.options.only).toEqual(["report", "status"]);
    expect(r.options.warmUp).toBe(2);
    expect(r.write).toBe(false);
    expect(wanted("GET /api/report (member)", r.options.only)).toBe(true);
    expect(wanted("throughline status <goal>", r.options.only)).toBe(true);
    expect(wanted("GET /api/week", r.options.only)).toBe(false);
    expect(wanted("GET /api/week", null)).toBe(true);
    expect(readGrowthArgs(["--only", ","]).problems.join("\n")).toMatch(/names no row/);
  });

  it("reads a process's CPU time, or its children's, from /proc/PID/stat", () => {
    // A name with spaces and a parenthesis; utime 150, stime 50, cutime 30, cstime 10 ticks.
    const stat = "4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 150 50 30 10 20 0 11 0 5 0";
    expect(cpuMsOfStat(stat, false)).toBe(2000);
    expect(cpuMsOfStat(stat, true)).toBe(400);
  });
});
