/**
 * Issue 18, seventh pass: vague doings on concrete-looking objects. Each shape is tested with
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

describe("a finish the writer leaves open: -ish, 'generally', a question", () => {
  it.each([
    ["tidy the loft-ish", "loft-ish"],
    ["reply to the backlog of DMs-ish", "dms-ish"],
    ["water the allotment-ish", "allotment-ish"],
    ["simplify the onboarding flow, generally", "generally"],
    ["quarterly review template?", "template?"],
    ["pottery class??", "class?"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text)).toContain(words);
  });

  it("keeps a time or a number with -ish, and a question with an occasion or a name, as they were", () => {
    expect(read("call the garage at 5pm-ish")).toBe("action");
    expect(read("read 20-ish pages of the statute")).toBe("action");
    expect(read("book the vet for Tues?")).toBe("action");
    expect(read("email Marguerite about the lease?")).toBe("action");
  });
});

describe("a doing started or gone back to, with no object", () => {
  it.each([
    ["begin meditating again", "begin meditating"],
    ["start saving for later", "start saving"],
    ["Resume sketching in the evenings.", "resume sketching"],
    ["get back into swimming", "get back into"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a gerund with an object, and going back into a place, as actions", () => {
    expect(read("start packing the kitchen boxes")).toBe("action");
    expect(read("begin drafting the grant letter tonight")).toBe("action");
    expect(read("get back into the shared drive and download the invoices")).toBe("action");
  });
});

describe("a disposition got into or kept, and coming to grips", () => {
  it.each([
    ["get involved in the allotment society", "get involved"],
    ["stay motivated with the flute", "stay motivated"],
    ["Become more proactive at standups.", "become proactive"],
    ["get a grip on the parish accounts", "get a grip on"],
    ["get my head around mortgage fees", "get my head around"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps getting a thing and getting it done as they were", () => {
    expect(read("get a quote from the roofer")).toBe("action");
    expect(read("get the lease signed by the landlord")).toBe("outcome");
  });
});

describe("a light verb whose doing is in an effort noun", () => {
  it.each([
    ["Make an effort with the new neighbours.", "make … effort"],
    ["pay more attention to my spelling", "pay … attention"],
    ["Make progress in the chemistry.", "make … progress"],
    ["do my bit for the allotment", "do … bit"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a chore, a thing made and a check-up as actions", () => {
    expect(read("do the ironing before work")).toBe("action");
    expect(read("make a packed lunch for the trip")).toBe("action");
    expect(read("Make the control of the teeth at the dentist.")).toBe("action");
  });
});

describe("a way sought, not a thing", () => {
  it.each([
    ["find a way to cut the heating bill", "find … way"],
    ["Find the motivation to revise.", "find … motivation"],
    ["search for the right approach to the essay", "search … approach"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps finding a person or a thing an action", () => {
    expect(read("find a roofer for the porch")).toBe("action");
    expect(read("find the warranty card for the fridge")).toBe("action");
  });
});

describe("putting in order with no bounded object", () => {
  it.each([
    ["tidy up", "tidy up"],
    ["simplify", "simplify"],
    ["clean up the monitoring", "clean … monitoring"],
    ["streamline our workflows", "streamline … workflows"],
    ["fix comms with the warehouse", "fix … comms"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a bounded object, and giving something back, as actions", () => {
    expect(read("tidy up the shoe rack")).toBe("action");
    expect(read("clean the oven")).toBe("action");
    expect(read("fix the broken hinge on the shed door")).toBe("action");
    expect(read("give back the borrowed ladder to Tom")).toBe("action");
  });
});

describe("help with no task, person or occasion", () => {
  it.each([
    ["help out at the food bank", "help out at"],
    ["Help others with their tax forms.", "help others"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps help with a person or an occasion as an action", () => {
    expect(read("help Priya move flat on Saturday")).toBe("action");
    expect(read("help out at the food bank Sat 9-12")).toBe("action");
  });
});

describe("a thing made pleasing or set going, with no check", () => {
  it.each([
    ["make the hallway welcoming", "make … welcoming"],
    ["Get the reading corner cosy for the kids.", "get … cosy"],
    ["get the book club going", "get … going"],
    ["keep the volunteers' rota rolling", "keep … rolling"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a checkable state an outcome and a thing made an action", () => {
    expect(read("keep the kitchen clean")).toBe("outcome");
    expect(read("get the fence painted")).toBe("outcome");
    expect(read("make a welcome pack for the new tenants")).toBe("action");
  });
});

describe("a doing in a better manner whose comparative reads as a noun", () => {
  it.each([
    ["cook leaner", "cook leaner"],
    ["write cleaner commit messages", "write cleaner"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps hiring or booking the person an action", () => {
    expect(read("hire cleaner")).toBe("action");
    expect(read("book a cleaner for Thursday")).toBe("action");
  });
});

describe("a change of a measure with no level", () => {
  it.each([
    ["cut the number of handoffs", "cut … number"],
    ["Raise the visibility of the food pantry.", "raise … visibility"],
    ["reduce the amount of paperwork for carers", "reduce … amount"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("is not vague with a level, and a ticket raised stays an action", () => {
    expect(read("cut the number of handoffs to two")).not.toBe("vague");
    expect(read("raise a ticket with IT about the printer")).toBe("action");
  });
});

describe("thinking with nothing to produce, a manner, a wish for a thing, a rule kept", () => {
  it.each([
    ["Think in the holidays of next year.", "think in"],
    ["reflect on the spring term", "reflect on"],
    ["Paint the fence in a nice way.", "in a nice way"],
    ["I want the office to feel less gloomy.", "want … feel less"],
    ["We'd like the garden to look nicer.", "like … look nicer"],
    ["Not to buy snacks at the petrol station.", "not to"],
    ["never skip the stretches", "never"],
  ])("%j is vague (%s)", (text, words) => {
    expect(read(text)).toBe("vague");
    expect(vagueWords(text).toLowerCase()).toContain(words);
  });

  it("keeps a thing to produce, a checkable wish and a name before 'to' as they were", () => {
    expect(read("think of three names for the bakery")).not.toBe("vague");
    expect(read("I want the loft to be finished by May")).toBe("outcome");
    expect(read("Nadia to send the minutes")).toBe("action");
  });
});

describe("actions that keep or get their reading beside the vague shapes", () => {
  it.each([
    "Handle the refund request by emailing the receipt to accounts.",
    "deal with the leak by calling the landlord's plumber",
    "To post the deposit cheque to the landlord.",
    "To renew the parking permit at the town hall.",
    "Is necessary to sign the timesheet in the portal before Monday.",
    "Learn by heart the twelve cranial nerves.",
    "mock paper 2021 timed",
    "blood draw fasting 7am",
    "piano practice, 20 min",
    "long run Sun am w/ Dev",
  ])("%j is a clean action", (text) => {
    expect(read(text)).toBe("action");
  });

  it("keeps a vague verb with no means named, a result after 'To', and a level or a state with a time", () => {
    expect(read("handle the refund requests")).toBe("vague");
    expect(read("To finish the Lisbon half marathon.")).toBe("outcome");
    expect(read("To sign the lease with the agency.")).toBe("outcome");
    expect(read("10k under 50 min")).toBe("outcome");
    expect(read("Bedtime is 8 pm every night.")).toBe("outcome");
  });
});
