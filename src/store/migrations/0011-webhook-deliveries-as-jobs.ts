import { sql } from "kysely";
import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Webhook deliveries become jobs on the one job queue: each `webhook_deliveries` row becomes a
 * `jobs` row of kind "webhook-delivery" under the dedupe key `webhook:<hook>:<event>` (pending ones
 * queued for when their next attempt was due, with the attempts made so far; delivered ones done;
 * failed ones failed), keeping its X-Throughline-Delivery id in the payload. Each attempt of
 * `webhook_attempts` becomes a row of `webhook_log`, which keeps only what the delivery log API
 * shows: response bodies that older versions kept in the error are dropped ("HTTP 500" stays).
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await withId(s.createTable("webhook_log"), dialect)
      // The log goes with its hook, also when an attempt is recorded while the hook is deleted.
      .addColumn("webhook_id", "integer", (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
      .addColumn("job_id", "integer", (c) => c.notNull().references("jobs.id"))
      .addColumn("event_id", "integer", (c) => c.notNull().references("events.id"))
      .addColumn("delivery_id", "text", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("error", "text")
      .addColumn("attempted_at", "text", (c) => c.notNull())
      .addColumn("next_attempt_at", "text")
      .execute();
    await s.createIndex("webhook_log_webhook").on("webhook_log").columns(["webhook_id", "id"]).execute();

    const key = sql`'webhook:' || cast(d.webhook_id as text) || ':' || cast(d.event_id as text)`;
    const payload =
      dialect === "postgres"
        ? sql`json_build_object('webhookId', d.webhook_id, 'eventId', d.event_id, 'deliveryId', d.delivery_key)::text`
        : sql`json_object('webhookId', d.webhook_id, 'eventId', d.event_id, 'deliveryId', d.delivery_key)`;
    // An HTTP failure's error was "HTTP <status>: <response body>"; only the status is kept.
    const lastError = sql`case when d.last_status is not null and d.last_error is not null
      then 'HTTP ' || cast(d.last_status as text) else d.last_error end`;
    const lastAttempt = sql`(select max(a.attempted_at) from webhook_attempts a where a.delivery_id = d.id)`;
    await sql`insert into jobs (kind, run_at, state, attempts, locked_by, locked_until, payload_json,
        dedupe_key, last_error, created_at, done_at)
      select 'webhook-delivery', d.next_attempt_at,
        case d.state when 'delivered' then 'done' when 'failed' then 'failed' else 'queued' end,
        d.attempts, null, null, ${payload}, ${key}, ${lastError}, d.created_at,
        case d.state when 'pending' then null else coalesce(d.delivered_at, ${lastAttempt}, d.created_at) end
      from webhook_deliveries d
      order by d.id`.execute(db);

    await sql`insert into webhook_log (id, webhook_id, job_id, event_id, delivery_id, attempt, status_code,
        error, attempted_at, next_attempt_at)
      select a.id, d.webhook_id, j.id, d.event_id, d.delivery_key, a.attempt, a.status_code,
        case when a.status_code is not null and a.error is not null
          then 'HTTP ' || cast(a.status_code as text) else a.error end,
        a.attempted_at, a.next_attempt_at
      from webhook_attempts a
      join webhook_deliveries d on d.id = a.delivery_id
      join jobs j on j.dedupe_key = ${key}
      order by a.id`.execute(db);
    if (dialect === "postgres") {
      // The log kept its ids (its pages are cut by id): move the sequence past them.
      await sql`select setval(pg_get_serial_sequence('webhook_log', 'id'),
        coalesce((select max(id) from webhook_log), 0) + 1, false)`.execute(db);
    }

    await s.dropTable("webhook_attempts").execute();
    await s.dropTable("webhook_deliveries").execute();
  },
};
