import { describe, expect, it } from "vitest";
import type { FollowThroughReportView } from "../../app/reports/report.js";
import { reportText } from "./report.js";

const base: FollowThroughReportView = {
  asOf: "2026-11-21",
  from: "2026-10-25",
  to: "2026-11-21",
  weeks: 4,
  followThroughRate: 0.5,
  kept: 1,
  missed: 1,
  pending: 0,
  moved: 0,
  mostMoved: [],
  wins: [],
  stalled: [],
  byUser: [],
  byWeek: [],
  omitted: { wins: 0, stalled: 0, byUser: 0 },
};

describe("throughline report's text", () => {
  it("says how many wins, stalled goals and people were left out, and how to list them all", () => {
    const text = reportText({ ...base, omitted: { wins: 120, stalled: 1, byUser: 30 } });
    expect(text).toContain(
      "Left out: 120 wins, 1 stalled goal and 30 people from goals of people outside your teams (open to the workspace). To list them all: throughline report --all",
    );
  });

  it("says nothing is left out when the lists are whole, or the server sends no counts", () => {
    expect(reportText(base)).not.toContain("Left out");
    const { omitted: _, ...older } = base;
    expect(reportText(older as FollowThroughReportView)).not.toContain("Left out");
  });
});
