/**
 * The worker: claims due jobs from the database and runs them — a nudge goes to the in-app inbox
 * and by email (after quiet hours and snooze, on the channels the person wants), a stall scan
 * evaluates a workspace's goals. Several workers (instances) may run at once on PostgreSQL.
 * Webhook deliveries are jobs on the same queue, sent several at a time by `dispatchWebhooks`
 * (src/integrations/webhooks.ts), so a slow receiver never holds up a nudge.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AppContext } from "../app/context.js";
import {
  breathe,
  deliverToInbox,
  NUDGE_JOB,
  type NudgePayload,
  recipientOf,
  STALL_SCAN_JOB,
  scanStalls,
  settingsFor,
} from "../app/delivery/nudges.js";
import * as queue from "../app/delivery/queue.js";
import type { WeeklyReviewMail } from "../app/delivery/weekly-review.js";
import { type Channel, personalChannelFor, unsubscribeTokenFor, wants } from "../app/people/settings.js";
import { deliverAt } from "../core/nudges.js";
import { absoluteUrl, type Mailer, messageIdFor, renderNudgeEmail } from "../integrations/email.js";
import { postJson } from "../integrations/outbound.js";
import { renderWeeklyReviewEmail } from "../integrations/reminders-email.js";
import { channelBody } from "../integrations/webhooks.js";

/** How long a claim holds by default: well beyond the SMTP timeout, so a live worker finishes first. */
export const DEFAULT_LEASE_MS = 10 * 60_000;
/** The kinds of job this worker runs. */
export const WORKER_JOBS = [NUDGE_JOB, STALL_SCAN_JOB] as const;

/** Options of a worker. */
export interface WorkerOptions {
  /** This worker's id, recorded on the jobs it claims. */
  worker?: string;
  leaseMs?: number;
  /** Jobs claimed per round. */
  batch?: number;
  /** Sends email; without it nudges reach the inbox only. */
  mailer?: Mailer | null;
  /** The web app's address, for links and unsubscribe links in email. */
  publicUrl?: string;
  /** When to retry a job that failed (the queue's schedule by default). */
  retrySeconds?: queue.RetrySchedule;
  log?: (msg: string) => void;
}

/** What one run did. */
export interface RunResult {
  claimed: number;
  done: number;
  deferred: number;
  retried: number;
  failed: number;
}

/** A worker id unique to this process. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

type Outcome = "done" | "deferred" | "lost";

interface Run {
  ctx: AppContext;
  worker: string;
  mailer: Mailer | null;
  publicUrl: string;
  /** The tick's `now` plus the real time spent since, for lease checks during long sends. */
  clock: () => Date;
}

/**
 * Runs every job due at `now` (and every job whose worker's lease ran out), in rounds of
 * `batch`, until none is left. Each job is claimed by exactly one worker at a time.
 */
export async function runDueJobs(
  ctx: AppContext,
  now: Date = ctx.now(),
  opts: WorkerOptions = {},
): Promise<RunResult> {
  const worker = opts.worker ?? newWorkerId();
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const run: Run = {
    ctx,
    worker,
    mailer: opts.mailer ?? null,
    publicUrl: opts.publicUrl ?? "http://127.0.0.1:3000",
    clock: () => new Date(now.getTime() + (Date.now() - started)),
  };
  const result: RunResult = { claimed: 0, done: 0, deferred: 0, retried: 0, failed: 0 };
  for (let round = 0; round < 100; round++) {
    const claimed = await queue.claimDueJobs(ctx, now, {
      worker,
      leaseMs,
      limit: opts.batch ?? 20,
      kinds: WORKER_JOBS,
    });
    if (claimed.length === 0) break;
    result.claimed += claimed.length;
    for (const job of claimed) {
      // Requests queued behind the jobs run between two (SQLite runs synchronously): 11 nudges in
      // a row held the event loop ~170 ms on the loaded bench machine (issue 17, sched20).
      await breathe();
      try {
        const outcome = await runJob(run, job);
        if (outcome === "done") {
          await queue.finishJob(ctx, job.id, worker, run.clock());
          result.done++;
        } else if (outcome === "deferred") {
          result.deferred++;
        }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const settled = await queue.settleAttempt(ctx.store.db, job, worker, now, message, opts.retrySeconds);
        if (settled.state === "failed") {
          result.failed++;
          log(`Job ${job.id} (${job.kind}) failed for good after ${job.attempts} attempts: ${message}`);
        } else {
          result.retried++;
          log(
            `Job ${job.id} (${job.kind}) failed, retrying at ${settled.retryAt?.toISOString()}: ${message}`,
          );
        }
      }
    }
  }
  return result;
}

async function runJob(run: Run, job: queue.JobRow): Promise<Outcome> {
  const payload = JSON.parse(job.payloadJson) as unknown;
  if (job.kind === NUDGE_JOB) return runNudge(run, job, payload as NudgePayload);
  if (job.kind === STALL_SCAN_JOB) {
    await scanStalls(run.ctx, (payload as { workspaceId: number }).workspaceId);
    return "done";
  }
  throw new Error(`Unknown job kind '${job.kind}'.`);
}

async function runNudge(run: Run, job: queue.JobRow, n: NudgePayload): Promise<Outcome> {
  const { ctx } = run;
  const user = await recipientOf(ctx, n.userId);
  if (!user) return "done";
  const s = await settingsFor(ctx, n.userId);
  const at = deliverAt(run.clock(), {
    timeZone: s.timeZone,
    quietHours: s.quietHours,
    snoozeUntil: s.snoozeUntil,
  });
  if (at.getTime() > run.clock().getTime()) {
    return (await queue.deferJob(ctx, job.id, run.worker, at)) ? "deferred" : "lost";
  }
  const allowed = (c: Channel) => (!n.only || n.only.includes(c)) && wants(s, n.kind, c);
  if (allowed("inbox")) await deliverToInbox(ctx, job.id, n, run.clock());
  if (allowed("email") && run.mailer && user.email) {
    const key = `job:${job.id}:email`;
    const messageId = messageIdFor(key, run.publicUrl);
    const decision = await queue.beginSend(
      ctx,
      { key, jobId: job.id, channel: "email", userId: user.id, recipient: user.email, messageId },
      run.clock(),
    );
    if (decision !== "skip") {
      // Another worker took the job over after our lease ran out: leave the send to it.
      if (!(await queue.holdsLease(ctx, job.id, run.worker, run.clock()))) return "lost";
      const token = await unsubscribeTokenFor(ctx, user.id);
      const unsubscribeUrl = absoluteUrl(run.publicUrl, `/api/unsubscribe/${token}`);
      // The weekly review email has its own layout
      const mail =
        n.kind === "weekly-review"
          ? renderWeeklyReviewEmail((n.data as { review: WeeklyReviewMail }).review, {
              publicUrl: run.publicUrl,
              unsubscribeUrl,
              name: user.name,
            })
          : renderNudgeEmail(n, { publicUrl: run.publicUrl, unsubscribeUrl, name: user.name });
      try {
        await run.mailer.send({
          to: user.email,
          ...mail,
          messageId,
          headers: {
            "List-Unsubscribe": `<${unsubscribeUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Throughline-Nudge": n.kind,
          },
        });
      } catch (e) {
        await queue.recordSendFailed(ctx, key, e instanceof Error ? e.message : String(e));
        throw e;
      }
      await queue.recordSent(ctx, key, run.clock(), messageId);
    }
  }
  if ((await deliverToPersonalChannel(run, job, n, allowed)) === "lost") return "lost";
  return "done";
}

/** How long a person's Slack or Teams webhook has to answer. */
const PERSONAL_CHANNEL_TIMEOUT_MS = 10_000;

/**
 * Posts a nudge to the person's own Slack or Teams channel when they connected one and want this
 * kind of nudge there: recorded under `job:<id>:<kind>` like email, so a retry never posts twice
 * once a post was accepted. A failed post throws (the job is retried; what was sent is skipped);
 * an address the outbound policy refuses is recorded as failed and not retried.
 */
async function deliverToPersonalChannel(
  run: Run,
  job: queue.JobRow,
  n: NudgePayload,
  allowed: (c: Channel) => boolean,
): Promise<"done" | "lost"> {
  const { ctx } = run;
  const channel = await personalChannelFor(ctx, n.userId);
  if (!channel || !allowed(channel.kind)) return "done";
  const key = `job:${job.id}:${channel.kind}`;
  const decision = await queue.beginSend(
    ctx,
    { key, jobId: job.id, channel: channel.kind, userId: n.userId, recipient: "personal", messageId: key },
    run.clock(),
  );
  if (decision === "skip") return "done";
  if (!(await queue.holdsLease(ctx, job.id, run.worker, run.clock()))) return "lost";
  const body = channelBody(channel.kind, {
    type: `nudge.${n.kind}`,
    title: n.title,
    text: n.lines.length ? `${n.message}\n${n.lines.map((l) => `• ${l}`).join("\n")}` : n.message,
    ...(n.link ? { link: { label: "Open in Throughline", url: absoluteUrl(run.publicUrl, n.link) } } : {}),
  });
  const result = await postJson(channel.url, body, {}, { timeoutMs: PERSONAL_CHANNEL_TIMEOUT_MS });
  if (result.error === null) {
    await queue.recordSent(ctx, key, run.clock());
    return "done";
  }
  await queue.recordSendFailed(ctx, key, result.error);
  if (result.refused) return "done";
  throw new Error(`Posting to ${channel.kind === "slack" ? "Slack" : "Teams"} failed: ${result.error}`);
}
