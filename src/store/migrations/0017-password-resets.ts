import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Password resets: a single-use, expiring link to set a new password, sent by email or made by
 * the workspace owner. Only the SHA-256 of its token is kept.
 */
export const migration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable("password_resets"), dialect)
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      // null when the person asked for it by email; else the owner who made the link
      .addColumn("created_by", "integer", (c) => c.references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .execute();
    await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id").execute();
  },
};
