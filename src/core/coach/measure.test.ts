import { describe, expect, it } from "vitest";
import { goalReading, parseMeasure } from "./measure.js";

describe("parseMeasure", () => {
  it.each([
    ["from 1,200 to 2,000 users", { from: 1200, to: 2000, unit: "users" }],
    ["to 60", { from: null, to: 60, unit: null }],
    ["by 20%", { from: null, to: 20, unit: "%" }],
    ["under 3%", { from: null, to: 3, unit: "%" }],
    ["Reduce churn from 5% to 3%", { from: 5, to: 3, unit: "%" }],
    ["Get 10 new clients", { from: null, to: 10, unit: "clients" }],
    ["Raise $2M in seed funding", { from: null, to: 2_000_000, unit: "$" }],
    ["Lose 5kg", { from: null, to: 5, unit: "kg" }],
    ["Read three books", { from: null, to: 3, unit: "books" }],
    ["Keep the error rate at most 0.5 percent", { from: null, to: 0.5, unit: "%" }],
    ["Reduce 30-day readmissions below 10%", { from: null, to: 10, unit: "%" }],
  ])("reads %j", (text, expected) => {
    expect(parseMeasure(text)).toEqual(expected);
  });

  it.each([
    "Launch by March 31",
    "Call Dana at 3pm",
    "Ship it in 6 weeks",
    "Review chapter 7",
    "Plan the Q3 offsite",
    "Book a 1:1 with Ana",
    "Publish in 2027",
    "Call Dana",
    "one small step",
  ])("finds no measure in %j", (text) => {
    expect(parseMeasure(text)).toBeNull();
  });
});

describe("goalReading", () => {
  it.each([
    "Grow podcast listeners from 800 to 1,500",
    "Keep weekly fuel spend under £120",
    "40 sit-ups a day by the end of March",
    "Put 12% of every payslip into the house fund",
    "Triple the number of beta testers",
  ])("reads a number with a target in %j", (text) => {
    expect(goalReading(text)).toBe("number");
  });

  it.each([
    "swim 4x/wk",
    "Play the cello for 25 minutes each evening.",
    "Jog two times every week",
    "stretch 15 min a day",
    "tutoring 3 hrs/wk",
  ])("reads only a habit's rhythm in %j: no total to check", (text) => {
    expect(goalReading(text)).toBe("habit");
  });

  it.each([
    "Launch the volunteer rota app by June",
    "I want to pass the Grade 3 clarinet exam in spring.",
    "Pay off the student overdraft by summer",
    "Quit vaping for good before my birthday",
    "Move into the Leeds flat by March",
    "garage roof repaired by October",
    "Have the porch tiles replaced before winter",
    "To sign the lease on the new studio.",
    "promoted to principal designer by autumn",
    "Become treasurer of the allotment club at the spring meeting",
    "billing rewrite merged and live",
    "Replace every window latch in the flat before the heating goes on",
    "Sell the camper van within a month",
  ])("reads a done state a person can check in %j", (text) => {
    expect(goalReading(text)).toBe("done-state");
  });

  it.each([
    "Be a more patient coach",
    "journal every night",
    "Get fitter before the summer",
    "Feel more at home in the new town",
    "Get our paperwork sorted before the move",
    "Become more relaxed about deadlines",
    "Stop feeling rushed in the mornings",
    "Make the shop a nicer place to work",
    "Finish each day with a tidy desk",
  ])("reads no check in a wish, a direction or a habit: %j", (text) => {
    expect(goalReading(text)).toBeNull();
  });
});
