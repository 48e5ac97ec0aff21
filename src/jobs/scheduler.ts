/**
 * The in-process scheduler: every N seconds, plan the nudges that are due and run the due jobs.
 * `npm start` starts it with the server; `THROUGHLINE_SCHEDULER=off` leaves it out (tests, or an
 * instance that should only serve HTTP). On PostgreSQL every instance may run one: jobs are claimed
 * with `FOR UPDATE SKIP LOCKED`, so each runs once.
 */
import type { AppContext } from "../app/context.js";
import { breathe, planTick } from "../app/delivery/nudges.js";
import { type Mailer, smtpMailer } from "../integrations/email.js";
import { dispatchWebhooks } from "../integrations/webhooks.js";
import { readJobsConfig } from "./config.js";
// Retention
import { retentionTimer } from "./retention.js";
import { newWorkerId, type RunResult, runDueJobs, type WorkerOptions } from "./worker.js";

/** A running scheduler. */
export interface Scheduler {
  /** Runs one tick now (waits for a tick already running instead of overlapping it). */
  tick(): Promise<RunResult | null>;
  /** Stops the timer and waits for the current tick to end. */
  stop(): Promise<void>;
}

/** Options of the scheduler. */
export interface SchedulerOptions extends WorkerOptions {
  intervalMs: number;
  /** Also email the in-app notices (goal changes, delegations); on when a mailer is set. */
  forwardNotices?: boolean;
}

/**
 * One tick: plan the nudges due at `now` (what changed since the last tick), run the due jobs, then dispatch the outgoing webhooks
 * and team channels (last, so a slow or failing receiver never holds up nudges).
 */
export async function tick(ctx: AppContext, now: Date, opts: SchedulerOptions): Promise<RunResult> {
  // Issue 17: a tick plans what changed since the last (one query when nothing did), and only one
  // instance plans; every instance runs the due jobs.
  await planTick(ctx, now, { forwardNotices: opts.forwardNotices ?? Boolean(opts.mailer) });
  // Requests that queued behind the planning run before the delivery (SQLite runs synchronously).
  await breathe();
  const result = await runDueJobs(ctx, now, opts);
  await breathe();
  await dispatchWebhooks(ctx, now, {
    ...(opts.worker ? { worker: opts.worker } : {}),
    // Slack and Teams messages link back under PUBLIC_URL
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  });
  return result;
}

/**
 * Starts ticking every `intervalMs`; the first tick runs at once. That first tick is not a full
 * pass of the planner when it has run before (issue 17): it plans only the time zones whose day (or
 * weekly hour) changed since the planner's stored slot, and what was written after its cursors.
 */
export function startScheduler(ctx: AppContext, opts: SchedulerOptions): Scheduler {
  const options = { ...opts, worker: opts.worker ?? newWorkerId() };
  const log = opts.log ?? console.error;
  let running: Promise<RunResult | null> | null = null;
  let stopped = false;
  // The daily retention job runs after a tick, on the scheduler's timer only
  const retention = retentionTimer(ctx, opts.log ?? console.log);
  const once = (): Promise<RunResult | null> => {
    if (running) return running;
    if (stopped) return Promise.resolve(null);
    running = tick(ctx, ctx.now(), options)
      .then(async (result) => {
        await retention(ctx.now()).catch((e: unknown) =>
          log(
            `The retention job failed (it tries again tomorrow): ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
        return result;
      })
      .catch((e: unknown) => {
        log(`The scheduler's tick failed (it will try again): ${e instanceof Error ? e.stack : String(e)}`);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void once(), opts.intervalMs);
  timer.unref();
  void once();
  return {
    tick: once,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
      opts.mailer?.close();
    },
  };
}

/** A scheduler that does nothing (when turned off). */
const OFF: Scheduler = { tick: async () => null, stop: async () => {} };

/**
 * Reads the scheduler's configuration from the environment and starts it, or, with
 * `THROUGHLINE_SCHEDULER=off`, does nothing. Configuration problems are listed and the process
 * exits 1, like the server's own.
 */
export function startSchedulerFromEnv(
  ctx: AppContext,
  env: Record<string, string | undefined>,
  server: { host: string; port: number; log?: (msg: string) => void },
): Scheduler {
  const reading = readJobsConfig(env, server);
  if (!reading.ok) {
    console.error("Throughline cannot start its scheduler:");
    for (const p of reading.problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  const { config } = reading;
  if (!config.enabled) return OFF;
  const mailer: Mailer | null = config.smtp ? smtpMailer(config.smtp) : null;
  (server.log ?? console.log)(
    `Scheduler on: every ${config.intervalMs / 1000} s; email ${mailer ? "by SMTP" : "off (set SMTP_URL to send email)"}.`,
  );
  return startScheduler(ctx, {
    intervalMs: config.intervalMs,
    mailer,
    publicUrl: config.publicUrl,
    log: console.error,
  });
}
