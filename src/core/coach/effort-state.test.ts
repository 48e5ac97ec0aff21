/**
 * Issue 18, generalisation: effort-only phrasing is vague, and an outcome phrased as a state to
 * be in, a standing to reach or a result won in an event is an outcome. The sentences here are
 * written for these rules, not taken from the independent set.
 */
import { describe, expect, it } from "vitest";
import { lintStep } from "./index.js";

const now = "2026-11-18";
const classOf = (text: string) => {
  const lint = lintStep(text, { now });
  if (lint.kind === "outcome") return "outcome";
  return lint.findings.some((f) => f.code === "vague-verb") ? "vague" : "action";
};

describe("effort with no concrete action", () => {
  it.each([
    "Continue with the pottery class",
    "keep going with the couch-to-5k plan",
    "I'll keep plugging away at the thesis",
    "Carry on with the Spanish app",
    "go on improving the wiki",
    "tidy stuff in the shed",
    "Do something about the loft",
    "sort out the invoices mess",
    "do some reading for the course",
    "Spend some time on the roadmap",
    "cut back on coffee",
    "The fence needs fixing",
    "cycle harder on the hills",
    "volunteer more at the shelter",
    "water the plants a bit",
    "be calmer with the kids",
    "get better at estimating",
    "more journaling",
    "The roadmap is a mess, so I'll spend more time on it this week.",
  ])("reads %j as vague", (text) => {
    expect(classOf(text)).toBe("vague");
  });

  it.each([
    "Keep a food diary this week",
    "Go on a 20 minute walk after lunch",
    "Cut the intro video to 30 seconds",
    "clean the bike with the degreaser Sam lent me",
    "Write down three things I'm grateful for",
    "45 min piano practice after dinner",
    "email the plumber re: the leaking tap",
  ])("still reads %j as a clean action", (text) => {
    expect(classOf(text)).toBe("action");
  });
});

describe("an outcome phrased as a state, a standing or a result in an event", () => {
  it.each([
    "Get the lease renewed by the agency",
    "Get the council to repair the streetlight",
    "Get my deposit back from the landlord",
    "Know the 20 most common Spanish verbs",
    "Understand the new pension rules",
    "Own a car outright",
    "Be settled into the new office",
    "Have a shed we can walk into",
    "Pass the citizenship test",
    "Complete the Berlin marathon",
    "all invoices sent before the audit",
    "garage door fixed by spring",
    "loft conversion done",
    "error rate 0.5%",
  ])("reads %j as an outcome", (text) => {
    expect(classOf(text)).toBe("outcome");
  });

  it.each(["Have a call with the bank", "Get three quotes for the roof", "Have lunch with Sam"])(
    "still reads %j as an action",
    (text) => {
      expect(classOf(text)).toBe("action");
    },
  );
});

// Issue 18, third pass: a change with no end (a verb of degree with no amount, or an unbounded
// comparative after the verb) is vague; with an amount, a destination or a state verb it is an
// outcome. Attention promised to a subject ("X should be my focus") names no action either.
describe("a change with no end", () => {
  it.each([
    "Boost the blog's traffic",
    "Optimise the checkout page",
    "Strengthen ties with the Leeds office",
    "drink less coffee",
    "become a calmer driver",
    "Customer interviews should be my focus this quarter",
    "The garden deserves more attention from us",
  ])("reads %j as vague", (text) => {
    expect(classOf(text)).toBe("vague");
  });

  it.each([
    "Boost the blog's traffic to 5,000 visits a month",
    "Lower my resting heart rate to 60",
    "Expand into the Dutch market",
    "Feel more rested on Mondays",
  ])("reads %j as an outcome", (text) => {
    expect(classOf(text)).toBe("outcome");
  });

  it.each([
    "Lower the thermostat to 19 degrees",
    "Raise the invoice for Acme",
    "Book focus time for Tuesday morning",
    "Email Sam the updated priority list",
  ])("still reads %j as an action", (text) => {
    expect(classOf(text)).toBe("action");
  });
});

// Issue 18, third pass: a first person and a verb of doing in the present say who acts and what
// they do ("Tomorrow I send…"), as many writers, non-native ones most, say what they will do.
describe("the person doing it, in the present", () => {
  it.each([
    "Tomorrow I send the quote to Dana",
    "This evening I repaint the back fence",
    "I am calling the dentist on Monday",
    "On Friday we deliver the boxes to the food bank",
    "I must to renew my passport this week",
    "I go to the post office for send the parcel",
  ])("reads %j as an action", (text) => {
    expect(classOf(text)).toBe("action");
  });

  it.each(["I feel rested after the holiday", "I know the 20 most common Spanish verbs"])(
    "still reads %j as an outcome",
    (text) => {
      expect(classOf(text)).toBe("outcome");
    },
  );
});
