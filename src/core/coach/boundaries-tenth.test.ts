/**
 * Issue 18, tenth pass: the boundaries left after the tenth set. Each shape is tested with
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

describe("a state required of a thing, in an open comparative, is vague", () => {
  it.each([
    "The waiting room must be more welcoming.",
    "Our invoices should look more professional.",
    "The onboarding docs need to be clearer.",
    "The van has to be more reliable.",
    "I'd like the ward to feel quieter.",
    "We'd like the newsletter to look sharper.",
  ])("%j is vague", (text) => {
    expect(read(text)).toBe("vague");
  });

  it("keeps a level, a finished state, a comparison and an occasion as they were", () => {
    expect(read("The phone bill should be under £40 a month.")).toBe("outcome");
    expect(read("The spare room should be painted.")).toBe("outcome");
    expect(read("The van must be more reliable than the old one.")).not.toBe("vague");
    expect(read("The shop window must look more festive for Christmas.")).not.toBe("vague");
    expect(read("Tell the landlord the boiler must be safer.")).toBe("action");
  });
});

describe("a hold kept on a thing is vague", () => {
  it.each([
    "Keep a tighter eye on the petty cash.",
    "Keep the vet bills under control.",
    "Keep my screen time in check.",
    "Take control over the stock room.",
    "Get to grips with the new rota software.",
    "Get a firm grip on the fleet costs.",
  ])("%j is vague", (text) => {
    expect(read(text)).toBe("vague");
  });

  it("keeps a held state that is stated, and an order with a hold-like noun, as they were", () => {
    expect(read("Her asthma is under control with the new inhaler.")).toBe("outcome");
    expect(read("Get the eye drops on the way home.")).toBe("action");
    expect(read("Keep the receipts in the blue folder.")).toBe("action");
  });
});

describe("a skill brushed up is vague, with or without 'on'", () => {
  it.each(["brush up Portuguese", "swot up statistics", "Brush up my Excel formulas."])(
    "%j is vague",
    (text) => {
      expect(read(text)).toBe("vague");
    },
  );

  it("keeps a brush used on a thing as an action", () => {
    expect(read("Brush the dog before the groomer.")).toBe("action");
  });
});

describe("a kind of work named by its activity noun alone is vague", () => {
  it.each([
    "inbox cleanup",
    "timesheet catch-up",
    "ukulele practice",
    "client follow-ups",
    "writing practice",
  ])("%j is vague", (text) => {
    expect(read(text)).toBe("vague");
  });

  it("keeps a task with a day, a count, a name or a verb first as an action", () => {
    expect(read("batch cooking prep Sat")).toBe("action");
    expect(read("follow-up with Priya re quote")).toBe("action");
    expect(read("send 3 follow-ups")).toBe("action");
    expect(read("schedule practice")).toBe("action");
  });
});

describe("a longer label before a dash, then an order, is an action", () => {
  it.each([
    "quiz night at the Crown — book the room",
    "thank-you card for Mrs Obi — write + post",
    "grant form for the scout hut — fill in + send",
  ])("%j is an action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("leaves a label with no order after it to the other rules", () => {
    expect(read("the whole garage situation — do something")).toBe("vague");
  });
});

describe("a goal with its time put first is read as the goal after it", () => {
  const measurable = (text: string) => lintGoal(text, { now }).smart.measurable;

  it.each([
    "Until 14 February to finish the mural in the school hall.",
    "Before the end of January submit the planning application for the porch.",
    "Till Easter I finish the first draft of the novel.",
    "In four months to have the certificate of food hygiene.",
  ])("%j has a done state", (text) => {
    expect(measurable(text)).toBe(true);
  });

  it("keeps a fronted time before a direction with no end as not measurable", () => {
    expect(measurable("Until March the website must be more modern.")).toBe(false);
    expect(measurable("Until summer to be more relaxed at work.")).toBe(false);
  });
});

describe("care taken of something is vague, unless it is a task", () => {
  it.each([
    "Take care of the problem with the roof gutters.",
    "To take care of my knees.",
    "Take care about the situation with the neighbours.",
    "Take care for the new volunteers after training.",
  ])("%j is vague", (text) => {
    expect(read(text)).toBe("vague");
  });

  it("keeps care taken of a task as an action", () => {
    expect(read("Take care of the invoice for the plumber.")).toBe("action");
    expect(read("take care of the booking for Saturday")).toBe("action");
  });
});
