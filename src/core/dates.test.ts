import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dayIn, dayOf, isIsoDay, machineDay, wallClock } from "./dates.js";
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

describe("readDate in a time zone", () => {
  const read = (text: string, today: string, zone?: string) => readDate(text, today, "Due", zone);

  it("reads an instant with its own offset as the day it is where the person is", () => {
    expect(read("2026-12-05T15:00:00Z", "2026-11-21", "Asia/Tokyo")).toEqual({
      ok: true,
      date: "2026-12-06",
    });
    expect(read("2026-12-04T15:00:00Z", "2026-11-21", "Asia/Tokyo")).toEqual({
      ok: true,
      date: "2026-12-05",
    });
    expect(read("2026-12-05T15:00:00Z", "2026-11-21")).toEqual({ ok: true, date: "2026-12-05" });
  });

  it("reads words and wall times as written, from the person's own today", () => {
    // Friday 27 November in Auckland: "today" is Friday, a wall time stays on its day.
    expect(read("today", "2026-11-27", "Pacific/Auckland")).toEqual({ ok: true, date: "2026-11-27" });
    expect(read("2026-12-05 23:30", "2026-11-27", "Pacific/Auckland")).toEqual({
      ok: true,
      date: "2026-12-05",
    });
  });
});

describe("dayIn", () => {
  // Thursday 26 November 2026, 20:00 UTC: already Friday morning in Auckland (UTC+13 in summer).
  const thursdayEvening = new Date("2026-11-26T20:00:00Z");

  it("gives the day a person in the zone calls today, not the UTC day", () => {
    expect(dayIn(thursdayEvening, "Pacific/Auckland")).toBe("2026-11-27");
    expect(dayIn(thursdayEvening, "UTC")).toBe("2026-11-26");
    expect(dayIn(thursdayEvening, "America/Los_Angeles")).toBe("2026-11-26");
    expect(dayIn(new Date("2026-11-27T06:30:00Z"), "America/Los_Angeles")).toBe("2026-11-26");
  });

  it("reads a Taskwarrior-style instant at a Tokyo midnight as that Tokyo day", () => {
    expect(dayIn(new Date("2026-12-04T15:00:00Z"), "Asia/Tokyo")).toBe("2026-12-05");
  });

  it("agrees with the UTC day in UTC for any instant", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        (d) => {
          expect(dayIn(d, "UTC")).toBe(dayOf(d));
        },
      ),
    );
  });
});

describe("the machine's day and UTC's wall clock without Intl (issue 17, the CLI's start-up)", () => {
  // Instants around midnight and DST changes in the zones below, and a leap day.
  const instants = [
    "2026-03-08T09:59:59Z",
    "2026-03-08T10:00:00Z",
    "2026-03-29T00:30:00Z",
    "2026-04-05T13:59:00Z",
    "2026-09-27T14:00:00Z",
    "2026-11-01T08:30:00Z",
    "2026-11-26T20:00:00Z",
    "2026-12-31T23:59:59Z",
    "2028-02-29T11:00:00Z",
  ].map((s) => new Date(s));

  it("reads the same day in the process's zone as dayIn does with the zone Intl resolves", () => {
    const saved = process.env.TZ;
    try {
      for (const zone of [
        "Pacific/Auckland",
        "America/Los_Angeles",
        "Europe/Berlin",
        "Asia/Kolkata",
        "UTC",
      ]) {
        // Node re-reads the zone for Date and Intl alike when TZ changes.
        process.env.TZ = zone;
        const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
        for (const at of instants) {
          // The change took (ICU may name the zone its own way: Asia/Calcutta).
          expect(dayIn(at, resolved)).toBe(dayIn(at, zone));
          expect(machineDay(at), `${zone} ${at.toISOString()}`).toBe(dayIn(at, resolved));
        }
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("gives UTC's wall clock as Intl formats it", () => {
    const intl = new Intl.DateTimeFormat("en-US", {
      timeZone: "Etc/UTC",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    for (const at of instants) {
      const part: Record<string, number> = {};
      for (const p of intl.formatToParts(at)) part[p.type] = Number(p.value);
      expect(wallClock(at, "UTC")).toEqual({
        year: part.year,
        month: part.month,
        day: part.day,
        hour: part.hour,
        minute: part.minute,
        second: part.second,
      });
    }
    expect(() => wallClock(new Date(Number.NaN), "UTC")).toThrow(RangeError);
  });
});
