/**
 * The CSV import for teams moving from an OKR tool or a spreadsheet: objectives, key results with
 * start, target and current values, owners, dates and check-in history (docs/integrations.md,
 * "CSV and OKR import"; the template is docs/templates/okr-import.csv).
 *
 * One row per check-in of a key result: rows with the same Objective are one goal, rows with the
 * same Objective and Key result are one key result, and each row's Check-in date and value is one
 * dated value of it. A row without a check-in only names the key result (or, without a key
 * result, the objective). Objective and key-result columns may repeat on every row or be given
 * once; the first value given is the one used.
 *
 * Pure: text in, the neutral `OkrData` and the per-field report out, or an error that names the
 * row and column and says how to fix it.
 */
import { parse as parseCsvSync } from "csv-parse/sync";
import { AppError } from "../../app/errors.js";
import type { OkrData, OkrKeyResult, OkrObjective } from "../../app/imports/okr.js";
import { FieldTally } from "../../app/imports/report.js";
import { readIsoDay } from "../../core/dates.js";
import { badFile, decodeText } from "./file.js";

/** The fields a column can map to, in the template's order, with the template's column name. */
export const OKR_FIELDS = [
  {
    field: "title",
    column: "Objective",
    to: "goal.title",
    about: "the objective: one goal per distinct value (required)",
  },
  { field: "why", column: "Why", to: "goal.why", about: "why the objective matters" },
  { field: "kr", column: "Key result", to: "keyResult.title", about: "the key result's title" },
  { field: "unit", column: "Unit", to: "keyResult.unit", about: "the unit of its values (%, customers, $)" },
  {
    field: "start",
    column: "Start",
    to: "keyResult.startValue",
    about: "where the key result starts (a number)",
  },
  { field: "target", column: "Target", to: "keyResult.targetValue", about: "where it should end (a number)" },
  { field: "current", column: "Current", to: "keyResult.currentValue", about: "its value today (a number)" },
  {
    field: "owner",
    column: "Owner",
    to: "goal.sharedWith",
    about: "the objective's owner: a person's email or name",
  },
  { field: "due", column: "Due", to: "goal.dueDate", about: "when the objective is due (YYYY-MM-DD)" },
  {
    field: "checkinDate",
    column: "Check-in date",
    to: "checkin.date",
    about: "the day of a check-in (YYYY-MM-DD)",
  },
  {
    field: "checkinValue",
    column: "Check-in value",
    to: "checkin.value",
    about: "the key result's value that day",
  },
  {
    field: "checkinNote",
    column: "Check-in note",
    to: "checkin.note",
    about: "what was said at that check-in",
  },
] as const;

export type OkrField = (typeof OKR_FIELDS)[number]["field"];
const FIELD_NAMES = OKR_FIELDS.map((f) => f.field) as readonly string[];
/** Other names `--map` accepts for a field. */
const ALIASES: Record<string, OkrField> = { objective: "title", keyresult: "kr", "key-result": "kr" };

/** Which column each field reads (absent: the field is not in the file). */
export type OkrMapping = Partial<Record<OkrField, string>>;

/** The most rows one CSV import reads. */
export const MAX_OKR_ROWS = 100_000;

function bad(message: string, details: Record<string, unknown> = {}): AppError {
  return badFile(message, details);
}

/**
 * Reads `--map title=Objective,kr=Key result` into field → column. Unknown fields are refused with
 * the list of fields; an empty column name is refused.
 */
export function parseMapping(spec: string): OkrMapping {
  const out: OkrMapping = {};
  for (const raw of spec.split(",")) {
    const pair = raw.trim();
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const column = eq === -1 ? "" : pair.slice(eq + 1).trim();
    const field = (FIELD_NAMES.includes(name) ? name : ALIASES[name.toLowerCase()]) as OkrField | undefined;
    if (!field) {
      throw new AppError(
        400,
        "unknown_field",
        `--map names the field '${name}', which the CSV import does not know. Use field=Column pairs with these fields: ${FIELD_NAMES.join(", ")}.`,
        { field: name },
      );
    }
    if (!column) {
      throw new AppError(
        400,
        "invalid_mapping",
        `--map gives no column for '${field}'. Write it as ${field}=Column, e.g. ${field}=${OKR_FIELDS.find((f) => f.field === field)?.column}.`,
        { field },
      );
    }
    out[field] = column;
  }
  return out;
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

/**
 * The mapping used: each field given in `explicit` must name a column of the header; the other
 * fields map to the column whose name matches the template's (without case, spaces, - or _).
 */
export function resolveMapping(columns: readonly string[], explicit: OkrMapping = {}): OkrMapping {
  const byName = new Map(columns.map((c) => [norm(c), c]));
  const out: OkrMapping = {};
  for (const [field, column] of Object.entries(explicit) as [OkrField, string][]) {
    const found = byName.get(norm(column));
    if (!found) {
      throw new AppError(
        400,
        "column_not_found",
        `The mapping ${field}=${column} names a column the file does not have. Its columns are: ${columns.join(", ")}.`,
        { field, column },
      );
    }
    out[field] = found;
  }
  const used = new Set(Object.values(out));
  for (const f of OKR_FIELDS) {
    if (out[f.field]) continue;
    const found = byName.get(norm(f.column)) ?? (f.field === "kr" ? byName.get("kr") : undefined);
    if (found && !used.has(found)) {
      out[f.field] = found;
      used.add(found);
    }
  }
  if (!out.title) {
    throw new AppError(
      400,
      "objective_column_missing",
      `No column holds the objective. Name a column 'Objective' (see docs/templates/okr-import.csv) or map one, e.g. --map title=Goal. The file's columns are: ${columns.join(", ")}.`,
      { field: "title" },
    );
  }
  if (!out.kr && (out.start || out.target || out.checkinValue)) {
    throw new AppError(
      400,
      "key_result_column_missing",
      "Values are mapped but no column holds the key result. Name a column 'Key result' or map one, e.g. --map kr=Measure.",
      { field: "kr" },
    );
  }
  return out;
}

/** Reads the CSV's header and records, naming the line of a syntax error. */
export function readCsvTable(bytes: Uint8Array): {
  columns: string[];
  records: { row: number; cells: string[] }[];
} {
  const text = decodeText(bytes, "CSV");
  let records: string[][];
  try {
    records = parseCsvSync(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: false,
    }) as string[][];
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const line = err.lines ?? 0;
    if (err.code === "CSV_QUOTE_NOT_CLOSED") {
      throw bad(
        `The CSV file ends inside a quoted cell that starts by line ${line}: a closing quote is missing. Fix the quote, or save the sheet as CSV again.`,
        { line },
      );
    }
    if (
      err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ||
      err.code === "CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH"
    ) {
      throw bad(
        `Line ${line} of the CSV file has a different number of cells than the header. Save the sheet as CSV again, or fix that line.`,
        { line },
      );
    }
    throw bad(
      `Line ${line} of the file is not valid CSV (${err.message.replace(/\s+/g, " ")}). Save the sheet as CSV (comma-separated, UTF-8) and import it again.`,
      { line },
    );
  }
  const header = records[0];
  if (!header || header.every((h) => !h.trim())) {
    throw bad(
      "The CSV file has no header row. Start it with the column names, as in docs/templates/okr-import.csv.",
    );
  }
  const columns = header.map((h) => h.trim());
  if (columns.length < 2 && !text.includes(",")) {
    throw bad(
      "The file is not comma-separated: its first line has one column. Save the sheet as CSV (comma-separated) and import it again.",
    );
  }
  return { columns, records: records.slice(1).map((cells, i) => ({ row: i + 2, cells })) };
}

/** A number as spreadsheets write it: 1200, 1,200, 12.5, 45%, $1,200, -3. */
function readNumber(cell: string): number | null {
  let s = cell
    .trim()
    .replace(/^[$€£¥]\s*/, "")
    .replace(/\s*[%$€£¥]$/, "")
    .trim();
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && Math.abs(n) <= 1e15 ? n : null;
}

/**
 * Parses an OKR CSV with the given mapping (fields without one map by the template's names).
 * `today` is the importing person's day: a check-in dated after it is refused.
 */
export function parseOkrCsv(bytes: Uint8Array, opts: { mapping?: OkrMapping; today: string }): OkrData {
  const { columns, records } = readCsvTable(bytes);
  const mapping = resolveMapping(columns, opts.mapping);
  if (records.length === 0) {
    throw bad(
      "The CSV file has a header but no rows. Add one row per key result (or per check-in of a key result), as in docs/templates/okr-import.csv.",
    );
  }
  if (records.length > MAX_OKR_ROWS) {
    throw new AppError(
      413,
      "import_too_large",
      `The file holds ${records.length} rows; one CSV import reads at most ${MAX_OKR_ROWS}. Split it.`,
    );
  }
  const index = new Map(columns.map((c, i) => [c, i]));
  const tally = new FieldTally();
  const cellOf = (cells: string[], field: OkrField): string => {
    const col = mapping[field];
    if (col === undefined) return "";
    return (cells[index.get(col) as number] ?? "").trim();
  };
  const where = (row: number, field: OkrField) => `Row ${row}, column '${mapping[field]}'`;
  const num = (cells: string[], row: number, field: OkrField): number | null => {
    const cell = cellOf(cells, field);
    if (!cell) return null;
    const n = readNumber(cell);
    if (n === null) {
      throw bad(
        `${where(row, field)}: '${cell}' is not a number. Write digits, like 1200 or 12.5 (a unit goes in the Unit column).`,
        {
          row,
          column: mapping[field],
        },
      );
    }
    return n;
  };
  const day = (cells: string[], row: number, field: OkrField): string | null => {
    const cell = cellOf(cells, field);
    if (!cell) return null;
    const r = readIsoDay(cell);
    if (!r.ok) {
      throw bad(`${where(row, field)}: '${cell}' is not a day. Write it as YYYY-MM-DD, like 2026-11-30.`, {
        row,
        column: mapping[field],
      });
    }
    return r.date;
  };

  const objectives = new Map<string, OkrObjective>();
  const krsOf = new Map<OkrObjective, Map<string, OkrKeyResult>>();
  const sample: OkrData["sample"] = [];
  for (const { row, cells } of records) {
    if (sample.length < 10) {
      const values: Partial<Record<OkrField, string>> = {};
      for (const f of Object.keys(mapping) as OkrField[]) values[f] = cellOf(cells, f);
      sample.push({ row, values });
    }
    const title = cellOf(cells, "title");
    if (!title) {
      throw bad(
        `${where(row, "title")} is empty. Every row needs its objective: repeat it on each of its rows.`,
        {
          row,
          column: mapping.title,
        },
      );
    }
    let o = objectives.get(title.toLowerCase());
    const why = cellOf(cells, "why");
    const owner = cellOf(cells, "owner");
    const due = day(cells, row, "due");
    if (!o) {
      o = { title, why: null, owner: null, dueDate: null, row, keyResults: [] };
      objectives.set(title.toLowerCase(), o);
      krsOf.set(o, new Map());
      tally.kept(mapping.title as string, "goal.title");
    }
    // The first value given for the objective is the one used; repeats of it are the same field.
    if (why && o.why === null) {
      o.why = why;
      tally.kept(mapping.why as string, "goal.why");
    }
    if (owner && o.owner === null) o.owner = owner;
    if (due && o.dueDate === null) {
      o.dueDate = due;
      tally.kept(mapping.due as string, "goal.dueDate");
    }

    const krTitle = cellOf(cells, "kr");
    const start = num(cells, row, "start");
    const target = num(cells, row, "target");
    const current = num(cells, row, "current");
    const unit = cellOf(cells, "unit");
    const cDate = day(cells, row, "checkinDate");
    const cValue = num(cells, row, "checkinValue");
    const cNote = cellOf(cells, "checkinNote");
    if (!krTitle) {
      const stray = (
        [
          ["start", start],
          ["target", target],
          ["current", current],
          ["checkinDate", cDate],
          ["checkinValue", cValue],
        ] as const
      ).find(([, v]) => v !== null);
      if (stray) {
        throw bad(
          `${where(row, "kr")} is empty but the row has a value in '${mapping[stray[0]]}'. Name the key result the value belongs to.`,
          {
            row,
            column: mapping.kr,
          },
        );
      }
      continue;
    }
    const krs = krsOf.get(o) as Map<string, OkrKeyResult>;
    let kr = krs.get(krTitle.toLowerCase());
    if (!kr) {
      kr = {
        title: krTitle,
        unit: null,
        startValue: Number.NaN,
        targetValue: Number.NaN,
        currentValue: null,
        row,
        checkins: [],
      };
      krs.set(krTitle.toLowerCase(), kr);
      o.keyResults.push(kr);
      tally.kept(mapping.kr as string, "keyResult.title");
    }
    if (unit && kr.unit === null) {
      kr.unit = unit;
      tally.kept(mapping.unit as string, "keyResult.unit");
    }
    if (start !== null && Number.isNaN(kr.startValue)) {
      kr.startValue = start;
      tally.mapped(mapping.start as string, "keyResult.startValue");
    }
    if (target !== null && Number.isNaN(kr.targetValue)) {
      kr.targetValue = target;
      tally.mapped(mapping.target as string, "keyResult.targetValue");
    }
    if (current !== null && kr.currentValue === null) {
      kr.currentValue = current;
      tally.mapped(mapping.current as string, "keyResult.currentValue");
    }
    if (cDate !== null || cValue !== null) {
      if (cDate === null) {
        throw bad(
          `${where(row, "checkinDate")} is empty but the row has a check-in value. Give the day of the check-in (YYYY-MM-DD).`,
          {
            row,
            column: mapping.checkinDate ?? null,
          },
        );
      }
      if (cValue === null) {
        throw bad(
          `${where(row, "checkinValue")} is empty but the row has a check-in date. Give the key result's value that day.`,
          {
            row,
            column: mapping.checkinValue ?? null,
          },
        );
      }
      if (cDate > opts.today) {
        throw bad(
          `${where(row, "checkinDate")}: ${cDate} is in the future. A check-in is dated today (${opts.today}) or earlier.`,
          {
            row,
            column: mapping.checkinDate,
          },
        );
      }
      if (kr.checkins.some((c) => c.date === cDate)) {
        throw bad(
          `${where(row, "checkinDate")}: '${kr.title}' already has a check-in on ${cDate} (row ${kr.checkins.find((c) => c.date === cDate)?.row}). Keep one value per key result and day.`,
          {
            row,
            column: mapping.checkinDate,
          },
        );
      }
      kr.checkins.push({ date: cDate, value: cValue, note: cNote || null, row });
      tally.mapped(mapping.checkinDate as string, "checkin.date");
      tally.mapped(mapping.checkinValue as string, "checkin.value");
      if (cNote) tally.kept(mapping.checkinNote as string, "checkin.note");
    } else if (cNote) {
      tally.leftOut(
        mapping.checkinNote as string,
        "A note on a row without a check-in date and value has no check-in to go with.",
      );
    }
  }

  for (const o of objectives.values()) {
    for (const kr of o.keyResults) {
      kr.checkins.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      const missing = Number.isNaN(kr.startValue) ? "start" : Number.isNaN(kr.targetValue) ? "target" : null;
      if (missing) {
        const first = kr.checkins[0];
        // Without a start, the first check-in is where the key result started.
        if (missing === "start" && first && mapping.start === undefined) {
          kr.startValue = first.value;
          continue;
        }
        const col = mapping[missing] ?? (missing === "start" ? "Start" : "Target");
        throw bad(
          `Key result '${kr.title}' (row ${kr.row}) has no ${missing} value: give a number in column '${col}' on one of its rows${mapping[missing] ? "" : ` (the file has no '${col}' column: add it or map one with --map ${missing}=Column)`}.`,
          { row: kr.row, column: col },
        );
      }
      if (kr.startValue === kr.targetValue) {
        throw bad(
          `Key result '${kr.title}' (row ${kr.row}) starts and ends at ${kr.startValue}, so there is nothing to measure. Give it a different target.`,
          { row: kr.row, column: mapping.target },
        );
      }
    }
  }
  // Mapped columns with nothing in them still get a row; unmapped columns are left out.
  const byField = new Map(OKR_FIELDS.map((f) => [f.field as string, f]));
  for (const [field, column] of Object.entries(mapping)) {
    const f = byField.get(field);
    if (f && field !== "owner" && !tally.rows().some((r) => r.source === column)) tally.kept(column, f.to, 0);
  }
  const mappedColumns = new Set(Object.values(mapping));
  for (const c of columns) {
    if (!mappedColumns.has(c)) {
      const filled = records.filter((r) => (r.cells[index.get(c) as number] ?? "").trim() !== "").length;
      tally.leftOut(
        c,
        "No field is mapped to this column. Map it with --map field=Column, or choose a field on the import page.",
        filled,
      );
    }
  }
  return {
    columns,
    mapping,
    objectives: [...objectives.values()],
    sample,
    report: tally.rows(),
    rows: records.length,
  };
}

export type { OkrData, OkrKeyResult, OkrObjective };
