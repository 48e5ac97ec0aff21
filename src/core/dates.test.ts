import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, isIsoDay } from "./dates.js";
import { readDate } from "./read-date.js";

describe("readDate", () => {
  const today = "2026-11-21"; // a Saturday

  it("accepts a real ISO day", () => {
    expect(readDate("2026-02-28", today)).toEqual({ ok: true, date: "2026-02-28" });
  });

  it("refuses impossible days instead of rolling them over", () => {
    for (const bad of ["2026-02-31", "31/02/2026", "2026-13-01", "0/0/0"]) {
      const r = readDate(bad, today, "Due date");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/Use YYYY-MM-DD/);
    }
  });

  it("reads everyday words relative to today", () => {
    expect(readDate("today", today)).toEqual({ ok: true, date: "2026-11-21" });
    expect(readDate("tomorrow", today)).toEqual({ ok: true, date: "2026-11-22" });
    expect(readDate("next Friday", today)).toEqual({ ok: true, date: "2026-11-27" });
    expect(readDate("in 2 weeks", today)).toEqual({ ok: true, date: "2026-12-05" });
  });

  it("asks for YYYY-MM-DD when a numeric date is ambiguous", () => {
    const r = readDate("03/04/2026", today);
    expect(r.ok).toBe(false);
  });

  it("refuses words that are not a date", () => {
    expect(readDate("whenever", today).ok).toBe(false);
    expect(readDate("", today).ok).toBe(false);
  });

  it("never throws and only returns real days", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = readDate(s, today);
        if (r.ok) expect(isIsoDay(r.date)).toBe(true);
      }),
    );
  });

  it("adds days across month ends", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
  });
});
