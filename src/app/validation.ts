/**
 * Shared zod building blocks for use-case inputs. The same schemas validate API bodies, CLI input
 * and imports, and produce the OpenAPI document.
 */
import { z } from "zod";
import { isIsoDay } from "../core/dates.js";
import { fromZod } from "./errors.js";

/** A calendar day written YYYY-MM-DD; impossible days are refused. */
export const isoDay = z
  .string()
  .refine(isIsoDay, { message: "is not a date. Use YYYY-MM-DD, for example 2026-03-31." });

const NO_NUL = { message: "contains a NUL character (\\u0000). Remove it." };
const noNul = (s: string | null | undefined) => !s?.includes("\u0000");

/** A required line of text, trimmed, with a sensible cap. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: "is empty. Write something here." })
    .max(max, { message: `is too long (at most ${max} characters).` })
    .refine(noNul, NO_NUL);

/** An optional free-text field; empty strings become null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `is too long (at most ${max} characters).` })
    .refine(noNul, NO_NUL)
    .nullish()
    .transform((v) => (v ? v : null));

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

/** A finite number (no NaN, no Infinity). */
export const finite = z.number().refine(Number.isFinite, { message: "must be a finite number." });

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
