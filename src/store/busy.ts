/** Telling a lock held elsewhere from a fault, for both databases (no imports: the CLI and server share it). */

/**
 * Whether an error is the database refusing for a lock held elsewhere, which passes: SQLite's
 * SQLITE_BUSY / SQLITE_LOCKED (any extended code), PostgreSQL's lock_not_available (55P03),
 * serialization_failure (40001) and deadlock_detected (40P01). Such a request can be sent again.
 */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return /^SQLITE_(BUSY|LOCKED)/.test(code) || code === "55P03" || code === "40001" || code === "40P01";
}
