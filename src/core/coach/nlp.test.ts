import nlp from "compromise/two";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tag } from "./nlp.js";

type Sweep = ((...args: unknown[]) => unknown) & { original?: Sweep };
const one = (nlp.world() as { methods: { one: { bulkMatch: Sweep } } }).methods.one;

/** The tags as compromise's own sweep gives them, the coach's faster one set aside for the call. */
function tagWithOriginalSweep(text: string): ReturnType<typeof tag> {
  const fast = one.bulkMatch;
  one.bulkMatch = fast.original ?? fast;
  try {
    return tag(text);
  } finally {
    one.bulkMatch = fast;
  }
}

const plain = (tagged: ReturnType<typeof tag>) => tagged.map((t) => [t.text, t.normal, [...t.tags]]);

/** Clauses the word lists leave to compromise, as steps and goals are written. */
const CLAUSES = [
  "Redesign the mobile app",
  "Customers are happier",
  "Deploys take less than ten minutes",
  "A more reliable CI pipeline",
  "Dentist appointment Thursday 3pm",
  "The team feels supported",
  "huddle with the night nurses",
  "An ER where nobody waits more than an hour",
  "Get healthier",
  "Nominate Amara for the quarterly award",
  "Launch is on time",
  "Kitchen renovated",
  "I am calling the landlord tomorrow",
  "Make the hall brighter, then email Raj",
];

const WORDS = [
  ..."the a my team customers patients launch deck report budget is are was will be get make call email book send finish review renovated approved happier faster more less better by on for with to and then, Friday tomorrow next week 3pm 10 20% I we they".split(
    " ",
  ),
];

describe("tag", () => {
  it("tags every word as compromise's own sweep does, for clauses the coach asks about", () => {
    expect(one.bulkMatch.original).toBeTypeOf("function");
    for (const clause of CLAUSES)
      expect(plain(tag(clause)), clause).toEqual(plain(tagWithOriginalSweep(clause)));
  });

  it("tags every word as compromise's own sweep does, for any run of words", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }), (words) => {
        const text = words.join(" ");
        expect(plain(tag(text))).toEqual(plain(tagWithOriginalSweep(text)));
      }),
      { numRuns: 300 },
    );
  });

  it("reads a verb, a copula and a comparative as compromise does", () => {
    const tagged = tag("Customers are happier");
    expect(tagged.map((t) => t.normal)).toEqual(["customers", "are", "happier"]);
    expect(tagged[1].tags.has("Copula")).toBe(true);
    expect(tagged[2].tags.has("Comparative")).toBe(true);
    expect(tag("Redesign the mobile app")[0].tags.has("Verb")).toBe(true);
  });
});
