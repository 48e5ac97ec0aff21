import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  dayOfTimestamp,
  diffDays,
  formatIsoDate,
  isIsoDate,
  isoWeekStart,
  maxDate,
  minDate,
  parseIsoDate,
} from "./dates.js";

describe("parseIsoDate", () => {
  it("counts days from 1970-01-01", () => {
    expect(parseIsoDate("1970-01-01")).toBe(0);
    expect(parseIsoDate("2024-03-01")).toBe(19783);
  });

  it("rejects days that do not exist and other formats, saying how to write one", () => {
    expect(() => parseIsoDate("2023-02-29")).toThrow(/Use YYYY-MM-DD/);
    expect(() => parseIsoDate("31/02/2024")).toThrow("Date '31/02/2024' is not a date");
    expect(() => parseIsoDate("2024-1-5")).toThrow();
  });

  it("round-trips with formatIsoDate", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 2_000_000 }), (day) => {
        expect(parseIsoDate(formatIsoDate(day))).toBe(day);
      }),
    );
  });
});

describe("isIsoDate", () => {
  it("accepts leap days only in leap years", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2100-02-29")).toBe(false);
  });
});

describe("addDays and diffDays", () => {
  it("cross month and year ends", () => {
    expect(addDays("2024-02-28", 2)).toBe("2024-03-01");
    expect(addDays("2024-01-01", -1)).toBe("2023-12-31");
    expect(diffDays("2023-12-25", "2024-01-01")).toBe(7);
    expect(diffDays("2024-01-01", "2023-12-25")).toBe(-7);
  });

  it("are inverses", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: -5000, max: 5000 }), (day, n) => {
        const date = formatIsoDate(day);
        expect(diffDays(date, addDays(date, n))).toBe(n);
      }),
    );
  });
});

describe("isoWeekStart", () => {
  it("returns the Monday of the ISO week", () => {
    expect(isoWeekStart("2024-01-01")).toBe("2024-01-01"); // a Monday
    expect(isoWeekStart("2024-01-07")).toBe("2024-01-01"); // Sunday
    expect(isoWeekStart("2024-01-08")).toBe("2024-01-08");
    expect(isoWeekStart("2021-01-03")).toBe("2020-12-28");
  });

  it("is a Monday no more than six days earlier, for days before 1970 too", () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 50_000 }), (day) => {
        const date = formatIsoDate(day);
        const monday = isoWeekStart(date);
        expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
        expect(diffDays(monday, date)).toBeGreaterThanOrEqual(0);
        expect(diffDays(monday, date)).toBeLessThan(7);
      }),
    );
  });
});

describe("dayOfTimestamp", () => {
  it("takes the UTC day of a timestamp with an offset", () => {
    expect(dayOfTimestamp("2024-03-15T23:30:00-02:00")).toBe("2024-03-16");
    expect(dayOfTimestamp("2024-03-15T09:00:00Z")).toBe("2024-03-15");
  });

  it("rejects text that is not a timestamp", () => {
    expect(() => dayOfTimestamp("yesterday")).toThrow(/ISO-8601/);
  });
});

describe("minDate and maxDate", () => {
  it("pick the earlier and the later day", () => {
    expect(minDate("2024-01-02", "2023-12-31")).toBe("2023-12-31");
    expect(maxDate("2024-01-02", "2023-12-31")).toBe("2024-01-02");
  });
});
