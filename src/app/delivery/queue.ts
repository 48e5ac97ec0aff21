/**
 * The job queue and delivery record as use cases, for the scheduler in src/jobs (which may not
 * touch the store itself). Every send is recorded under a unique idempotency key; see "Jobs and
 * nudges" in docs/architecture.md for what that guarantees.
 */
import type { Kysely } from "kysely";
import * as jobs from "../../store/repos/jobs.js";
import type { Database } from "../../store/schema.js";
import type { AppContext } from "../context.js";

export type { DeliveryRow, JobRow } from "../../store/repos/jobs.js";

/** A job to queue: its kind, payload, when it may run, and the key that makes it unique. */
export interface JobSpec {
  kind: string;
  payload: unknown;
  dedupeKey: string;
  runAt: Date;
}

/** Queues a job unless its dedupe key was queued before (at any time); true when this call queued it. */
export async function enqueue(ctx: AppContext, job: JobSpec, now: Date = ctx.now()): Promise<boolean> {
  return jobs.enqueueJob(ctx.store.db, {
    kind: job.kind,
    payload: job.payload,
    dedupeKey: job.dedupeKey,
    runAt: job.runAt.toISOString(),
    createdAt: now.toISOString(),
  });
}

/** Which of these dedupe keys were queued before (at any time). */
export async function queuedKeys(ctx: AppContext, keys: readonly string[]): Promise<Set<string>> {
  return jobs.existingDedupeKeys(ctx.store.db, keys);
}

/** Options of a claim. */
export interface ClaimOptions {
  worker: string;
  /** How long the claim holds before another worker may take the job over. */
  leaseMs: number;
  limit: number;
  /** Only these kinds (all when left out). */
  kinds?: readonly string[];
  /** Only the jobs with these dedupe keys (all when left out). */
  keys?: readonly string[];
}

/** Claims due jobs (and jobs whose worker's lease ran out) for one worker. */
export async function claimDueJobs(ctx: AppContext, now: Date, opts: ClaimOptions): Promise<jobs.JobRow[]> {
  return jobs.claimJobs(ctx.store.db, ctx.store.dialect, {
    now: now.toISOString(),
    worker: opts.worker,
    lockedUntil: new Date(now.getTime() + opts.leaseMs).toISOString(),
    limit: opts.limit,
    ...(opts.kinds ? { kinds: opts.kinds } : {}),
    ...(opts.keys ? { keys: opts.keys } : {}),
  });
}

/** True while the worker still holds the job. */
export async function holdsLease(
  ctx: AppContext,
  jobId: number,
  worker: string,
  now: Date,
): Promise<boolean> {
  return jobs.holdsLease(ctx.store.db, jobId, worker, now.toISOString());
}

/** Marks a claimed job done. */
export async function finishJob(ctx: AppContext, jobId: number, worker: string, now: Date): Promise<boolean> {
  return jobs.finishJob(ctx.store.db, jobId, worker, now.toISOString());
}

/** Defers a claimed job to a later instant without counting the attempt (quiet hours, snooze). */
export async function deferJob(
  ctx: AppContext,
  jobId: number,
  worker: string,
  until: Date,
): Promise<boolean> {
  return jobs.requeueJob(ctx.store.db, jobId, worker, until.toISOString(), { giveBackAttempt: true });
}

/**
 * Seconds to wait after each failed attempt of a job before the next one; once the last wait's
 * attempt has failed too, the job has failed.
 */
export type RetrySchedule = readonly number[];

/** The queue's retries for nudges and scans: after 1, 2, 4, 8 and 16 minutes, so 6 attempts in all. */
export const RETRY_SECONDS: RetrySchedule = [60, 120, 240, 480, 960];

/** What became of a claimed job after an attempt. */
export interface Settled {
  state: "done" | "queued" | "failed";
  /** When it runs again (queued only). */
  retryAt: Date | null;
  /** False when the worker no longer held the job (its lease ran out and another took it over). */
  held: boolean;
}

/**
 * Moves a claimed job on after an attempt, if `worker` still holds it: done when it worked (no
 * error), else queued again after the schedule's wait for this attempt, or failed after the last.
 * Takes a database handle so that a use case can record something else in the same transaction.
 */
export async function settleAttempt(
  db: Kysely<Database>,
  job: { id: number; attempts: number },
  worker: string,
  now: Date,
  error: string | null,
  schedule: RetrySchedule = RETRY_SECONDS,
): Promise<Settled> {
  const at = now.toISOString();
  if (error === null) {
    return { state: "done", retryAt: null, held: await jobs.finishJob(db, job.id, worker, at) };
  }
  const wait = schedule[job.attempts - 1];
  if (wait === undefined) {
    return { state: "failed", retryAt: null, held: await jobs.failJob(db, job.id, worker, at, error) };
  }
  const retryAt = new Date(now.getTime() + wait * 1000);
  const held = await jobs.requeueJob(db, job.id, worker, retryAt.toISOString(), { error });
  return { state: "queued", retryAt, held };
}

/** A job by id (tests and diagnostics). */
export async function findJob(ctx: AppContext, id: number) {
  return jobs.findJob(ctx.store.db, id);
}

/** What a worker should do about an outward send (email, chat) it is about to make. */
export type SendDecision =
  /** Not sent before: send. */
  | "send"
  /** An earlier attempt began and did not record success (it may or may not have arrived): send again with the same message id. */
  | "resend"
  /** Recorded as sent: do nothing. */
  | "skip";

/**
 * Records the start of an outward send under its idempotency key, before sending, and says
 * whether to send. The row is committed before the send, so a later attempt knows one began.
 */
export async function beginSend(
  ctx: AppContext,
  d: {
    key: string;
    jobId: number | null;
    channel: string;
    userId: number;
    recipient: string;
    messageId: string;
  },
  now: Date,
): Promise<SendDecision> {
  const db = ctx.store.db;
  const inserted = await jobs.insertDelivery(db, {
    jobId: d.jobId,
    notificationId: null,
    channel: d.channel,
    userId: d.userId,
    recipient: d.recipient,
    idempotencyKey: d.key,
    state: "sending",
    messageId: d.messageId,
    createdAt: now.toISOString(),
    sentAt: null,
  });
  if (inserted) return "send";
  const existing = await jobs.findDelivery(db, d.key);
  if (existing?.state === "sent") return "skip";
  await jobs.updateDelivery(db, d.key, { state: "sending", error: null, retry: true });
  return "resend";
}

/** Records that an outward send was accepted by the channel. */
export async function recordSent(ctx: AppContext, key: string, now: Date, messageId?: string): Promise<void> {
  await jobs.updateDelivery(ctx.store.db, key, {
    state: "sent",
    sentAt: now.toISOString(),
    error: null,
    ...(messageId === undefined ? {} : { messageId }),
  });
}

/** Records that an outward send failed (it will be retried with the job). */
export async function recordSendFailed(ctx: AppContext, key: string, error: string): Promise<void> {
  await jobs.updateDelivery(ctx.store.db, key, { state: "failed", error: error.slice(0, 1000) });
}

/** The deliveries of a person, newest first (tests and diagnostics). */
export async function deliveriesOf(ctx: AppContext, userId: number): Promise<jobs.DeliveryRow[]> {
  return jobs.deliveriesOfUser(ctx.store.db, userId);
}
