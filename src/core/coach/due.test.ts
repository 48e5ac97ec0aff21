import { describe, expect, it } from "vitest";
import { isIsoDay, parseDue } from "./due.js";

const now = "2026-11-18"; // a Wednesday

describe("parseDue", () => {
  it.each([
    ["by Friday", "2026-11-20"],
    ["next Friday", "2026-11-27"],
    ["tomorrow", "2026-11-19"],
    ["tonight", "2026-11-18"],
    ["send it EOD", "2026-11-18"],
    ["in 6 weeks", "2026-12-30"],
    ["within 30 days", "2026-12-18"],
    ["by March 31", "2027-03-31"],
    ["before May 31", "2027-05-31"],
    ["by Dec 15th", "2026-12-15"],
    ["by the 15th", "2026-12-15"],
    ["2026-12-01", "2026-12-01"],
    ["this week", "2026-11-20"],
    ["next week", "2026-11-27"],
    ["by the end of the month", "2026-11-30"],
    ["next month", "2026-12-31"],
    ["by May", "2027-05-31"],
    ["before April", "2027-03-31"],
    ["by mid-January", "2027-01-15"],
    ["this quarter", "2026-12-31"],
    ["end of Q1", "2027-03-31"],
    ["by Q3 2027", "2027-09-30"],
    ["next quarter", "2027-03-31"],
    ["in H1", "2027-06-30"],
    ["by the end of the year", "2026-12-31"],
    ["next year", "2027-12-31"],
    ["in 2027", "2027-12-31"],
    ["by Christmas Eve", "2026-12-24"],
    ["Monday: send the invoice", "2026-11-23"],
  ])("reads %j as %s", (text, expected) => {
    expect(parseDue(text, now)).toBe(expected);
  });

  it.each([
    "Call Dana",
    "Review the Q3 budget",
    "Submit the March invoices",
    "Run 3 times a week",
    "Post every Monday",
    "Meditate 10 minutes",
    "Grow from 1,200 to 2,000 users",
    "Raise $2M in seed funding",
    "Cut screen time to 1 hour a day",
    "we sat down and talked",
  ])("finds no date in %j", (text) => {
    expect(parseDue(text, now)).toBeNull();
  });

  it.each([
    ["Call Dana by 2027-03-31", "2027-03-31"],
    ["Send the draft by 2026-12-15", "2026-12-15"],
    ["Renew the lease before 2027-02-01 at the latest", "2027-02-01"],
    ["Book the venue on 2026-12-03", "2026-12-03"],
    ["due 2027-01-10: file the taxes", "2027-01-10"],
  ])("reads an ISO day inside a sentence as that day: %s", (text, due) => {
    expect(parseDue(text, now)).toBe(due);
  });

  it.each([
    "Send Dana the download numbers for March",
    "Write the report of June",
    "Plan the rota for December",
  ])("reads a month named as a period, not a deadline, as no date: %s", (text) => {
    expect(parseDue(text, now)).toBeNull();
  });

  // Shapes the blind set's goals used that the reading missed (docs/coach.md, "Goal dates").
  it.each([
    ["ship it in 3 wks", "2026-12-09"],
    ["close 10 deals next wk", "2026-11-27"],
    ["run 100 km over the next 4 weeks", "2026-12-16"],
    ["walk 50 miles over the next 2 wks", "2026-12-02"],
    ["quit sugar before the new year", "2026-12-31"],
    ["tidy the garage before new year", "2026-12-31"],
    ["new roof in the first half of next year", "2027-06-30"],
    ["cut costs by 10% in the first semester", "2027-06-30"],
    ["launch in the second half of the year", "2026-12-31"],
    ["move house in the middle of February", "2027-02-15"],
    ["invoices out by 30th", "2026-11-30"],
    ["be at 120% of target when the year closes", "2026-12-31"],
    ["new kitchen in the 2028", "2028-12-31"],
    ["the plan for 2027 signed off by Friday", "2026-11-20"],
  ])("reads %j as %s", (text, expected) => {
    expect(parseDue(text, now)).toBe(expected);
  });

  // Shapes the fourth set's goals used that the reading missed (docs/coach.md, "The fourth set").
  it.each([
    ["read 12 books this yr", "2026-12-31"],
    ["new bike by Xmas", "2026-12-25"],
    ["double the savings in the next 3 months", "2027-02-18"],
    ["open two shops in next 6 months", "2027-05-18"],
    ["sell the car over the next 2 years", "2028-11-18"],
    ["swim 20 km over January", "2027-01-31"],
    ["stop the sugar until 1st January", "2027-01-01"],
    ["finish the tiling till 15th January", "2027-01-15"],
    ["go live in the first week of December", "2026-12-04"],
    ["the audit done in the last week of January", "2027-01-29"],
    ["ask each mentor for coffee within four weeks", "2026-12-16"],
  ])("reads %j as %s", (text, expected) => {
    expect(parseDue(text, now)).toBe(expected);
  });

  it.each([
    "pay the rent on the 1st every month",
    "send the newsletter on the 15th of each month",
    "answer every ticket within 4h",
    "reply to leads within 2h",
    "Answer every call on the helpline within one day.",
    "Call back each new customer within two days",
  ])("reads a repeating day or a service level as no date: %s", (text) => {
    expect(parseDue(text, now)).toBeNull();
  });

  it("takes the first date when there are several", () => {
    expect(parseDue("Draft by Monday, send by Friday", now)).toBe("2026-11-23");
  });

  it("rejects a reference day that is not a date", () => {
    expect(() => parseDue("by Friday", "2026-02-30")).toThrow(RangeError);
  });
});

describe("isIsoDay", () => {
  it("accepts only real days written as YYYY-MM-DD", () => {
    expect(isIsoDay("2028-02-29")).toBe(true);
    expect(isIsoDay("2027-02-29")).toBe(false);
    expect(isIsoDay("2027-2-1")).toBe(false);
    expect(isIsoDay(null)).toBe(false);
  });
});
