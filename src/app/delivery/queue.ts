/**
 * The job queue and delivery record as use cases, for the scheduler in src/jobs (which may not
 * touch the store itself). Every send is recorded under a unique idempotency key; see "Jobs and
 * nudges" in docs/architecture.md for what that guarantees.
 */
import * as jobs from "../../store/repos/jobs.js";
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

/** Options of a claim. */
export interface ClaimOptions {
  worker: string;
  /** How long the claim holds before another worker may take the job over. */
  leaseMs: number;
  limit: number;
  /** Only these kinds (all when left out). */
  kinds?: readonly string[];
}

/** Claims due jobs (and jobs whose worker's lease ran out) for one worker. */
export async function claimDueJobs(ctx: AppContext, now: Date, opts: ClaimOptions): Promise<jobs.JobRow[]> {
  return jobs.claimJobs(ctx.store.db, ctx.store.dialect, {
    now: now.toISOString(),
    worker: opts.worker,
    lockedUntil: new Date(now.getTime() + opts.leaseMs).toISOString(),
    limit: opts.limit,
    ...(opts.kinds ? { kinds: opts.kinds } : {}),
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

/** Puts a failed attempt back in the queue to retry at `at`. */
export async function retryJob(
  ctx: AppContext,
  jobId: number,
  worker: string,
  at: Date,
  error: string,
): Promise<boolean> {
  return jobs.requeueJob(ctx.store.db, jobId, worker, at.toISOString(), { error });
}

/** Gives up on a job. */
export async function failJob(ctx: AppContext, jobId: number, worker: string, now: Date, error: string) {
  await jobs.failJob(ctx.store.db, jobId, worker, now.toISOString(), error);
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
export async function deliveriesOf(ctx: AppContext, userId: number) {
  return ctx.store.db
    .selectFrom("deliveries")
    .selectAll()
    .where("userId", "=", userId)
    .orderBy("id", "desc")
    .execute();
}
