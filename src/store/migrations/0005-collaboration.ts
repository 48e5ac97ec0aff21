import type { Migration } from "./types.js";
import { withId } from "./types.js";

/** Working together: delegations with their expectations, and the in-app notices people receive. */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await withId(s.createTable("delegations"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("step_id", "integer", (c) => c.references("steps.id"))
      .addColumn("delegated_by", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("assignee_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("what", "text", (c) => c.notNull())
      .addColumn("why", "text")
      .addColumn("due_date", "text")
      .addColumn("done_looks_like", "text", (c) => c.notNull())
      .addColumn("cadence_days", "integer", (c) => c.notNull().defaultTo(7))
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("question", "text")
      .addColumn("answer", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("delegations_assignee").on("delegations").column("assignee_id").execute();
    await s.createIndex("delegations_delegated_by").on("delegations").column("delegated_by").execute();

    await withId(s.createTable("notifications"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("subject_type", "text", (c) => c.notNull())
      .addColumn("subject_id", "integer", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("payload_json", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("read_at", "text")
      .execute();
    await s.createIndex("notifications_user").on("notifications").columns(["user_id", "id"]).execute();
  },
};
