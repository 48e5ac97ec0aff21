/**
 * Issue 18, fourth pass: the shapes of a vague step the coach read as an action or an outcome. Each
 * shape is tested with wordings of its own, not the phrases of the labelled sets, and each beside
 * the clean actions and outcomes of the same shape that must keep their reading.
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

describe("clean actions stay actions", () => {
  it.each([
    "email Raj about the renewal",
    "book the dentist",
    "fix the flaky login test",
    "draft the Q1 budget",
    "Stop the free trial before it renews",
    "Order two more folding chairs for the hall",
    "Print two more copies of the lease",
    "Keep the receipts in the blue folder",
    "I want to update my CV with the two projects I led",
    "I'd like to call the landlord about the boiler on Monday",
    "Read the contract carefully before signing",
  ])("%j", (text) => {
    expect(read(text)).toBe("action");
  });
});

describe("effort in the manner, not the deed", () => {
  it.each([
    ["revise for the chemistry exam properly", "properly"],
    ["I should treat my sleep more seriously", "more seriously"],
    ["read up on tax rules someday", "someday"],
    ["study the contract law module more deeply", "more deeply"],
    ["get the shed watertight somehow", "somehow"],
    ["know the product range thoroughly", "thoroughly"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("leaves a measured step to the other rules", () => {
    expect(read("Run 5 km properly warmed up")).not.toBe("vague");
  });
});

describe("a habit to break", () => {
  it.each([
    ["stop snacking after dinner", "stop snacking"],
    ["Quit doomscrolling at night", "quit doomscrolling"],
    ["I need to stop overcommitting at work", "stop overcommitting"],
    ["Don't buy coffee on the way in", "don't"],
    ["Try not to skip the weekly review", "try not"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps stopping a thing an action", () => {
    expect(read("stop the gym direct debit")).toBe("action");
  });
});

describe("a thing to be better, with no measure", () => {
  it.each([
    ["make the hallway brighter", "brighter"],
    ["Make the intake form less confusing for parents", "make … less"],
    ["get the spare room more usable", "get … more"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps a measured change an outcome and a thing to make an action", () => {
    expect(read("Make the checkout 2 seconds faster")).toBe("outcome");
    expect(read("Make a shorter agenda for Friday")).not.toBe("outcome");
  });
});

describe("a wish for oneself to be more of something", () => {
  it.each([
    ["I'd like to feel calmer at work", "calmer"],
    ["I want to know more about wine", "more"],
    ["We hope to be less rushed in the mornings", "less"],
    ["I really want to understand our pricing better", "better"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps a plain state, a measured wish and a wish with a deadline outcomes", () => {
    expect(read("Feel less stressed at work")).toBe("outcome");
    expect(read("I want to be 5 kg lighter by June")).toBe("outcome");
    expect(read("I want to be promoted to team lead by March")).toBe("outcome");
  });
});

describe("more or less of a habit, with no verb and no amount", () => {
  it.each([
    ["more fruit at breakfast", "more fruit"],
    ["less small talk in standup", "less small"],
    ["better tooling for the on-call rota", "better tooling"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  // The sixth pass reads a comparative of a plural or a measure with no amount ("Fewer customer
  // complaints") as vague too: terse-shapes.test.ts, "a direction written as a noun phrase".
  it.each(["Lower churn to 2%", "30% fewer customer complaints", "15% shorter queues at the front desk"])(
    "keeps a comparative of a measure with an amount an outcome: %j",
    (text) => {
      expect(read(text)).toBe("outcome");
    },
  );
});

describe("knowing or being more of something, with no measure", () => {
  it.each([
    ["know the suppliers better", "better"],
    ["Understand more the tax rules", "more"],
    ["be calmer with the kids", "calmer"],
    ["own the release process more", "more"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps knowing a bounded thing an outcome", () => {
    expect(read("know the 20 most common verbs")).toBe("outcome");
    expect(read("Be a certified first aider")).toBe("outcome");
  });
});

describe("a verb of looking after, on a whole area of life", () => {
  it.each([
    ["organise my finances", "organise … finances"],
    ["Take care of my health", "take … health"],
    ["get my money in order", "get … money in"],
    ["take control of our spending", "take … spending"],
    ["fix my diet", "fix … diet"],
    ["support the neighbourhood", "support … neighbourhood"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it.each([
    "sort the receipts into the tax folder",
    "Organise the garage shelves",
    "fix the garden gate latch",
    "Take care of the car tax renewal",
    "Draft the community newsletter",
  ])("keeps a bounded object an action: %j", (text) => {
    expect(read(text)).toBe("action");
  });
});

describe("a skill to improve, with no end", () => {
  it.each([
    ["read up on pension rules", "read up on"],
    ["swot up on organic chemistry", "swot up on"],
    ["learn about wine", "learn about"],
    ["get good at chess", "get good at"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps an action phrase with 'up on' and a named thing to learn", () => {
    expect(read("follow up on the three trade-show leads")).toBe("action");
    expect(read("Learn the 50 irregular verbs by heart")).not.toBe("vague");
  });
});

describe("more of a doing, in its manner", () => {
  it.each([
    ["call my sister more", "call … more"],
    ["walk the dog more in the evenings", "walk … more"],
    ["reply to the parents more fast", "reply … more"],
    ["cook healthier", "cook healthier"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps an amount and a state apart", () => {
    expect(read("Order three more boxes of gloves")).toBe("action");
    expect(read("Have better work-life balance")).toBe("outcome");
  });
});

describe("a doing framed by a bare 'To' (issue 18, fifth pass)", () => {
  it.each([
    ["To cook more at home", "cook more"],
    ["To improve my Welsh for the trip", "improve"],
    ["To spend less on takeaways", "less"],
    ["To read more seriously", "more seriously"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it.each([
    "To sign the lease with the new landlord",
    "To have the visa approved before March",
    "To be the top fundraiser of the club",
    "To find a bigger office near the station",
  ])("keeps a state, a standing or a clean result an outcome: %j", (text) => {
    expect(read(text)).toBe("outcome");
  });
});

describe("some-day timing, depth, generality or 'always' in a phrase (issue 18, fifth pass)", () => {
  it.each([
    ["tidy the shed at some point", "at some point"],
    ["study the tax code in depth", "in depth"],
    ["be kinder in general", "in general"],
    ["Keep the car spotless all the time", "all the time"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps a step that only mentions a day or a time", () => {
    expect(read("Email Dana the deck in general chat")).toBe("action");
    expect(read("Fix the gate in one day")).toBe("action");
  });
});
