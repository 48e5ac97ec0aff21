/**
 * Trimming what would otherwise grow without bound (issue 16): finished jobs, delivery attempts,
 * expired sessions, old rate-limit windows, used or expired invitations and expired idempotency
 * keys. Never events, history (change records), check-ins or the audit log: they are the record.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

/** How many rows each table lost. */
export interface Trimmed {
  jobs: number;
  deliveries: number;
  webhookLog: number;
  sessions: number;
  rateLimits: number;
  invitations: number;
  idempotencyKeys: number;
}

/** The tables trimmed, for counting. */
export const TRIMMED_TABLES = [
  "jobs",
  "deliveries",
  "webhookLog",
  "sessions",
  "rateLimits",
  "invitations",
  "idempotencyKeys",
] as const;

/** Row counts of the trimmed tables and of the record (events, change records), for reports and tests. */
export async function retentionCounts(
  db: Kysely<Database>,
): Promise<Record<(typeof TRIMMED_TABLES)[number] | "events" | "changeRecords", number>> {
  const out = {} as Record<(typeof TRIMMED_TABLES)[number] | "events" | "changeRecords", number>;
  for (const t of [...TRIMMED_TABLES, "events", "changeRecords"] as const) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/**
 * Deletes, in one transaction: delivery attempts (webhook log rows, sent or failed email/inbox
 * deliveries) and finished jobs (done or failed) older than `finishedBefore` (a job still named by
 * a kept row stays); sessions expired by `now`; rate-limit windows that started before
 * `windowsBefore` (epoch ms); invitations used or expired before `finishedBefore`; idempotency keys
 * expired by `now`.
 */
export async function trimExpiredRows(
  db: Kysely<Database>,
  at: { now: string; finishedBefore: string; windowsBefore: number },
): Promise<Trimmed> {
  return db.transaction().execute(async (tx) => {
    const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const webhookLog = n(
      await tx.deleteFrom("webhookLog").where("attemptedAt", "<", at.finishedBefore).executeTakeFirst(),
    );
    const deliveries = n(
      await tx
        .deleteFrom("deliveries")
        .where("state", "in", ["sent", "failed"])
        .where("createdAt", "<", at.finishedBefore)
        .executeTakeFirst(),
    );
    const jobs = n(
      await tx
        .deleteFrom("jobs")
        .where("state", "in", ["done", "failed"])
        .where(sql<string>`coalesce(done_at, created_at)`, "<", at.finishedBefore)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("deliveries").select("deliveries.id").whereRef("deliveries.jobId", "=", "jobs.id"),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("webhookLog").select("webhookLog.id").whereRef("webhookLog.jobId", "=", "jobs.id"),
            ),
          ),
        )
        .executeTakeFirst(),
    );
    const sessions = n(await tx.deleteFrom("sessions").where("expiresAt", "<=", at.now).executeTakeFirst());
    const rateLimits = n(
      await tx.deleteFrom("rateLimits").where("windowStart", "<", at.windowsBefore).executeTakeFirst(),
    );
    const invitations = n(
      await tx
        .deleteFrom("invitations")
        .where((eb) => eb.or([eb("usedAt", "<", at.finishedBefore), eb("expiresAt", "<", at.finishedBefore)]))
        .executeTakeFirst(),
    );
    const idempotencyKeys = n(
      await tx.deleteFrom("idempotencyKeys").where("expiresAt", "<=", at.now).executeTakeFirst(),
    );
    return { jobs, deliveries, webhookLog, sessions, rateLimits, invitations, idempotencyKeys };
  });
}
