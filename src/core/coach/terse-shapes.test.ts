/**
 * Issue 18, sixth pass: terse noun phrases and wished-for standings. Each shape is tested with
 * wordings of its own, taken from no labelled set, beside the clean actions and outcomes of the
 * same shape that must keep their reading.
 */
import { describe, expect, it } from "vitest";
import { lintStep } from "./index.js";

const now = "2026-11-18";
const read = (text: string) => {
  const lint = lintStep(text, { now });
  const vague = lint.findings.find((f) => f.code === "vague-verb");
  return lint.kind === "outcome" ? "outcome" : vague ? "vague" : "action";
};
const vagueWords = (text: string) =>
  lintStep(text, { now }).findings.find((f) => f.code === "vague-verb")?.message ?? "";

describe("a topic, not a step: a noun phrase that names an area or an activity", () => {
  it.each([
    ["inbox hygiene", "hygiene"],
    ["supplier mgmt", "mgmt"],
    ["garden admin", "admin"],
    ["onboarding improvements", "improvements"],
    ["estate maintenance", "maintenance"],
    ["data quality work", "work"],
    ["platform fundamentals", "fundamentals"],
    ["roadmap planning", "planning"],
    ["backlog grooming", "grooming"],
    ["team building w/ the new hires", "building"],
    ["ward morale", "morale"],
    ["fix backlog hygiene", "fix … hygiene"],
    ["the roof needs work", "needs work"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps a task noun an action and a level or a yes-or-no state an outcome", () => {
    expect(read("dentist appointment")).toBe("action");
    expect(read("team retro notes")).toBe("action");
    expect(read("repaint hallway ceiling")).toBe("action");
    expect(read("inbox zero")).toBe("outcome");
    expect(read("Financial independence")).toBe("outcome");
    expect(read("Both dogs sleeping downstairs")).toBe("outcome");
  });

  it("reads a topic after a verb of handing over as the thing handed over", () => {
    expect(read("share onboarding improvements with HR")).toBe("action");
    expect(read("send project ideas")).toBe("action");
    expect(read("clear credit card debt")).not.toBe("vague");
  });

  it("reads an occasion as something to do, not a topic", () => {
    expect(read("gutter clearing Saturday")).not.toBe("vague");
  });
});

describe("a direction written as a noun phrase", () => {
  it.each([
    ["fewer late invoices", "fewer late"],
    ["more repeat bookings", "more repeat"],
    ["better release notes", "better release"],
    ["cheaper suppliers", "cheaper suppliers"],
    ["Have more variety in the menu", "have more variety"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it.each([
    "20% fewer late invoices",
    "fewer than 3 late invoices a month",
    "Have better evenings with the kids",
  ])("keeps %j an outcome (an amount, or a state the person is in)", (text) => {
    expect(read(text)).toBe("outcome");
  });
});

describe("a wished-for standing with no end", () => {
  it.each([
    ["be a good listener", "good"],
    ["become a reliable teammate", "reliable"],
    ["be the go-to engineer for payments", "go-to"],
    ["become expert in Terraform", "expert"],
    ["Become a better cook", "better"],
    ["I'd like to become a more patient parent.", "more"],
    ["get fit before the wedding", "get fit"],
    ["get back in form", "get back in form"],
    ["To be more patient with customers", "to be more"],
    ["To become less shy at parties", "to become less"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it.each([
    "become the fastest runner in the club",
    "To be the youngest partner of the firm",
    "become a chartered accountant",
    "be elected treasurer of the club",
    "be debt-free by 2028",
    "Be promoted to head nurse",
  ])("keeps a rank, an office or a yes-or-no state an outcome: %j", (text) => {
    expect(read(text)).toBe("outcome");
  });
});

describe("a terse task written as a thing", () => {
  it.each([
    "consent form to Mr Okafor",
    "spare keys to the neighbour",
    "thank-you note to the caterers",
    "chuck the broken deckchairs",
    "stash the receipts in the blue box",
    "car insurance - compare quotes tonight",
    "gym membership - cancel it",
    "Kindly send the updated invoice to the client today.",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a standing or a group's state an outcome, and a verb before a dash its reading", () => {
    expect(read("promotion to lead designer")).toBe("outcome");
    expect(read("half the volunteers trained")).toBe("outcome");
    expect(read("draft chapter 3 — two pages")).toBe("action");
  });
});
