/**
 * Retention (issue 16): nothing grows without bound. Finished jobs and delivery attempts are kept
 * 30 days (the delivery log shows a month), used or expired invitations 30 days, rate-limit
 * windows a day; expired sessions and idempotency keys go at once. Events, history, check-ins and
 * the audit log are the record and are never trimmed.
 */
import { retentionCounts, type Trimmed, trimExpiredRows } from "../../store/repos/retention.js";
import type { AppContext } from "../context.js";

export type { Trimmed } from "../../store/repos/retention.js";

/** Days a finished job, a delivery attempt, or a used or expired invitation is kept. */
export const FINISHED_RETENTION_DAYS = 30;
/** Hours a rate-limit window's counter is kept (every window is far shorter). */
export const RATE_LIMIT_RETENTION_HOURS = 24;

/** Trims what has outlived its use as of `now`; returns how many rows each table lost. */
export async function trimExpired(ctx: AppContext, now: Date = ctx.now()): Promise<Trimmed> {
  return trimExpiredRows(ctx.store.db, {
    now: now.toISOString(),
    finishedBefore: new Date(now.getTime() - FINISHED_RETENTION_DAYS * 86_400_000).toISOString(),
    windowsBefore: now.getTime() - RATE_LIMIT_RETENTION_HOURS * 3_600_000,
  });
}

/** Row counts of the trimmed tables and of the record, to report sizes before and after. */
export async function retentionSizes(ctx: AppContext) {
  return retentionCounts(ctx.store.db);
}
