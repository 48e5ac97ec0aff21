/**
 * The retention job (issue 16): once a day, with the scheduler, trims finished jobs, delivery
 * attempts, expired sessions, rate-limit windows, used or expired invitations and expired
 * idempotency keys (src/app/retention), and refreshes SQLite's planner statistics. Deleting what
 * has expired is the same whoever does it, so every instance may run it.
 */
import type { AppContext } from "../app/context.js";
import { optimizeApp } from "../app/open.js";
import { type Trimmed, trimExpired } from "../app/retention/retention.js";

/** How often the retention job runs. */
export const RETENTION_INTERVAL_MS = 24 * 3_600_000;

/** Runs the job once: trims, then refreshes the statistics. Returns what was trimmed. */
export async function runRetention(ctx: AppContext, now: Date = ctx.now()): Promise<Trimmed> {
  const trimmed = await trimExpired(ctx, now);
  await optimizeApp(ctx);
  return trimmed;
}

/** A retention job that runs when `due` is called at least RETENTION_INTERVAL_MS after its last run. */
export function retentionTimer(ctx: AppContext, log: (msg: string) => void) {
  let last = Number.NEGATIVE_INFINITY;
  return async function due(now: Date): Promise<void> {
    if (now.getTime() - last < RETENTION_INTERVAL_MS) return;
    last = now.getTime();
    const t = await runRetention(ctx, now);
    const total = Object.values(t).reduce((a, b) => a + b, 0);
    if (total > 0) log(`Retention trimmed ${total} rows: ${JSON.stringify(t)}.`);
  };
}
