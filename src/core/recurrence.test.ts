import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./dates.js";
import {
  alignStart,
  describeRecurrence,
  MAX_OCCURRENCES,
  occurrencesBetween,
  occurrencesThrough,
  parseRecurrence,
} from "./recurrence.js";

/** The rule for words that must read; fails the test with the error otherwise. */
function rule(text: string, start: string, end?: { until?: string; count?: number }): string {
  const r = parseRecurrence(text, start, end);
  if ("error" in r) throw new Error(r.error);
  return r.rrule;
}

function error(text: string, start = "2026-11-02", end?: { until?: string; count?: number }): string {
  const r = parseRecurrence(text, start, end);
  if ("rrule" in r) throw new Error(`expected "${text}" to be refused, got ${r.rrule}`);
  return r.error;
}

// 2026-11-02 is a Monday.
const MON = "2026-11-02";

describe("parseRecurrence", () => {
  it.each([
    ["every day", "FREQ=DAILY"],
    ["daily", "FREQ=DAILY"],
    ["Every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ["every Monday", "FREQ=WEEKLY;BYDAY=MO"],
    ["every Monday and Thursday", "FREQ=WEEKLY;BYDAY=MO,TH"],
    ["every mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE"],
    ["every Friday, Monday and Wednesday", "FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    ["every week", "FREQ=WEEKLY"],
    ["weekly", "FREQ=WEEKLY"],
    ["every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"],
    ["every other week", "FREQ=WEEKLY;INTERVAL=2"],
    ["every 2 weeks on Friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"],
    ["every other Friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"],
    ["every month", "FREQ=MONTHLY"],
    ["monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["every month on day 3", "FREQ=MONTHLY;BYMONTHDAY=3"],
    ["every month on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1"],
    ["every month on the first Monday", "FREQ=MONTHLY;BYDAY=1MO"],
    ["every 3rd friday", "FREQ=MONTHLY;BYDAY=3FR"],
    ["every 15th", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["every 3 days", "FREQ=DAILY;INTERVAL=3"],
    ["every three days", "FREQ=DAILY;INTERVAL=3"],
    ["every year", "FREQ=YEARLY"],
    ["every day until 2027-01-31", "FREQ=DAILY;UNTIL=20270131"],
    ["every Monday for 6 times", "FREQ=WEEKLY;BYDAY=MO;COUNT=6"],
    ["every day, 6 times", "FREQ=DAILY;COUNT=6"],
  ])("reads %j as %s", (words, expected) => {
    expect(rule(words, MON)).toBe(expected);
  });

  it("accepts a raw RRULE, with or without its prefix, and writes it in one order", () => {
    expect(rule("FREQ=WEEKLY;BYDAY=MO", MON)).toBe("FREQ=WEEKLY;BYDAY=MO");
    expect(rule("RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=20270131", MON)).toBe(
      "FREQ=DAILY;INTERVAL=3;UNTIL=20270131",
    );
    expect(rule("rrule:count=6;bymonthday=15;freq=monthly", MON)).toBe("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6");
    expect(rule("FREQ=DAILY;INTERVAL=1;UNTIL=20270131T235959Z", MON)).toBe("FREQ=DAILY;UNTIL=20270131");
  });

  it("takes an end day or a count given apart from the words", () => {
    expect(rule("every Monday", MON, { until: "2027-01-31" })).toBe("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270131");
    expect(rule("FREQ=DAILY", MON, { count: 6 })).toBe("FREQ=DAILY;COUNT=6");
    expect(rule("every day until 2027-01-31", MON, { until: "2027-01-31" })).toBe(
      "FREQ=DAILY;UNTIL=20270131",
    );
  });

  it("keeps a day past the 28th in shorter months by falling back to their last day", () => {
    expect(rule("every month", "2027-01-31")).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
    expect(rule("monthly on the 30th", MON)).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1");
    expect(rule("every year", "2028-02-29")).toBe("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1");
  });

  it("says how to write a repeat it cannot read, with examples", () => {
    for (const bad of [
      "every fortnite",
      "sometimes",
      "every 0 days",
      "every month on the 32nd",
      "every day at noon",
    ]) {
      const message = error(bad);
      expect(message).toContain(`"${bad}" is not a repeat Throughline reads.`);
      expect(message).toContain('"every Monday and Thursday"');
      expect(message).toContain('"FREQ=WEEKLY;BYDAY=MO"');
    }
    expect(error("")).toMatch(/^The repeat is empty\. Write it like/);
  });

  it("names what is wrong with an end or a count", () => {
    expect(error("every day until next week")).toBe(
      'The end "next week" in "every day until next week" is not a date: write it YYYY-MM-DD, as in "every Monday until 2027-01-31".',
    );
    expect(error("every day until 2026-10-01")).toBe(
      "The end 2026-10-01 is before the first day, 2026-11-02: give an end on or after it.",
    );
    expect(error("every day for 0 times")).toMatch(/"0" .* is not a number of times from 1 to 10000/);
    expect(error("every day until 2027-01-31", MON, { count: 3 })).toMatch(/not both/);
    expect(error("every day until 2027-01-31", MON, { until: "2027-02-28" })).toMatch(/give one end/);
    expect(error("every day", MON, { count: 2.5 })).toMatch(/not a whole number/);
    expect(error("every day", "2026-02-30")).toMatch(/first day '2026-02-30' is not a date/);
  });

  it("refuses a raw rule Throughline cannot keep, saying which part and why", () => {
    expect(error("FREQ=HOURLY")).toMatch(
      /FREQ=HOURLY repeats within a day.*use DAILY, WEEKLY, MONTHLY or YEARLY/,
    );
    expect(error("FREQ=DAILY;BYHOUR=9")).toMatch(/BYHOUR sets a time of day/);
    expect(error("FREQ=DAILY;COUNT=3;UNTIL=20270101")).toMatch(/both COUNT and UNTIL/);
    expect(error("FREQ=WEEKLY;BYDAY=XX")).toMatch(/BYDAY=XX has "XX"/);
    expect(error("FREQ=WEEKLY;BYDAY=1MO")).toMatch(/only a MONTHLY or YEARLY rule/);
    expect(error("FREQ=DAILY;FOO=1")).toMatch(/"FOO" is not a part of an RRULE/);
    expect(error("INTERVAL=2")).toMatch(/no FREQ/);
    expect(error("DTSTART:20261102\nRRULE:FREQ=DAILY")).toMatch(/without DTSTART/);
    expect(error("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")).toMatch(/never falls on a day within 10 years/);
    expect(error("FREQ=DAILY;UNTIL=20270230")).toMatch(/UNTIL=20270230 is not a day/);
  });
});

describe("occurrencesBetween", () => {
  const days = (text: string, start: string, from: string, to: string) =>
    occurrencesBetween(rule(text, start), start, from, to);

  it("lists each form's days in a range, both ends included", () => {
    expect(days("every day", MON, "2026-11-05", "2026-11-07")).toEqual([
      "2026-11-05",
      "2026-11-06",
      "2026-11-07",
    ]);
    expect(days("every weekday", MON, "2026-11-05", "2026-11-10")).toEqual([
      "2026-11-05",
      "2026-11-06",
      "2026-11-09",
      "2026-11-10",
    ]);
    expect(days("every Monday and Thursday", MON, MON, "2026-11-15")).toEqual([
      "2026-11-02",
      "2026-11-05",
      "2026-11-09",
      "2026-11-12",
    ]);
    expect(days("every mon,wed", MON, MON, "2026-11-08")).toEqual(
      days("every Monday and Wednesday", MON, MON, "2026-11-08"),
    );
    expect(days("every week", MON, MON, "2026-11-30")).toEqual([
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
      "2026-11-23",
      "2026-11-30",
    ]);
    expect(days("every 2 weeks on Friday", "2026-11-06", "2026-11-06", "2026-12-31")).toEqual([
      "2026-11-06",
      "2026-11-20",
      "2026-12-04",
      "2026-12-18",
    ]);
    expect(days("monthly on the 15th", "2026-11-15", "2026-11-01", "2027-02-28")).toEqual([
      "2026-11-15",
      "2026-12-15",
      "2027-01-15",
      "2027-02-15",
    ]);
    expect(days("every 3 days", MON, MON, "2026-11-12")).toEqual([
      "2026-11-02",
      "2026-11-05",
      "2026-11-08",
      "2026-11-11",
    ]);
    expect(days("every month on the first Monday", MON, MON, "2027-01-31")).toEqual([
      "2026-11-02",
      "2026-12-07",
      "2027-01-04",
    ]);
  });

  it("falls on the last day of shorter months for the 31st, leap years included", () => {
    expect(days("every month", "2027-01-31", "2027-01-01", "2027-05-31")).toEqual([
      "2027-01-31",
      "2027-02-28",
      "2027-03-31",
      "2027-04-30",
      "2027-05-31",
    ]);
    expect(days("every month on the 31st", "2028-01-31", "2028-02-01", "2028-02-29")).toEqual(["2028-02-29"]);
    expect(days("every year", "2028-02-29", "2028-01-01", "2032-12-31")).toEqual([
      "2028-02-29",
      "2029-02-28",
      "2030-02-28",
      "2031-02-28",
      "2032-02-29",
    ]);
    // A raw rule keeps RFC 5545's meaning: months without a 31st are skipped.
    expect(
      occurrencesBetween("FREQ=MONTHLY;BYMONTHDAY=31", "2027-01-31", "2027-01-01", "2027-05-31"),
    ).toEqual(["2027-01-31", "2027-03-31", "2027-05-31"]);
  });

  it("stops at the end day (included) and after the count, the first day counted", () => {
    expect(days("every day until 2026-11-04", MON, MON, "2026-12-31")).toEqual([
      "2026-11-02",
      "2026-11-03",
      "2026-11-04",
    ]);
    expect(days("every week, 3 times", MON, MON, "2027-12-31")).toEqual([
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
    ]);
    expect(days("every day, once", MON, MON, "2027-12-31")).toEqual([MON]);
  });

  it("keeps the due date as the first day even when the rule would not fall on it", () => {
    // 2026-11-04 is a Wednesday: the step is due then, then every Monday; COUNT counts the Wednesday.
    expect(days("every Monday", "2026-11-04", "2026-11-01", "2026-11-20")).toEqual([
      "2026-11-04",
      "2026-11-09",
      "2026-11-16",
    ]);
    expect(days("every Monday, 3 times", "2026-11-04", "2026-11-01", "2027-12-31")).toEqual([
      "2026-11-04",
      "2026-11-09",
      "2026-11-16",
    ]);
  });

  it("has nothing before the start or in an empty range", () => {
    expect(days("every day", MON, "2026-10-01", "2026-11-01")).toEqual([]);
    expect(days("every day", MON, "2026-11-10", "2026-11-09")).toEqual([]);
  });

  it(`returns at most ${MAX_OCCURRENCES} days, the earliest`, () => {
    const all = occurrencesThrough("FREQ=DAILY", "2026-01-01", "2035-12-31");
    expect(all).toHaveLength(MAX_OCCURRENCES);
    expect(all[0]).toBe("2026-01-01");
    expect(all[MAX_OCCURRENCES - 1]).toBe(addDays("2026-01-01", MAX_OCCURRENCES - 1));
  });

  it("refuses a stored rule that is not valid (a caller's bug)", () => {
    expect(() => occurrencesBetween("FREQ=HOURLY", MON, MON, MON)).toThrow(RangeError);
    expect(() => occurrencesBetween("FREQ=DAILY", "someday", MON, MON)).toThrow(RangeError);
  });

  it("is the union of its parts over any split of the range", () => {
    const texts = [
      "every day",
      "every weekday",
      "every Monday and Thursday",
      "every 2 weeks on Friday",
      "every month",
      "monthly on the 31st",
      "every 3 days",
      "every month on the last Friday",
      "every year",
      "every day, 40 times",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: -60, max: 400 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.option(fc.integer({ min: 0, max: 400 })),
        (text, startOffset, fromOffset, length, cut, untilOffset) => {
          const start = addDays("2024-01-01", startOffset);
          const until = untilOffset === null || /times/.test(text) ? undefined : addDays(start, untilOffset);
          const rrule = rule(text, start, { until });
          const from = addDays(start, fromOffset);
          const to = addDays(from, length);
          const mid = addDays(from, Math.min(cut, length));
          const whole = occurrencesBetween(rrule, start, from, to);
          const parts = [
            ...occurrencesBetween(rrule, start, from, mid),
            ...occurrencesBetween(rrule, start, addDays(mid, 1), to),
          ];
          expect(parts).toEqual(whole);
          expect([...whole].sort()).toEqual(whole);
          expect(new Set(whole).size).toBe(whole.length);
          for (const d of whole) expect(d >= from && d <= to && d >= start).toBe(true);
          if (to >= start) expect(occurrencesThrough(rrule, start, to)[0]).toBe(start);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("alignStart", () => {
  it("gives the rule's first day on or after a day", () => {
    expect(alignStart("FREQ=WEEKLY;BYDAY=SA", "2026-11-18")).toBe("2026-11-21");
    expect(alignStart("FREQ=WEEKLY;BYDAY=SA", "2026-11-21")).toBe("2026-11-21");
    expect(alignStart("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2", "2026-11-16")).toBe("2026-12-15");
    expect(alignStart("FREQ=DAILY", MON)).toBe(MON);
  });
});

describe("describeRecurrence", () => {
  it.each([
    ["FREQ=DAILY", "every day"],
    ["FREQ=DAILY;INTERVAL=3", "every 3 days"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"],
    ["FREQ=WEEKLY;BYDAY=MO", "every Monday"],
    ["FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"],
    ["FREQ=WEEKLY", "every week"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270131", "every 2 weeks on Friday, until 31 Jan 2027"],
    ["FREQ=DAILY;COUNT=6", "every day, 6 times"],
    ["FREQ=MONTHLY;BYMONTHDAY=15;COUNT=1", "every month on the 15th, once"],
    ["FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "every month on the 31st (or the month's last day)"],
    ["FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"],
    ["FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"],
    ["FREQ=MONTHLY;INTERVAL=3", "every 3 months"],
    ["FREQ=YEARLY", "every year"],
    [
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
      "every year on 29 Feb (28 Feb when there is none)",
    ],
  ])("describes %s as %j", (rrule, text) => {
    expect(describeRecurrence(rrule)).toBe(text);
  });

  it("describes the words it reads back in the same words", () => {
    for (const words of [
      "every day",
      "every weekday",
      "every Monday and Thursday",
      "every 2 weeks on Friday",
    ]) {
      expect(describeRecurrence(rule(words, MON))).toBe(words);
    }
  });

  it("falls back to rrule's words, or the rule itself, for rules written by hand", () => {
    expect(describeRecurrence("FREQ=YEARLY;BYWEEKNO=20")).toBe("every year in week 20");
    // Every caller writes "repeats …" before it (`week`: "repeats by the rule …", once).
    expect(describeRecurrence("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1")).toBe(
      "by the rule FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1",
    );
  });
});
