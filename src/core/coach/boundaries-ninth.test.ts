/**
 * Issue 18, ninth pass: the boundaries left after the ninth set. Each shape is tested with
 * wordings of its own, taken from no labelled set, beside the clean actions and outcomes of the
 * same shape that must keep their reading.
 */
import { describe, expect, it } from "vitest";
import { lintGoal, lintStep } from "./index.js";

const now = "2026-11-18";
const read = (text: string) => {
  const lint = lintStep(text, { now });
  const vague = lint.findings.find((f) => f.code === "vague-verb");
  return lint.kind === "outcome" ? "outcome" : vague ? "vague" : "action";
};

describe("a thing to have, keep or get in an open comparative is vague", () => {
  it.each([
    "Have the garage more tidy.",
    "To have the shed more organised.",
    "I'd like to have the paperwork more in order.",
    "Keep the hallway cleaner on weekdays.",
    "Get the shared drive more organised.",
  ])("%j is vague", (text) => {
    expect(read(text)).toBe("vague");
  });

  it("keeps a state with no comparative, one due for an occasion, and a noun in -er as they were", () => {
    expect(read("Have the garage tidy.")).toBe("outcome");
    expect(read("Have the spare room more cosy for Easter.")).toBe("outcome");
    expect(read("Make my library card at the town hall with my passport.")).toBe("action");
    expect(read("Get the cleaner in on Thursday.")).not.toBe("vague");
  });
});

describe("a group's state is an outcome", () => {
  it.each([
    "All of my trainees can take a blood pressure reading.",
    "The new starters all know where the fire exits are.",
    "the allotment plots all let for next season",
  ])("%j is an outcome", (text) => {
    expect(read(text)).toBe("outcome");
  });

  it("keeps an order to a group as an action", () => {
    expect(read("Email all of the volunteers the new rota.")).toBe("action");
    expect(read("Tell the new starters where the fire exits are.")).toBe("action");
  });
});

describe("a verb done again is as concrete as the verb", () => {
  it.each([
    "re-run the survey w/ cleaned answers",
    "re-run payroll for the 4 late claims",
    "re-book the van for Saturday morning",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });
});

describe("a level held, with no verb, is an outcome", () => {
  it.each([
    "fasting insulin below 10",
    "hba1c back to 42",
    "sub 90 min half marathon",
    "rent back to £900",
    "median wait ≤ 15 min at triage",
    "churn below 2% for Q2",
  ])("%j is an outcome", (text) => {
    expect(read(text)).toBe("outcome");
  });

  it("keeps a count of a doing and a threshold that sets an alert off as actions", () => {
    expect(read("20 min stretch after work")).toBe("action");
    expect(read("add alert for memory > 90% on cache-1")).toBe("action");
    expect(read("set up paging on error rate > 2%")).toBe("action");
  });
});

describe("a thing in the past form of a verb the coach does not know is an outcome", () => {
  it.each(["contract extension countersigned", "fund transfer received", "lease renewal granted"])(
    "%j is an outcome",
    (text) => {
      expect(read(text)).toBe("outcome");
    },
  );

  it("keeps an order whose object is followed by such a word as an action", () => {
    expect(read("Ring the council to ask why my bin day shifted in May.")).toBe("action");
    expect(read("Post to the landlord the inventory initialled.")).toBe("action");
  });
});

describe("modernising has no end", () => {
  it("reads modernise with no amount as vague, and with an amount as an outcome", () => {
    expect(read("Modernise the intranet.")).toBe("vague");
    expect(read("modernize the checkout flow")).toBe("vague");
    expect(read("Modernise the waiting room with 4 new chairs.")).toBe("outcome");
  });
});

describe("goals: a count of a doing repeated each day or week is a habit", () => {
  const reading = (text: string) => lintGoal(text, { now }).reading;
  it.each([
    "Swim 30 lengths every morning.",
    "Write 500 words every day.",
    "25 cold emails/day",
    "Cycle to work three times in week.",
  ])("%j is a habit, not measurable", (text) => {
    expect(reading(text)).toBe("habit");
    expect(lintGoal(text, { now }).smart.measurable).toBe(false);
  });

  it("keeps a result counted per period, and a habit kept up to a period's end, as numbers", () => {
    expect(reading("Win 12 new accounts a month.")).toBe("number");
    expect(reading("300 newsletter signups/week")).toBe("number");
    expect(reading("Swim 30 lengths every morning until the end of March.")).toBe("number");
  });
});
