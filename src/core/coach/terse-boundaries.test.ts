/**
 * Issue 18, eighth pass: the line between action, outcome and vague in terse and non-native
 * notes. Each shape is tested with wordings of its own, taken from no labelled set, beside the
 * clean actions and outcomes of the same shape that must keep their reading.
 */
import { describe, expect, it } from "vitest";
import { lintGoal, lintStep } from "./index.js";

const now = "2026-11-18";
const read = (text: string) => {
  const lint = lintStep(text, { now });
  const vague = lint.findings.find((f) => f.code === "vague-verb");
  return lint.kind === "outcome" ? "outcome" : vague ? "vague" : "action";
};
const vagueWords = (text: string) =>
  lintStep(text, { now }).findings.find((f) => f.code === "vague-verb")?.message ?? "";

describe("an ability stated with 'can' is an outcome", () => {
  it.each([
    "I can play the Bach minuet from memory without a mistake.",
    "I can cycle the 40 km to my sister's without a rest.",
    "can order a meal in Greek on my own",
    "We can deploy without the release manager in the room.",
  ])("%j is an outcome", (text) => {
    expect(read(text)).toBe("outcome");
  });

  it("keeps an offer for an occasion, a request and a question as actions", () => {
    expect(read("I can drop the keys at the letting agent tomorrow.")).toBe("action");
    expect(read("I can ring the plumber on Monday.")).toBe("action");
    expect(read("Can you print the seating plan?")).not.toBe("outcome");
  });
});

describe("a state reached, written in the past, is an outcome", () => {
  it.each([
    "accepted onto the nursing course",
    "moved into the flat above the bakery",
    "added to the weekend rota for December",
    "Finished the first-aid course with the certificate.",
    "discharged by the physio in time for the season",
  ])("%j is an outcome", (text) => {
    expect(read(text)).toBe("outcome");
  });

  it("keeps orders whose verb happens to end in -ed, and a past form naming a thing, as actions", () => {
    expect(read("bleed the bathroom radiator")).toBe("action");
    expect(read("shred the 2019 payslips")).toBe("action");
    expect(read("feed the neighbour's cat on Saturday")).toBe("action");
    expect(read("Updated CV to the agency")).toBe("action");
  });
});

describe("a state stated with is / are / has been is an outcome", () => {
  it.each([
    "The new version of booking is in production without problems.",
    "All the invoices of the spring are paid.",
    "Planning consent for the loft has been granted.",
  ])("%j is an outcome", (text) => {
    expect(read(text)).toBe("outcome");
  });

  it("keeps orders with a state in a later clause as actions", () => {
    expect(read("Replace the bulb of the porch that is broken.")).toBe("action");
    expect(read("Ask the pharmacist whether the syrup is safe for the baby.")).toBe("action");
    expect(read("Phone the plumber because the boiler is leaking.")).toBe("action");
  });
});

describe("knowing with no end is vague", () => {
  it.each([
    ["learn how the housing market works", "learn how"],
    ["Understand what the tenants really want.", "understand what"],
    ["I should learn why our stock runs out.", "learn why"],
    ["learn to negotiate", "learn to"],
    ["learn some Go", "learn some"],
    ["I'm going to learn a bit of welding.", "learn a"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a named subject as an outcome and a counted list or a call to find out as actions", () => {
    expect(read("Learn Portuguese")).toBe("outcome");
    expect(read("Learn by heart the 12 cranial nerves.")).toBe("action");
    expect(read("Call the council and find out who collects the old sofa.")).toBe("action");
  });
});

describe("a thing named first, then the order, is an action", () => {
  it.each([
    "Passport photos, pick them up at the chemist.",
    "last night's error logs, check for timeouts",
    "Tax return form, fill in with the accountant.",
    "Flu jab leaflet, print for the waiting room.",
    "Q3 receipts, scan and upload",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a state before a comma, and a thing with no order after it, as outcomes", () => {
    expect(read("roof repaired, before the storms")).toBe("outcome");
    expect(read("Spanish C1 certificate, by June")).toBe("outcome");
  });
});

describe("an area named and nothing else is vague", () => {
  it.each([
    ["vendor comms", "comms"],
    ["site speed", "speed"],
    ["donor enablement", "enablement"],
    ["accessibility push", "push"],
    ["French practice", "practice"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a task noun, a yes-or-no state, a finished state, an occasion, a name and an order as they were", () => {
    expect(read("optician appointment")).toBe("action");
    expect(read("Creative independence")).toBe("outcome");
    expect(read("shed roof fixed")).toBe("outcome");
    expect(read("hoover landing")).toBe("action");
    expect(read("descale kettle")).toBe("action");
    expect(read("vendor comms Friday")).not.toBe("vague");
  });
});

describe("goals: a credential gained and a thing in its finished state are done states", () => {
  const reading = (text: string) => lintGoal(text, { now }).reading;

  it.each([
    "Get the HGV class 2 licence.",
    "Earn the chartered surveyor accreditation.",
    "To take the brown belt in judo.",
    "garden office ready by Easter",
    "Have the van's logbook transferred before the sale",
    "attic insulation complete",
  ])("%j reads as a done state", (text) => {
    expect(reading(text)).toBe("done-state");
    expect(lintGoal(text, { now }).smart.measurable).toBe(true);
  });

  it("keeps a direction, a feeling and a participle before its noun as not measurable", () => {
    expect(reading("Have a relaxed Easter with the family.")).toBe(null);
    expect(reading("Get the shed more tidy and organised.")).toBe(null);
    expect(reading("Get better at judo.")).toBe(null);
  });
});
