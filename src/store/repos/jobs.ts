/**
 * The job queue and the delivery record. One code path for both databases: a claim is a single
 * `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING *`; on PostgreSQL the inner select adds
 * `FOR UPDATE SKIP LOCKED` so concurrent workers on several instances take different rows, and
 * on SQLite (one process, one connection) the statement is atomic by itself.
 */
import type { Kysely, Selectable } from "kysely";
import type { DialectName } from "../db.js";
import type { Database, DeliveriesTable, JobsTable } from "../schema.js";

/** A job row. */
export type JobRow = Selectable<JobsTable>;
/** A delivery row. */
export type DeliveryRow = Selectable<DeliveriesTable>;

/** A job to queue. */
export interface NewJob {
  kind: string;
  runAt: string;
  payload: unknown;
  dedupeKey: string;
  createdAt: string;
}

/** The row a new job is inserted as: queued, unlocked, no error yet (one mapping for both inserts). */
function jobRow(job: NewJob) {
  return {
    kind: job.kind,
    runAt: job.runAt,
    payloadJson: JSON.stringify(job.payload),
    dedupeKey: job.dedupeKey,
    createdAt: job.createdAt,
    lockedBy: null,
    lockedUntil: null,
    lastError: null,
    doneAt: null,
  };
}

/** Queues a job unless one with the same dedupe key exists; true when this call queued it. */
export async function enqueueJob(db: Kysely<Database>, job: NewJob): Promise<boolean> {
  const r = await db
    .insertInto("jobs")
    .values(jobRow(job))
    .onConflict((oc) => oc.column("dedupeKey").doNothing())
    .returning("id")
    .executeTakeFirst();
  return r !== undefined;
}

/** How many jobs one statement of {@link enqueueJobs} queues (9 parameters each). */
const JOBS_PER_INSERT = 100;

/**
 * Queues these jobs, each unless one with the same dedupe key exists, in one statement per 100
 * (one commit each on SQLite, not one a job: issue 17, sched19); how many this call queued.
 */
export async function enqueueJobs(db: Kysely<Database>, list: readonly NewJob[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < list.length; i += JOBS_PER_INSERT) {
    const rows = await db
      .insertInto("jobs")
      .values(list.slice(i, i + JOBS_PER_INSERT).map(jobRow))
      .onConflict((oc) => oc.column("dedupeKey").doNothing())
      .returning("id")
      .execute();
    added += rows.length;
  }
  return added;
}

/** Which of these dedupe keys are already queued (or done). */
export async function existingDedupeKeys(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom("jobs").select("dedupeKey").where("dedupeKey", "in", chunk).execute();
    for (const r of rows) found.add(r.dedupeKey);
  }
  return found;
}

/**
 * Claims up to `limit` jobs that are due (queued with `run_at <= now`) or whose worker's lease has
 * run out (running with `locked_until < now`): marks them running, locked by `worker` until
 * `lockedUntil`, and counts the attempt.
 */
export async function claimJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  opts: {
    now: string;
    worker: string;
    lockedUntil: string;
    limit: number;
    kinds?: readonly string[];
    /** Only the jobs with these dedupe keys (a delivery sent at once, such as a hook's test message). */
    keys?: readonly string[];
  },
): Promise<JobRow[]> {
  let due = db
    .selectFrom("jobs")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "=", "queued"), eb("runAt", "<=", opts.now)]),
        eb.and([eb("state", "=", "running"), eb("lockedUntil", "<", opts.now)]),
      ]),
    )
    .orderBy("runAt")
    .orderBy("id")
    .limit(opts.limit);
  if (opts.kinds) due = due.where("kind", "in", [...opts.kinds]);
  if (opts.keys) due = due.where("dedupeKey", "in", [...opts.keys]);
  if (dialect === "postgres") due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable("jobs")
    .set((eb) => ({
      state: "running",
      lockedBy: opts.worker,
      lockedUntil: opts.lockedUntil,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "in", due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.runAt.localeCompare(b.runAt) || a.id - b.id);
}

/** True while `worker` still holds the job's lease at `now`. */
export async function holdsLease(
  db: Kysely<Database>,
  jobId: number,
  worker: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("jobs")
    .select("id")
    .where("id", "=", jobId)
    .where("state", "=", "running")
    .where("lockedBy", "=", worker)
    .where("lockedUntil", ">", now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a job done, if `worker` still holds it; true when it did. */
export async function finishJob(
  db: Kysely<Database>,
  jobId: number,
  worker: string,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set({ state: "done", doneAt: now, lockedBy: null, lockedUntil: null, lastError: null })
    .where("id", "=", jobId)
    .where("lockedBy", "=", worker)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Puts a job back in the queue to run at `runAt` (a deferral or a retry), if `worker` still holds
 * it. A deferral gives the attempt back; a retry keeps it and records the error.
 */
export async function requeueJob(
  db: Kysely<Database>,
  jobId: number,
  worker: string,
  runAt: string,
  opts: { error?: string; giveBackAttempt?: boolean; payload?: unknown } = {},
): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set((eb) => ({
      state: "queued",
      runAt,
      lockedBy: null,
      lockedUntil: null,
      ...(opts.error === undefined ? {} : { lastError: opts.error }),
      ...(opts.giveBackAttempt ? { attempts: eb("attempts", "-", 1) } : {}),
      ...(opts.payload === undefined ? {} : { payloadJson: JSON.stringify(opts.payload) }),
    }))
    .where("id", "=", jobId)
    .where("lockedBy", "=", worker)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks a job failed for good, if `worker` still holds it; true when it did. */
export async function failJob(
  db: Kysely<Database>,
  jobId: number,
  worker: string,
  now: string,
  error: string,
): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set({ state: "failed", doneAt: now, lockedBy: null, lockedUntil: null, lastError: error })
    .where("id", "=", jobId)
    .where("lockedBy", "=", worker)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Deletes the jobs of one kind whose dedupe keys start with `prefix` (the queue of something
 * deleted). Their keys become free again, so the prefix must name something never made again.
 */
export async function deleteJobsByKeyPrefix(
  db: Kysely<Database>,
  kind: string,
  prefix: string,
): Promise<void> {
  await db
    .deleteFrom("jobs")
    .where("kind", "=", kind)
    .where((eb) => eb(eb.fn("substr", [eb.ref("dedupeKey"), eb.val(1), eb.val(prefix.length)]), "=", prefix))
    .execute();
}

/** A job by id. */
export async function findJob(db: Kysely<Database>, id: number): Promise<JobRow | undefined> {
  return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A delivery to record. */
export interface NewDelivery {
  jobId: number | null;
  notificationId: number | null;
  channel: string;
  userId: number;
  recipient: string;
  idempotencyKey: string;
  state: "sending" | "sent";
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Records a delivery unless its idempotency key exists; the new row, or undefined when it existed. */
export async function insertDelivery(db: Kysely<Database>, d: NewDelivery): Promise<DeliveryRow | undefined> {
  return db
    .insertInto("deliveries")
    .values({ ...d, error: null })
    .onConflict((oc) => oc.column("idempotencyKey").doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The delivery with this idempotency key. */
export async function findDelivery(db: Kysely<Database>, key: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom("deliveries").selectAll().where("idempotencyKey", "=", key).executeTakeFirst();
}

/** Updates a delivery's state. */
export async function updateDelivery(
  db: Kysely<Database>,
  key: string,
  set: {
    state: string;
    sentAt?: string | null;
    error?: string | null;
    messageId?: string | null;
    retry?: boolean;
  },
): Promise<void> {
  const { retry, ...fields } = set;
  await db
    .updateTable("deliveries")
    .set((eb) => ({ ...fields, ...(retry ? { attempts: eb("attempts", "+", 1) } : {}) }))
    .where("idempotencyKey", "=", key)
    .execute();
}

/** Links an inbox delivery to the notice it wrote. */
export async function linkDeliveryToNotice(
  db: Kysely<Database>,
  key: string,
  notificationId: number,
): Promise<void> {
  await db.updateTable("deliveries").set({ notificationId }).where("idempotencyKey", "=", key).execute();
}

/** The deliveries to a person, newest first. */
export async function deliveriesOfUser(db: Kysely<Database>, userId: number): Promise<DeliveryRow[]> {
  return db.selectFrom("deliveries").selectAll().where("userId", "=", userId).orderBy("id", "desc").execute();
}
