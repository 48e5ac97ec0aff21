/**
 * What `throughline import` accepts: the sources and the largest file. Apart from the parsers so
 * the CLI can name them in its help without loading them (they bring csv-parse and chrono-node).
 */

/** Every source `throughline import` reads, the backup included. */
export const IMPORT_FORMATS = ["taskwarrior", "trello", "todoist", "asana", "throughline"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest import file read, in bytes (a 100,000-task Taskwarrior export is about 40 MB). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
