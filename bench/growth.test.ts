import { describe, expect, it } from "vitest";
import { cpuMsOfStat, readGrowthArgs, shapeOf, verdict, wanted } from "./growth.js";

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
    expect(ok.options.sizes).toEqual([1000, 5000, 20000]);
    expect(ok.write).toBe(false);
  });

  it("holds a person's own pages to 20 % and a leader's to the team's growth", () => {
    const row = (kind: "own" | "leader", ms: number[], stat: "p99" | "median" = "median") => ({
      name: "x",
      kind,
      stat,
      ms,
      measures: ms.map(() => null),
    });
    expect(verdict(row("own", [100, 50, 119]), 1).verdict).toMatch(/^met/);
    expect(verdict(row("own", [100, 50, 121]), 1).verdict).toMatch(/missed/);
    // autocannon's whole milliseconds: 2 ms after 1 ms is not growth it can measure.
    expect(verdict(row("own", [1, 2], "p99"), 1).verdict).toMatch(/^met/);
    expect(verdict(row("leader", [100, 150]), 1).verdict).toMatch(/missed/);
    expect(verdict(row("leader", [100, 150]), 5).verdict).toMatch(/^met/);
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
