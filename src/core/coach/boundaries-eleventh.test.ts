/**
 * Issue 18, eleventh pass: the boundaries left after the eleventh set. Each shape is tested with
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

describe("a state word used as the verb of an order is an action", () => {
  it.each([
    "Fit a new washer to the kitchen tap.",
    "fit smoke alarm in the landing",
    "Fit the stair gate at the top of the stairs.",
    "fit bike rack onto the car",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a state to reach, and a comparative used as a verb, as they were", () => {
    expect(read("fit enough to walk the coast path")).toBe("outcome");
    expect(read("fit and rested by the wedding")).toBe("outcome");
    expect(read("fit into my suit for the wedding")).toBe("outcome");
    expect(read("calm at work")).toBe("outcome");
    expect(read("Lower my resting heart rate")).toBe("vague");
  });
});

describe("a label that names the task, then its object, is an action", () => {
  it.each([
    "code review: Priya's login fix",
    "30-min timebox: pension providers, shortlist of 3",
    "flashcards: 30 Italian nouns",
    "1h spike: Redis vs Memcached, notes for the team",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a result stated after the label, and a label that is not a task, as they were", () => {
    expect(read("code review: all comments resolved")).not.toBe("action");
    expect(read("audit: every invoice filed")).toBe("outcome");
    expect(read("Q1: conversion at 4%")).toBe("outcome");
  });
});

describe("a bare 'To' errand with a few things, a moved particle or a tool is an action", () => {
  it.each([
    "To read one article about the tax rules and write the new words.",
    "To post three parcels to my cousins.",
    "To put on the website the new opening hours.",
    "To clean the oven with the spray which my sister gave.",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a large amount, a counterparty and a result as outcomes", () => {
    expect(read("To collect 500 signatures for the petition.")).toBe("outcome");
    expect(read("To sign the rental contract with the agency.")).toBe("outcome");
    expect(read("To close the deal with the wholesaler.")).toBe("outcome");
  });
});

describe("a terse job noun for a person, a group or a place is an action", () => {
  it.each([
    "permission slips for the year 4 trip",
    "tetanus booster @ surgery",
    "thank-you card for the caretaker",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a target met or a thing left in a state as an outcome", () => {
    expect(read("sales target hit for March")).toBe("outcome");
    expect(read("spare room unheated for the winter")).toBe("outcome");
    expect(read("grant for the scout hut approved")).toBe("outcome");
  });
});

describe("a goal to get a thing into a finished state is measurable", () => {
  const measurable = (text: string) => lintGoal(text, { now }).smart.measurable;
  it.each([
    "Get my short story accepted by a literary magazine.",
    "Get my allotment application accepted before spring.",
    "Get the old chapel restored by the end of next year.",
  ])("%j is measurable", (text) => {
    expect(measurable(text)).toBe(true);
  });

  it("keeps an open comparative, a time only arranged and a whole area as not measurable", () => {
    expect(measurable("Get the café noticed by more tourists.")).toBe(false);
    expect(measurable("Get the hearing test scheduled.")).toBe(false);
    expect(measurable("Get our paperwork sorted before the move.")).toBe(false);
    expect(measurable("Get the team excited about the launch.")).toBe(false);
  });
});
