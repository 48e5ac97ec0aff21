import { describe, expect, it } from "vitest";
import { readGrowthArgs, shapeOf, verdict } from "./growth.js";

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
});
