import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, diffDays, formatIsoDate } from "./dates.js";
import { buildGoal } from "./factories.js";
import { bufferDays, completedOn, expectedProgress, forecastDate, PACE_RANK, paceOf } from "./pace.js";

// Starts 2024-01-01, due 2024-04-10: 100 days, so expected progress is 1 % a day.
const goal = buildGoal();
const day = (n: number) => addDays("2024-01-01", n);

const schedule = fc
  .record({ start: fc.integer({ min: 19_000, max: 21_000 }), span: fc.integer({ min: -10, max: 800 }) })
  .map(({ start, span }) => ({ startDate: formatIsoDate(start), dueDate: formatIsoDate(start + span) }));
const offset = fc.integer({ min: -30, max: 900 });
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

describe("expectedProgress", () => {
  it("runs in a straight line from 0 at the start to 1 at the due date", () => {
    expect(expectedProgress(goal, day(0))).toBe(0);
    expect(expectedProgress(goal, day(40))).toBe(0.4);
    expect(expectedProgress(goal, day(100))).toBe(1);
  });

  it("is clamped before the start and after the due date", () => {
    expect(expectedProgress(goal, day(-5))).toBe(0);
    expect(expectedProgress(goal, day(130))).toBe(1);
  });

  it("is null without a due date", () => {
    expect(expectedProgress(buildGoal({ dueDate: null }), day(40))).toBeNull();
  });

  it("steps from 0 to 1 on the due date when it is not after the start", () => {
    const sameDay = { startDate: "2024-01-10", dueDate: "2024-01-10" };
    expect(expectedProgress(sameDay, "2024-01-09")).toBe(0);
    expect(expectedProgress(sameDay, "2024-01-10")).toBe(1);
  });
});

describe("paceOf", () => {
  it("is on track within 5 points either side, boundaries included", () => {
    expect(paceOf(0.45, 0.5)).toBe("on-track");
    expect(paceOf(0.55, 0.5)).toBe("on-track");
    expect(paceOf(0.3, 0.35)).toBe("on-track");
  });

  it("is behind more than 5 points below and ahead more than 5 points above", () => {
    expect(paceOf(0.44, 0.5)).toBe("behind");
    expect(paceOf(0.56, 0.5)).toBe("ahead");
  });

  it("is on track without a due date", () => {
    expect(paceOf(0, null)).toBe("on-track");
  });

  it("never gets worse with more progress", () => {
    fc.assert(
      fc.property(fraction, fraction, fc.option(fraction, { nil: null }), (a, b, expected) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(PACE_RANK[paceOf(high, expected)]).toBeGreaterThanOrEqual(PACE_RANK[paceOf(low, expected)]);
      }),
    );
  });

  it("never gets worse with more progress on a real schedule", () => {
    fc.assert(
      fc.property(schedule, offset, fraction, fraction, (s, n, a, b) => {
        const asOf = addDays(s.startDate, n);
        const expected = expectedProgress(s, asOf);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(PACE_RANK[paceOf(high, expected)]).toBeGreaterThanOrEqual(PACE_RANK[paceOf(low, expected)]);
      }),
    );
  });
});

describe("bufferDays", () => {
  it("counts the days the frozen progress stays within the tolerance", () => {
    // Day 40 at 50 %: expected passes 55 % on day 56, so days 41..55 are safe.
    expect(bufferDays(goal, 0.5, day(40))).toBe(15);
  });

  it("is 0 when already behind", () => {
    expect(bufferDays(goal, 0.2, day(40))).toBe(0);
  });

  it("is capped at the days left until the due date", () => {
    expect(bufferDays(goal, 1, day(40))).toBe(60);
    expect(bufferDays(goal, 1, day(120))).toBe(0);
  });

  it("is null without a due date", () => {
    expect(bufferDays(buildGoal({ dueDate: null }), 0.5, day(40))).toBeNull();
  });

  it("agrees with stepping forward day by day", () => {
    fc.assert(
      fc.property(schedule, offset, fraction, (s, n, progress) => {
        const asOf = addDays(s.startDate, n);
        const cap = Math.max(0, diffDays(asOf, s.dueDate));
        let days = 0;
        if (paceOf(progress, expectedProgress(s, asOf)) !== "behind") {
          while (days < cap && paceOf(progress, expectedProgress(s, addDays(asOf, days + 1))) !== "behind")
            days++;
        }
        expect(bufferDays(s, progress, asOf)).toBe(days);
      }),
    );
  });

  it("never shrinks when progress grows", () => {
    fc.assert(
      fc.property(schedule, offset, fraction, fraction, (s, n, a, b) => {
        const asOf = addDays(s.startDate, n);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(bufferDays(s, high, asOf)).toBeGreaterThanOrEqual(bufferDays(s, low, asOf) ?? 0);
      }),
    );
  });
});

describe("forecastDate", () => {
  const trend = [
    { date: "2024-01-08", progress: 0.05 },
    { date: "2024-01-15", progress: 0.12 },
    { date: "2024-01-22", progress: 0.19 },
    { date: "2024-01-29", progress: 0.26 },
  ];

  it("projects completion from the trend of recent check-ins", () => {
    // 1 point a day; 74 points to go from 29 January.
    expect(forecastDate(trend, "2024-01-29")).toBe("2024-04-12");
  });

  it("starts the projection from the progress on the day asked", () => {
    expect(forecastDate(trend, "2024-02-05", 0.26)).toBe("2024-04-19");
  });

  it("uses only the most recent six check-in days", () => {
    const early = [
      { date: "2023-10-01", progress: 0 },
      { date: "2023-10-02", progress: 0 },
      { date: "2023-10-03", progress: 0 },
    ];
    expect(forecastDate([...early, ...trend], "2024-01-29")).toBe(
      forecastDate([...early.slice(1), ...trend], "2024-01-29"),
    );
    expect(forecastDate([...early, ...trend], "2024-01-29")).not.toBe(forecastDate(trend, "2024-01-29"));
  });

  it("ignores points after the day asked", () => {
    expect(forecastDate(trend, "2024-01-15")).toBe(forecastDate(trend.slice(0, 2), "2024-01-15"));
  });

  it("is null without two distinct days or with a flat or falling trend", () => {
    expect(forecastDate([trend[0]], "2024-01-29")).toBeNull();
    expect(forecastDate([trend[0], { ...trend[0], progress: 0.3 }], "2024-01-29")).toBeNull();
    expect(
      forecastDate(
        [
          { date: "2024-01-01", progress: 0.4 },
          { date: "2024-01-08", progress: 0.4 },
        ],
        "2024-01-08",
      ),
    ).toBeNull();
    expect(
      forecastDate(
        [
          { date: "2024-01-01", progress: 0.4 },
          { date: "2024-01-08", progress: 0.3 },
        ],
        "2024-01-08",
      ),
    ).toBeNull();
  });

  it("is the completion day, or the day asked, when already complete", () => {
    const done = [...trend, { date: "2024-02-05", progress: 1 }];
    expect(forecastDate(done, "2024-02-20")).toBe("2024-02-05");
    expect(forecastDate(trend, "2024-02-20", 1, "2024-02-10")).toBe("2024-02-10");
    expect(forecastDate([], "2024-02-20", 1)).toBe("2024-02-20");
  });
});

describe("completedOn", () => {
  it("is the first day of the final run at full progress", () => {
    expect(
      completedOn([
        { date: "2024-01-01", progress: 1 },
        { date: "2024-01-05", progress: 0.8 },
        { date: "2024-01-09", progress: 1 },
        { date: "2024-01-12", progress: 1 },
      ]),
    ).toBe("2024-01-09");
    expect(completedOn([{ date: "2024-01-01", progress: 0.5 }])).toBeNull();
  });
});
