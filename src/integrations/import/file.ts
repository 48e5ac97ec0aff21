/**
 * Reading an import file safely: size, encoding, JSON and CSV syntax, each failure named by line
 * or field in one sentence that says how to fix it.
 */
import { parse as parseCsvSync } from "csv-parse/sync";
import { AppError } from "../../app/errors.js";
import { MAX_IMPORT_BYTES } from "./formats.js";

/** A file that cannot be imported: the message names the line or field. */
export function badFile(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(400, "invalid_import_file", message, details);
}

/** The 1-based line and column of a character offset. */
export function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: end - start + 1 };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes a file as UTF-8 text, refusing what is too big, UTF-16, not UTF-8 (naming the line), or
 * binary (a NUL character). A UTF-8 byte-order mark is dropped.
 */
export function decodeText(bytes: Uint8Array, what: string): string {
  if (bytes.length > MAX_IMPORT_BYTES) {
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
    throw new AppError(
      413,
      "import_too_large",
      `The ${what} file is ${mb(bytes.length)}; an import reads at most ${mb(MAX_IMPORT_BYTES)}. Split it into smaller files.`,
    );
  }
  if (bytes.length === 0) throw badFile(`The ${what} file is empty. Export it again.`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw badFile(`The ${what} file is UTF-16 text. Save it as UTF-8 and import it again.`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badFile(
      `Line ${badUtf8Line(bytes)} of the ${what} file is not UTF-8 text. Save the file as UTF-8 and import it again.`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    throw badFile(
      `Line ${lineAt(text, nul).line} of the ${what} file holds a NUL character: is it a binary file? Export it again as text.`,
    );
  }
  return text;
}

/** The first line whose bytes are not UTF-8 ("\n" never occurs inside a UTF-8 sequence). */
function badUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

/** Parses JSON, turning a syntax error into a message that names the line and says whether the file was cut off. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const offset = pos ? Number(pos[1]) : text.length;
    const trailing = text.slice(offset).trim() === "";
    if (/end of (JSON )?input|Unterminated/i.test(message) || trailing) {
      throw badFile(
        `The ${what} file ends in the middle of its JSON (line ${lineAt(text, text.trimEnd().length).line}): it looks cut off. Export it again.`,
      );
    }
    const { line, column } = lineAt(text, offset);
    throw badFile(
      `Line ${line}, column ${column} of the ${what} file is not valid JSON. Export it again, or fix the file there.`,
      { line, column },
    );
  }
}

/** One CSV row by its header names, with the line it starts on. */
export interface CsvRow {
  line: number;
  /** The header's column names, as the file writes them. */
  columns: readonly string[];
  get(column: string): string;
}

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
}

/**
 * Parses CSV with a header row. `required` columns must be in the header (names are compared
 * without case and surrounding spaces); a short row, an unclosed quote or a stray quote is an
 * error naming its line.
 */
export function parseCsv(text: string, what: string, required: readonly string[]): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvSync(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as CsvParseError;
    const line = err.lines ?? 0;
    if (err.code === "CSV_QUOTE_NOT_CLOSED") {
      throw badFile(
        `The ${what} file ends inside a quoted field that starts by line ${line}: it looks cut off, or a quote is missing. Export it again.`,
        { line },
      );
    }
    if (
      err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ||
      err.code === "CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH"
    ) {
      throw badFile(
        `Line ${line} of the ${what} file has a different number of fields than the header: is the file cut off, or is a quote missing? Export it again.`,
        { line },
      );
    }
    throw badFile(`Line ${line} of the ${what} file is not valid CSV: ${err.message.replace(/\s+/g, " ")}.`, {
      line,
    });
  }
  const header = records[0];
  if (!header) throw badFile(`The ${what} file has no header row. Export it again.`);
  const index = new Map(header.record.map((h, i) => [h.trim().toLowerCase(), i]));
  const missing = required.filter((c) => !index.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw badFile(
      `Line 1 of the ${what} file lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: is it really a ${what} export?`,
      { line: 1, field: missing[0] },
    );
  }
  const columns = header.record.map((h) => h.trim());
  return records.slice(1).map((r) => ({
    line: r.info.lines - (r.record.join("").split("\n").length - 1),
    columns,
    get(column: string): string {
      const i = index.get(column.toLowerCase());
      return i === undefined ? "" : (r.record[i] ?? "").trim();
    },
  }));
}

/** The UTC calendar day of a timestamp, or null when it is not one. */
export function dayOfTimestamp(value: string): string | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

export { contentId } from "../../app/imports/ids.js";

/** Text cut to `max` characters for a message (the report keeps each skipped item under 500). */
export function shortText(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A time estimate as minutes, or null when it is not one: "45" (minutes), "20 min", "2 h",
 * "1.5h", "1h 30m", "90 minutes", ISO 8601 "PT1H30M" (Taskwarrior's duration UDA). Days and
 * weeks are not read: a day of work is no fixed number of minutes.
 */
export function minutesOf(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
  const v = value.trim().toLowerCase();
  if (v === "") return null;
  if (/^\d+(\.\d+)?$/.test(v)) return positive(Number(v));
  const iso = /^pt(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(v);
  if (iso && (iso[1] || iso[2] || iso[3])) {
    return positive(Number(iso[1] ?? 0) * 60 + Number(iso[2] ?? 0) + Number(iso[3] ?? 0) / 60);
  }
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m)\b/g)];
  const rest = v
    .replace(/(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m)\b/g, "")
    .replace(/[\s,]+|and/g, "");
  if (parts.length === 0 || rest !== "") return null;
  let total = 0;
  for (const p of parts) total += Number(p[1]) * ((p[2] as string).startsWith("h") ? 60 : 1);
  return positive(total);
}

function positive(minutes: number): number | null {
  const m = Math.round(minutes);
  return m >= 1 && m <= 100_000 ? m : null;
}
