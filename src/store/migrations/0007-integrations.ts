import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Integrations: outgoing webhooks and team channels (Slack, Teams) with their delivery queue and
 * log, and each person's secret calendar feed.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    // One table for every outgoing hook: an integrator's webhook (kind "webhook", signed, chosen
    // events) or a team's Slack or Teams channel (kind "slack"/"teams", one of each per team).
    await withId(s.createTable("webhooks"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("secret", "text")
      .addColumn("events_json", "text", (c) => c.notNull())
      .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
      // Events up to event_cursor have been looked at; none at or below event_floor (the last
      // event when the hook was made) is ever sent.
      .addColumn("event_cursor", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("event_floor", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // NULL team ids (webhooks) are distinct in both dialects, so this only limits channels.
    await s.createIndex("webhooks_team_kind").on("webhooks").columns(["team_id", "kind"]).unique().execute();
    await s.createIndex("webhooks_workspace").on("webhooks").column("workspace_id").execute();

    await withId(s.createTable("webhook_deliveries"), dialect)
      .addColumn("webhook_id", "integer", (c) => c.notNull().references("webhooks.id"))
      .addColumn("event_id", "integer", (c) => c.notNull().references("events.id"))
      .addColumn("delivery_key", "text", (c) => c.notNull().unique())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text", (c) => c.notNull())
      .addColumn("locked_until", "text")
      .addColumn("last_status", "integer")
      .addColumn("last_error", "text")
      .addColumn("delivered_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addUniqueConstraint("webhook_deliveries_once", ["webhook_id", "event_id"])
      .execute();
    await s
      .createIndex("webhook_deliveries_due")
      .on("webhook_deliveries")
      .columns(["state", "next_attempt_at"])
      .execute();

    await withId(s.createTable("webhook_attempts"), dialect)
      .addColumn("delivery_id", "integer", (c) => c.notNull().references("webhook_deliveries.id"))
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("error", "text")
      .addColumn("next_attempt_at", "text")
      .addColumn("attempted_at", "text", (c) => c.notNull())
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .execute();
    await s.createIndex("webhook_attempts_delivery").on("webhook_attempts").column("delivery_id").execute();

    await withId(s.createTable("calendar_feeds"), dialect)
      .addColumn("user_id", "integer", (c) => c.notNull().unique().references("users.id"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
};
