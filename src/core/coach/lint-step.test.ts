import { describe, expect, it } from "vitest";
import { lintStep } from "./index.js";

const now = "2026-11-18"; // a Wednesday
const codes = (text: string, opts: Partial<Parameters<typeof lintStep>[1]> = {}) =>
  lintStep(text, { now, ...opts }).findings.map((f) => f.code);

describe("lintStep", () => {
  it("accepts a concrete, dated action without findings", () => {
    const lint = lintStep("Call Dana to book the venue by Friday", { now });
    expect(lint.kind).toBe("action");
    expect(lint.findings).toEqual([]);
    expect(lint.due).toBe("2026-11-20");
  });

  it.each([
    "Call Dana to book the venue",
    "email Raj the revised quote",
    "I'll draft the agenda tonight",
    "Monday: send invoice to Acme",
    "Review the Q3 budget with finance",
    "Book a room for the planning session",
    "Text Marco the survey link",
    "Schedule 1:1s with each report",
    "Dentist appointment Thursday 3pm",
    "Raj to send the updated forecast",
    "- [ ] Reach out to the three quiet accounts",
  ])("reads %j as an action", (text) => {
    expect(lintStep(text, { now }).kind).toBe("action");
  });

  it.each([
    "grow my business to 40 clients",
    "increase revenue by 20%",
    "customers are happier",
    "I want to lose weight",
    "successful launch",
    "Be a certified scrum master",
    "Keep the house tidy",
    "Feel less stressed at work",
    "Reduce churn to 2%",
    "Save $5,000 for an emergency fund",
    "Call volume down 10%",
  ])("flags %j as an outcome", (text) => {
    const lint = lintStep(text, { now });
    expect(lint.kind).toBe("outcome");
    expect(lint.findings[0].code).toBe("outcome-not-action");
  });

  it("suggests the first concrete action for an outcome", () => {
    const [first] = lintStep("Get the budget approved by the CFO", { now }).findings;
    expect(first.suggestion).toMatch(/call or what could you draft this week/);
  });

  // Issue 18, third pass: a change with no end is neither an action nor a state anyone could check.
  it.each([
    ["grow my business", '"grow"'],
    ["Improve team morale", '"improve"'],
    ["Be a better leader", '"be … better"'],
    ["save more", '"save … more"'],
    ["keep the house tidier", '"keep … tidier"'],
    ["Make the code more clean.", '"make … more"'],
  ])("flags %j as vague: a change with no end", (text, words) => {
    const lint = lintStep(text, { now });
    expect(lint.kind).toBe("action");
    expect(lint.findings.map((f) => f.code)).toContain("vague-verb");
    expect(lint.findings.find((f) => f.code === "vague-verb")?.message).toContain(words);
  });

  it.each([
    "work on the deck",
    "think about hiring",
    "look into CRMs",
    "try to exercise more",
    "deal with the backlog",
    "be more proactive",
    "I will try to give more feedback",
    "Drink more water",
  ])("flags the vague verb in %j but keeps it an action", (text) => {
    const lint = lintStep(text, { now });
    expect(lint.kind).toBe("action");
    expect(lint.findings.map((f) => f.code)).toContain("vague-verb");
  });

  it("names the vague words in the message", () => {
    const vague = lintStep("Work on the deck", { now }).findings.find((f) => f.code === "vague-verb");
    expect(vague?.message).toContain('"work on"');
  });

  it.each([
    "build the new website",
    "Write a book",
    "Migrate all services to Kubernetes",
    "Call Dana and email Raj",
  ])("flags %j as too big", (text) => {
    expect(codes(text)).toContain("too-big");
  });

  it.each([
    "On Monday I'll interview the second candidate for the office manager job.",
    "Before Friday I have to submit the headcount request form to finance.",
    "After the call I'm going to move the vendor contracts into the new folder structure.",
    "Tomorrow morning I need to call the recruiter back about the two candidates.",
    "This weekend clean the gutters on the garage",
  ])("reads a step that opens with when as the action that follows: %s", (text) => {
    expect(lintStep(text, { now }).kind).toBe("action");
  });

  it("weighs the estimate: two actions that fit one sitting are not too big", () => {
    expect(codes("Call Dana and email Raj", { estimateMinutes: 45 })).not.toContain("too-big");
    expect(codes("Call Dana and email Raj", { estimateMinutes: 180 })).toContain("too-big");
    // A big job stays big whatever the estimate says.
    expect(codes("Migrate all services to Kubernetes", { estimateMinutes: 45 })).toContain("too-big");
  });

  it("does not call a list of objects several actions", () => {
    expect(codes("Buy milk, eggs and bread")).not.toContain("too-big");
    expect(codes("Organise the garage shelves")).not.toContain("too-big");
  });

  it("flags a missing date unless the text or dueDate gives one", () => {
    expect(codes("Email Raj the quote")).toContain("no-due-date");
    expect(codes("Email Raj the quote tomorrow")).not.toContain("no-due-date");
    expect(codes("Email Raj the quote", { dueDate: "2026-12-01" })).not.toContain("no-due-date");
  });

  it("keeps due to the date written in the text", () => {
    expect(lintStep("Email Raj the quote", { now, dueDate: "2026-12-01" }).due).toBeNull();
  });

  it("flags a missing owner only in a team plan", () => {
    expect(codes("Email Raj the quote by Friday", { teamContext: true })).toEqual(["no-owner"]);
    expect(codes("Email Raj the quote by Friday", { teamContext: true, ownerId: 7 })).toEqual([]);
    expect(codes("Email Raj the quote by Friday", { ownerId: null })).toEqual([]);
  });

  it("reads a measure written in the step", () => {
    expect(lintStep("Print 50 copies of the flyer", { now }).measure).toEqual({
      from: null,
      to: 50,
      unit: "copies",
    });
  });

  it("reports empty, unreadable and foreign text instead of judging it", () => {
    expect(codes("   ")).toEqual(["empty"]);
    expect(codes("🎉🎉🎉")).toEqual(["unreadable"]);
    expect(codes("\u0000\u0001\u0002\u0003")).toEqual(["unreadable"]);
    expect(codes("Llamar a Dana para reservar el lugar")).toEqual(["not-english"]);
  });

  it("judges only the first 2,000 characters of enormous text", () => {
    const lint = lintStep(`Call Dana by Friday. ${"and more words ".repeat(1000)}`, { now });
    expect(lint.text.length).toBeLessThanOrEqual(2000);
    expect(lint.findings.map((f) => f.code)).toContain("too-long");
    expect(lint.due).toBe("2026-11-20");
  });

  it("throws a clear error only when the reference day is not a date", () => {
    expect(() => lintStep("Call Dana", { now: "18/11/2026" })).toThrow(/Use YYYY-MM-DD/);
  });
});
