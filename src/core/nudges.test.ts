import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkinNudge,
  deliverAt,
  inQuietHours,
  isTimeZone,
  localTime,
  nextWeeklyPrompt,
  stepNudge,
  weeklyOccurrence,
  zonedInstant,
} from "./nudges.js";

const at = (s: string) => new Date(s);

describe("localTime", () => {
  it("gives the wall clock of a time zone, across the date line and daylight saving", () => {
    expect(localTime(at("2026-11-21T23:30:00Z"), "Europe/Berlin")).toEqual({
      date: "2026-11-22",
      hour: 0,
      minute: 30,
      weekday: 0,
    });
    expect(localTime(at("2026-07-01T12:00:00Z"), "America/Los_Angeles").hour).toBe(5);
    expect(localTime(at("2026-01-01T12:00:00Z"), "America/Los_Angeles").hour).toBe(4);
    expect(localTime(at("2026-11-21T10:00:00Z"), "Pacific/Kiritimati").date).toBe("2026-11-22");
  });

  it("knows IANA zones and refuses made-up ones", () => {
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(" Europe/Berlin")).toBe(false);
  });
});

describe("zonedInstant", () => {
  it("finds the instant a local hour begins", () => {
    expect(zonedInstant("2026-07-01", 9, "Europe/Berlin").toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(zonedInstant("2026-12-01", 9, "Europe/Berlin").toISOString()).toBe("2026-12-01T08:00:00.000Z");
    expect(zonedInstant("2026-11-21", 0, "Asia/Kolkata").toISOString()).toBe("2026-11-20T18:30:00.000Z");
  });

  it("maps an hour skipped by daylight saving to just after the jump", () => {
    // Berlin skips 02:00–03:00 on 2026-03-29.
    const t = zonedInstant("2026-03-29", 2, "Europe/Berlin");
    expect(t.toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(localTime(t, "Europe/Berlin").hour).toBe(3);
  });

  it("maps New York's skipped 2 a.m. to 3 a.m. after the jump, not 1 a.m. before it", () => {
    const t = zonedInstant("2025-03-09", 2, "America/New_York");
    expect(t.toISOString()).toBe("2025-03-09T07:00:00.000Z");
    expect(localTime(t, "America/New_York")).toMatchObject({ date: "2025-03-09", hour: 3 });
    // The repeated 1 a.m. in November is its first occurrence (still daylight time).
    expect(zonedInstant("2025-11-02", 1, "America/New_York").toISOString()).toBe("2025-11-02T05:00:00.000Z");
  });

  it("round-trips with localTime for every hour of every day (property)", () => {
    const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(...zones),
        (offset, hour, tz) => {
          const day = new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          const local = localTime(zonedInstant(day, hour, tz), tz);
          // Either the hour itself, or (in a skipped hour) the hour after the jump.
          expect(local.date).toBe(day);
          expect([hour, hour + 1]).toContain(local.hour);
          expect(local.minute).toBe(0);
        },
      ),
    );
  });
});

describe("quiet hours and snooze", () => {
  it("treats quiet hours as start-inclusive, end-exclusive, wrapping past midnight", () => {
    const q = { start: 21, end: 8 };
    expect([20, 21, 23, 0, 7, 8].map((h) => inQuietHours(h, q))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(inQuietHours(13, { start: 12, end: 14 })).toBe(true);
    expect(inQuietHours(3, { start: 5, end: 5 })).toBe(false);
    expect(inQuietHours(3, null)).toBe(false);
  });

  it("defers a delivery to the local end of quiet hours", () => {
    const rules = { timeZone: "Europe/Berlin", quietHours: { start: 21, end: 8 }, snoozeUntil: null };
    // 22:00 in Berlin (winter, UTC+1) → 08:00 the next morning.
    expect(deliverAt(at("2026-11-21T21:00:00Z"), rules).toISOString()).toBe("2026-11-22T07:00:00.000Z");
    // 06:00 in Berlin → 08:00 the same morning.
    expect(deliverAt(at("2026-11-22T05:00:00Z"), rules).toISOString()).toBe("2026-11-22T07:00:00.000Z");
    // 10:00 → now.
    expect(deliverAt(at("2026-11-22T09:00:00Z"), rules).toISOString()).toBe("2026-11-22T09:00:00.000Z");
  });

  it("defers past a snooze, then past quiet hours if the snooze ends in them", () => {
    const rules = {
      timeZone: "UTC",
      quietHours: { start: 21, end: 8 },
      snoozeUntil: "2026-11-23T22:00:00.000Z",
    };
    expect(deliverAt(at("2026-11-21T10:00:00Z"), rules).toISOString()).toBe("2026-11-24T08:00:00.000Z");
    const past = { ...rules, snoozeUntil: "2026-11-20T00:00:00.000Z" };
    expect(deliverAt(at("2026-11-21T10:00:00Z"), past).toISOString()).toBe("2026-11-21T10:00:00.000Z");
  });
});

describe("the weekly prompt", () => {
  const slot = { timeZone: "America/New_York", day: 1, hour: 9 };

  it("is due on the chosen local weekday from the chosen hour", () => {
    // Monday 2026-11-23, 08:59 in New York (UTC-5) is not yet; 09:00 is.
    expect(weeklyOccurrence(at("2026-11-23T13:59:00Z"), slot)).toBeNull();
    expect(weeklyOccurrence(at("2026-11-23T14:00:00Z"), slot)).toBe("2026-11-23");
    expect(weeklyOccurrence(at("2026-11-24T03:00:00Z"), slot)).toBe("2026-11-23");
    // Tuesday in New York.
    expect(weeklyOccurrence(at("2026-11-24T06:00:00Z"), slot)).toBeNull();
  });

  it("gives the next occurrence strictly after now", () => {
    expect(nextWeeklyPrompt(at("2026-11-21T10:00:00Z"), slot).toISOString()).toBe("2026-11-23T14:00:00.000Z");
    expect(nextWeeklyPrompt(at("2026-11-23T14:00:00Z"), slot).toISOString()).toBe("2026-11-30T14:00:00.000Z");
  });
});

describe("step and check-in reminders", () => {
  it("reminds the day before, on the day, and once after a step is due", () => {
    expect(stepNudge("2026-11-22", "2026-11-21")).toBe("step-due-tomorrow");
    expect(stepNudge("2026-11-21", "2026-11-21")).toBe("step-due-today");
    expect(stepNudge("2026-11-20", "2026-11-21")).toBe("step-overdue");
    expect(stepNudge("2026-11-10", "2026-11-21")).toBeNull();
    expect(stepNudge("2026-11-25", "2026-11-21")).toBeNull();
  });

  it("asks for a check-in every cadence after the last one, and says when one was missed", () => {
    const goal = { lastCheckin: "2026-11-14", startDate: "2026-11-01", cadenceDays: 7 };
    expect(checkinNudge(goal, "2026-11-20")).toBeNull();
    expect(checkinNudge(goal, "2026-11-21")).toEqual({ kind: "checkin-due", dueDay: "2026-11-21" });
    expect(checkinNudge(goal, "2026-11-22")).toEqual({ kind: "checkin-missed", dueDay: "2026-11-21" });
    expect(checkinNudge(goal, "2026-11-28")).toEqual({ kind: "checkin-due", dueDay: "2026-11-28" });
    expect(checkinNudge({ ...goal, lastCheckin: null }, "2026-11-08")).toEqual({
      kind: "checkin-due",
      dueDay: "2026-11-08",
    });
  });
});
