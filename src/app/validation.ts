/**
 * Shared zod building blocks for use-case inputs. The same schemas validate API bodies, CLI input
 * and imports, and produce the OpenAPI document.
 */
import { z } from "zod";
import { readIsoDay } from "../core/dates.js";
import { cleanText, hasVisibleText, isWellFormedText } from "../core/text.js";
import { fromZod } from "./errors.js";

/**
 * A calendar day written YYYY-MM-DD: the one reading of a day given as input (`readIsoDay`), so
 * impossible days (2026-02-31, month 13) and years outside 1900–2999 are refused with a sentence.
 */
export const isoDay = z.string().superRefine((s, ctx) => {
  const r = readIsoDay(s);
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.message, input: s });
});

const NO_NUL = { message: "contains a NUL character (\\u0000). Remove it." };
const noNul = (s: string | null | undefined) => !s?.includes("\u0000");
const BROKEN = {
  message:
    "contains a broken character (half of a UTF-16 surrogate pair, U+D800–U+DFFF). Send the text as valid Unicode.",
  abort: true,
};
const INVISIBLE_ONLY = {
  message: "has nothing to read (only invisible or control characters). Write some words.",
};

/**
 * A required line of text, cleaned by `cleanText` (NFC, "\n" line breaks, no control or invisible
 * format characters, trimmed), with a sensible cap. Every free-text field of every schema is this
 * or `optionalText`, so the cleaning happens in one place.
 */
export const text = (max: number) =>
  z
    .string()
    .refine(isWellFormedText, BROKEN)
    .overwrite(cleanText)
    .min(1, { message: "is empty. Write something here." })
    .max(max, { message: `is too long (at most ${max} characters).` })
    .refine(noNul, NO_NUL)
    .refine((s) => s === "" || hasVisibleText(s), INVISIBLE_ONLY);

/** An optional free-text field, cleaned like `text`; empty (or invisible-only) strings become null. */
export const optionalText = (max: number) =>
  z
    .string()
    .refine(isWellFormedText, BROKEN)
    .overwrite(cleanText)
    .max(max, { message: `is too long (at most ${max} characters).` })
    .refine(noNul, NO_NUL)
    .nullish()
    .transform((v) => (v && hasVisibleText(v) ? v : null));

/** The largest id a row can have (PostgreSQL's integer). */
export const MAX_ID = 2_147_483_647;

/** A positive integer id. */
export const id = z.number().int().positive().max(MAX_ID, { message: "is not an id (too large)." });

/** An id given in a query string. */
export const queryId = z.coerce
  .number()
  .int()
  .positive()
  .max(MAX_ID, { message: "is not an id (too large)." })
  .optional();

/**
 * The largest magnitude a measured value may have: 10^15. Every whole number up to it is exact in
 * a double (2^53 ≈ 9×10^15), it is far beyond any real key result (revenue in cents, downloads,
 * grams), and progress arithmetic on it (target − start) cannot overflow to Infinity.
 */
export const MAX_VALUE = 1e15;

/** A finite number from −10^15 to 10^15 (no NaN, no Infinity, no 1e308). */
export const finite = z.number().refine((n) => Number.isFinite(n) && Math.abs(n) <= MAX_VALUE, {
  message: "must be a number from -1,000,000,000,000,000 to 1,000,000,000,000,000 (±10^15).",
});

/** Pagination: an opaque cursor and a page size. */
export const pageQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

/** Validates input with a schema, throwing one AppError that names every offending field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

/** A page of results and the cursor for the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Encodes the last id of a page as an opaque cursor. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ id: lastId })).toString("base64url");
}

/** Decodes a cursor; a damaged one is refused with a clear message. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown };
    if (typeof v.id === "number" && Number.isInteger(v.id) && v.id >= 0) return v.id;
  } catch {
    // fall through to the error below
  }
  throw fromZod(
    new z.ZodError([
      {
        code: "custom",
        path: ["cursor"],
        message: "is not a cursor this server gave out. Start again without it.",
        input: cursor,
      },
    ]),
  );
}

/** Builds a page from limit+1 fetched rows. */
export function pageOf<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
