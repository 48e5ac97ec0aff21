import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Jobs and nudges: the job queue (one row per job, deduplicated by key), the record of each
 * delivery (one per job, channel and recipient, by idempotency key), each person's notification
 * settings, and the hashed tokens of unsubscribe links.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await withId(s.createTable("jobs"), dialect)
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("run_at", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull().defaultTo("queued"))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("locked_by", "text")
      .addColumn("locked_until", "text")
      .addColumn("payload_json", "text", (c) => c.notNull())
      .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
      .addColumn("last_error", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("done_at", "text")
      .execute();
    await s.createIndex("jobs_due").on("jobs").columns(["state", "run_at"]).execute();

    await withId(s.createTable("deliveries"), dialect)
      .addColumn("job_id", "integer", (c) => c.references("jobs.id"))
      .addColumn("notification_id", "integer")
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("recipient", "text", (c) => c.notNull())
      .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("message_id", "text")
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("sent_at", "text")
      .addColumn("error", "text")
      .execute();
    await s.createIndex("deliveries_user").on("deliveries").columns(["user_id", "id"]).execute();

    await s
      .createTable("user_settings")
      .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id"))
      .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("UTC"))
      .addColumn("weekly_day", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("weekly_hour", "integer", (c) => c.notNull().defaultTo(9))
      .addColumn("quiet_start", "integer")
      .addColumn("quiet_end", "integer")
      .addColumn("channels_json", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("kinds_json", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("snooze_until", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await s
      .createTable("unsubscribe_tokens")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .execute();
  },
};
