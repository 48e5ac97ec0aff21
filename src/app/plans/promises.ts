/**
 * The record of what each step promised (docs/engine.md, "Counting"): every way a step is added or
 * changed goes through `changeStep` / `keepPromises`, so its promises (step_occurrences) follow the
 * step and nothing already promised is rewritten. A move closes the open promise and opens one on
 * the new day; a drop closes it; done and re-open mark the promise they concern.
 */
import type { Kysely } from "kysely";
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
