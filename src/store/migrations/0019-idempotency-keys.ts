import type { Migration } from "./types.js";

/**
 * Idempotency keys (issue 16): one row per person and key a client sent on a POST, with a hash of
 * the request and, once answered, the answer to replay. Kept 24 hours; the retention job removes
 * expired rows. In the database, so every instance on one PostgreSQL sees the same keys.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema
      .createTable("idempotency_keys")
      .addColumn("user_id", "integer", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("request_hash", "text", (c) => c.notNull())
      .addColumn("status", "integer")
      .addColumn("content_type", "text")
      .addColumn("response_body", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"])
      .execute();
    await db.schema
      .createIndex("idempotency_keys_expires_at")
      .on("idempotency_keys")
      .column("expires_at")
      .execute();
  },
};
