/**
 * Every error a user can cause, each with an HTTP status and a stable code. One handler in the
 * server turns them into `{ "error": { "code", "message", "details" } }`; the CLI prints the message.
 */
import type { ZodError } from "zod";

/** An error caused by the request, not by a fault in Throughline. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Something asked for does not exist, or the actor may not see it (the two answer the same). */
export function notFound(what: string, id: number | string): AppError {
  const code = `${what.replace(/ /g, "_")}_not_found`;
  return new AppError(404, code, `No ${what} with id ${id}. List them to find the right id.`, { id });
}

function sentenceCase(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A change that needs a reason was made without one; `field` names it ("the due date", "dropping a step"). */
export function reasonRequired(field: string): AppError {
  return new AppError(
    422,
    "reason_required",
    `${sentenceCase(/^(dropping|moving|re-opening|removing|changing) /.test(field) ? field : `changing ${field}`)} needs a reason, so the people following the goal know why. Add a reason (--reason "..." or "reason" in the body).`,
    { field },
  );
}

/** The input is well-formed but breaks a rule. */
export function invalid(code: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(422, code, message, details);
}

/** Turns a zod error into one AppError that names every offending field. */
export function fromZod(error: ZodError, status: 400 | 422 = 400): AppError {
  const issues = error.issues.map((i) => ({
    field: i.path.length ? i.path.join(".") : "(body)",
    message: i.message,
  }));
  const first = issues[0];
  const message = issues.length
    ? issues.map((i) => `${i.field}: ${i.message}`).join("; ")
    : "The request is not valid.";
  return new AppError(status, "invalid_input", first ? message : "The request is not valid.", { issues });
}

// --- Locks (issue 16, defect 5) ---

export { isBusyError } from "../store/busy.js";

/** What the server and the CLI say when the database stayed locked longer than the wait. */
export const BUSY_MESSAGE =
  "The database is busy: another program (a backup, the command line, maintenance) is writing to it. Nothing was saved; try again in a moment.";

/** Seconds a client should wait before sending a refused-for-busy request again. */
export const BUSY_RETRY_AFTER_SECONDS = 2;
