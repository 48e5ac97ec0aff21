import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Accounts: passwords on people, sessions, API tokens, invitations, database-backed rate limits
 * (so they hold across several app instances) and the audit log.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await s.alterTable("users").addColumn("password_hash", "text").execute();
    await s
      .alterTable("users")
      .addColumn("workspace_role", "text", (c) => c.notNull().defaultTo("member"))
      .execute();
    await s
      .alterTable("users")
      .addColumn("values_json", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
    // The local owner made by the CLI or an earlier version owns its workspace.
    await db.updateTable("users").set({ workspace_role: "owner" }).where("is_local", "=", 1).execute();

    await withId(s.createTable("sessions"), dialect)
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("sessions_user").on("sessions").column("user_id").execute();

    await withId(s.createTable("api_tokens"), dialect)
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_used_at", "text")
      .addColumn("revoked_at", "text")
      .execute();
    await s.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();

    await withId(s.createTable("invitations"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("email", "text")
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .addColumn("used_by", "integer", (c) => c.references("users.id"))
      .execute();

    await s
      .createTable("rate_limits")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("window_start", "bigint", (c) => c.notNull())
      .addColumn("count", "integer", (c) => c.notNull())
      .execute();

    await withId(s.createTable("audit_log"), dialect)
      .addColumn("workspace_id", "integer")
      .addColumn("actor_id", "integer")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("detail_json", "text", (c) => c.notNull())
      .addColumn("ip", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("audit_log_workspace").on("audit_log").columns(["workspace_id", "id"]).execute();
  },
};
