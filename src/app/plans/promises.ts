/**
 * The record of what each step promised (docs/engine.md, "Follow-through rate"): every way a step is added or
 * changed goes through `changeStep` / `keepPromises`, so its promises (step_occurrences) follow the
 * step and nothing already promised is rewritten. A move closes the open promise and opens one on
 * the new day; a drop closes it; done and re-open mark the promise they concern.
 */
import type { Kysely } from "kysely";
import { addDays, dayOfTimestamp } from "../../core/engine/dates.js";
import { occurrencesThrough } from "../../core/recurrence.js";
import type { Step } from "../../core/types.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";

/** Brings a step's promises in line with a change from `before` (null: just added) to `after`. */
export async function keepPromises(
  trx: Kysely<Database>,
  before: Step | null,
  after: Step,
  now: string,
): Promise<void> {
  if (after.recurrence !== null || before?.recurrence) {
    await keepRepeats(trx, before, after, now);
    return;
  }
  const done = after.status === "done" ? (after.doneAt ?? now) : null;
  const open = async () =>
    (await plans.occurrencesOf(trx, after.id)).filter((o) => o.closedAt === null && o.doneAt === null).at(-1);
  const promise = (dueDate: string) =>
    plans.insertOccurrence(trx, { stepId: after.id, dueDate, doneAt: done, createdAt: now });

  if (before === null || (before.status === "dropped" && after.status !== "dropped")) {
    // A new step, or a dropped one taken up again: a new promise for its due date.
    if (after.dueDate !== null) await promise(after.dueDate);
    return;
  }
  if (after.status === "dropped") {
    const o = before.status === "dropped" ? undefined : await open();
    if (o) await plans.updateOccurrence(trx, o.id, { closedAt: now, closedHow: "dropped" });
    return;
  }
  if (before.dueDate !== after.dueDate) {
    const o = await open();
    if (o) await plans.updateOccurrence(trx, o.id, { closedAt: now, closedHow: "moved" });
    if (after.dueDate !== null && before.status !== "done") {
      await promise(after.dueDate);
      return;
    }
  }
  if (after.status === "done" && before.status !== "done") {
    const o = await open();
    if (o) await plans.updateOccurrence(trx, o.id, { doneAt: done });
    else if (after.dueDate !== null) await promise(after.dueDate);
    return;
  }
  if (before.status === "done" && after.status !== "done") {
    // Re-opened: the promise it was done for is not done after all.
    const kept = (await plans.occurrencesOf(trx, after.id)).filter((o) => o.doneAt !== null).at(-1);
    if (kept) await plans.updateOccurrence(trx, kept.id, { doneAt: null });
  }
}

/**
 * A repeating step's days are read from its rule; what must be written is what a change would
 * otherwise lose: when it is dropped, or its rule or first day changes, every day of the old
 * schedule already past (before today) gets its row, so those days still count.
 */
async function keepRepeats(
  trx: Kysely<Database>,
  before: Step | null,
  after: Step,
  now: string,
): Promise<void> {
  if (before === null || before.recurrence === null || before.dueDate === null) return;
  const dropped = after.status === "dropped" && before.status !== "dropped";
  const rescheduled = before.recurrence !== after.recurrence || before.dueDate !== after.dueDate;
  if (!dropped && !rescheduled) return;
  const today = dayOfTimestamp(now);
  const yesterday = addDays(today, -1);
  if (before.status === "dropped" || before.dueDate > yesterday) return;
  const rows = await plans.occurrencesOf(trx, after.id);
  const known = new Set(rows.map((o) => o.dueDate));
  for (const day of occurrencesThrough(before.recurrence, before.dueDate, yesterday)) {
    if (!known.has(day))
      await plans.insertOccurrence(trx, { stepId: after.id, dueDate: day, createdAt: before.createdAt });
  }
}

/** Changes a step's row and keeps its promises in line: the one writer of every step change. */
export async function changeStep(
  trx: Kysely<Database>,
  step: Step,
  patch: Parameters<typeof plans.updateStepRow>[2],
  now: string,
): Promise<Step> {
  const updated = await plans.updateStepRow(trx, step.id, patch);
  await keepPromises(trx, step, updated, now);
  return updated;
}
