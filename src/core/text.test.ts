import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_YEAR, MIN_YEAR, readIsoDay } from "./dates.js";
import { cleanText, hasVisibleText, isWellFormedText } from "./text.js";

/** Any UTF-16 text: whole code points, lone surrogates and the characters the cleaning is about. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)),
    fc.constantFrom(
      "\u200b",
      "\u200d",
      "\u200c",
      "\u00ad",
      "\u202e",
      "\r",
      "\n",
      "\t",
      "\u0000",
      "e\u0301",
      " ",
    ),
  ),
  maxLength: 40,
});

describe("cleanText", () => {
  it("is idempotent, NFC, and leaves no control or invisible format character", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = cleanText(s);
        expect(cleanText(once)).toBe(once);
        expect(once.normalize("NFC")).toBe(once);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none is left
        expect(once).not.toMatch(/[\u0001-\u0008\u000b-\u001f\u007f-\u009f\r]/);
        expect(once).not.toMatch(/[\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]/);
        expect(once).toBe(once.trim());
      }),
    );
  });

  it("keeps the joiner inside an emoji and drops it at the ends", () => {
    expect(cleanText("\u200d👩\u200d💻\u200d")).toBe("👩\u200d💻");
    expect(cleanText("Cafe\u0301\r\nbar\u200b")).toBe("Café\nbar");
  });
});

describe("hasVisibleText", () => {
  it("is false for white space and format characters only", () => {
    for (const s of ["", " ", "\u200b", "\u00ad\u200e", "\u{e0061}\u{e0062}"])
      expect(hasVisibleText(s)).toBe(false);
    expect(hasVisibleText("a")).toBe(true);
  });
});

describe("isWellFormedText", () => {
  it("agrees with String.prototype.isWellFormed", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(isWellFormedText(s)).toBe((s as string & { isWellFormed(): boolean }).isWellFormed());
      }),
    );
  });
});

describe("readIsoDay", () => {
  it("accepts exactly the real days of years 1900–2999 written YYYY-MM-DD", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12_000 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const real = new Date(Date.UTC(y, m - 1, d));
          const isReal =
            m >= 1 && m <= 12 && d >= 1 && real.getUTCDate() === d && real.getUTCMonth() === m - 1;
          const expected = isReal && y >= MIN_YEAR && y <= MAX_YEAR && s.length === 10;
          expect(readIsoDay(s).ok).toBe(expected);
        },
      ),
    );
  });

  it("says what is wrong: not a date, or out of range", () => {
    expect(readIsoDay("2026-02-31")).toEqual({
      ok: false,
      message: "is not a date. Use YYYY-MM-DD, for example 2026-03-31.",
    });
    expect(readIsoDay("+275760-09-13").ok).toBe(false);
    expect(readIsoDay("9999-12-31")).toEqual({
      ok: false,
      message: "is out of range: use a year from 1900 to 2999.",
    });
  });
});
