/**
 * What `throughline import` accepts: the sources, the largest file, and the shape the parsers
 * make (types only). Apart from the parsers so the CLI can name them in its help without loading
 * them (they bring csv-parse and chrono-node).
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";

/** Every source `throughline import` reads, the backup included. */
export const IMPORT_FORMATS = ["taskwarrior", "trello", "todoist", "asana", "throughline"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest import file read, in bytes (a 100,000-task Taskwarrior export is about 40 MB). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * A step as the parsers make it: the neutral `ImportStep` plus how it repeats, an RRULE read by
 * `parseRecurrence` whose first day is the step's due date (absent or null: it does not repeat).
 */
export type ParsedStep = ImportStep & { recurrence?: string | null };
/** A goal as the parsers make it, its steps possibly repeating. */
export type ParsedGoal = Omit<ImportGoal, "steps"> & { steps: ParsedStep[] };
/** What a parser makes of a file: `ImportData` whose steps may repeat. */
export type ParsedData = Omit<ImportData, "goals"> & { goals: ParsedGoal[] };
