/**
 * Import parsers: a file's bytes in, the neutral `ImportData` (goals with steps) out. Pure apart
 * from reading the bytes given; the app's `importPlans` writes the result in one transaction.
 */
import type { ImportSource } from "../../app/imports/imports.js";
import { parseAsana } from "./asana.js";
import { decodeText, parseJson } from "./file.js";
import type { ParsedData } from "./formats.js";
import { parseTaskwarrior } from "./taskwarrior.js";
import { parseTodoist } from "./todoist.js";
import { parseTrello } from "./trello.js";

export {
  IMPORT_FORMATS,
  type ImportFormat,
  MAX_IMPORT_BYTES,
  type ParsedData,
  type ParsedGoal,
  type ParsedStep,
} from "./formats.js";

const LABEL: Record<ImportSource, string> = {
  taskwarrior: "Taskwarrior",
  trello: "Trello",
  todoist: "Todoist",
  asana: "Asana",
};

/** What the parsers need besides the bytes. */
export interface ParseOptions {
  /** Today in the importing person's time zone, YYYY-MM-DD: relative dates in the file are read from it. */
  today: string;
  /**
   * The importing person's IANA time zone: a due date the file gives as an instant (Taskwarrior's
   * `20261204T150000Z`, Trello's `due`, a Todoist time with an offset) is the day it is there.
   * Defaults to UTC.
   */
  timeZone?: string;
  /** The name of a goal the file does not name itself (Todoist's project): usually the file's name. */
  name: string;
}

/**
 * Parses an export of another tool into goals and steps (Taskwarrior's and Todoist's may repeat), or
 * throws an error naming the line or field.
 */
export function parseImportFile(source: ImportSource, bytes: Uint8Array, opts: ParseOptions): ParsedData {
  const text = decodeText(bytes, LABEL[source]);
  switch (source) {
    case "taskwarrior":
      return parseTaskwarrior(text, opts.timeZone);
    case "trello":
      return parseTrello(text, opts.timeZone);
    case "todoist":
      return parseTodoist(text, opts);
    case "asana":
      return parseAsana(text, opts);
  }
}

/** Reads a backup file (`throughline export --format json`) as JSON; the app checks its contents. */
export function readBackupFile(bytes: Uint8Array): unknown {
  return parseJson(decodeText(bytes, "backup"), "backup");
}

/** A goal name from a file name: "launch-plan.csv" → "launch plan". */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return (
    base
      .replace(/\.[^.]+$/, "")
      .replace(/[_-]+/g, " ")
      .trim() || "Imported tasks"
  );
}
