import type { Migration } from "./types.js";

/**
 * Nudges for everyone (issue 19): the reminders `throughline remind --email` sent (one row per
 * person, item and local day, so each item is emailed at most once a day), each person's own Slack
 * or Teams channel for their nudges (the URL sealed at rest, as team channels' are), and the day
 * and hour of their weekly review email (no row: off).
 */
export const migration: Migration = {
  async up(db) {
    await db.schema
      .createTable("sent_reminders")
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("item", "text", (c) => c.notNull())
      .addColumn("day", "text", (c) => c.notNull())
      // null while the email is being sent; the claim is removed again when the send fails
      .addColumn("sent_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("sent_reminders_pk", ["user_id", "item", "day"])
      .execute();
    await db.schema
      .createTable("personal_channels")
      .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("weekly_review_slots")
      .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id"))
      .addColumn("weekday", "integer", (c) => c.notNull())
      .addColumn("hour", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
};
