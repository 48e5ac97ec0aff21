import { describe, expect, it } from "vitest";
import { parseMeasure } from "./measure.js";

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
