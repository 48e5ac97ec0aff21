import type { Migration } from "./types.js";
import { withId } from "./types.js";

/** The plan model: workspaces, people, goals and everything a plan and its follow-through hold. */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    const real = "double precision";

    await withId(s.createTable("workspaces"), dialect)
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await withId(s.createTable("users"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("email", "text")
      .addColumn("is_local", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("users_email").unique().on("users").column("email").execute();
    await s.createIndex("users_workspace_name").on("users").columns(["workspace_id", "name"]).execute();

    await withId(s.createTable("teams"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await withId(s.createTable("memberships"), dialect)
      .addColumn("team_id", "integer", (c) => c.notNull().references("teams.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addUniqueConstraint("memberships_team_user", ["team_id", "user_id"])
      .execute();
    await s.createIndex("memberships_user").on("memberships").column("user_id").execute();

    await withId(s.createTable("goals"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("why", "text")
      .addColumn("values_json", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("owner_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("parent_id", "integer", (c) => c.references("goals.id"))
      .addColumn("visibility", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("priority", "text", (c) => c.notNull())
      .addColumn("start_date", "text", (c) => c.notNull())
      .addColumn("due_date", "text")
      .addColumn("cadence_days", "integer", (c) => c.notNull().defaultTo(7))
      .addColumn("success_looks_like", "text")
      .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("goals_owner_status").on("goals").columns(["owner_id", "status"]).execute();
    await s.createIndex("goals_team").on("goals").column("team_id").execute();
    await s.createIndex("goals_parent").on("goals").column("parent_id").execute();
    await s.createIndex("goals_workspace_id").on("goals").columns(["workspace_id", "id"]).execute();

    await withId(s.createTable("key_results"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("unit", "text")
      .addColumn("start_value", real, (c) => c.notNull())
      .addColumn("target_value", real, (c) => c.notNull())
      .addColumn("current_value", real, (c) => c.notNull())
      .addColumn("direction", "text", (c) => c.notNull())
      .addColumn("due_date", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("key_results_goal").on("key_results").column("goal_id").execute();

    await withId(s.createTable("steps"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("owner_id", "integer", (c) => c.references("users.id"))
      .addColumn("due_date", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("estimate_minutes", "integer")
      .addColumn("done_at", "text")
      .addColumn("delegated_by", "integer", (c) => c.references("users.id"))
      .addColumn("done_looks_like", "text")
      .addColumn("delegation_state", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("steps_goal_position").on("steps").columns(["goal_id", "position"]).execute();
    await s.createIndex("steps_owner_due").on("steps").columns(["owner_id", "due_date"]).execute();
    await s.createIndex("steps_status_due").on("steps").columns(["status", "due_date"]).execute();

    await withId(s.createTable("resources"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("step_id", "integer", (c) => c.references("steps.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("ask", "text")
      .addColumn("user_id", "integer", (c) => c.references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("resources_goal").on("resources").column("goal_id").execute();

    await withId(s.createTable("barriers"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("obstacle", "text", (c) => c.notNull())
      .addColumn("likelihood", "text", (c) => c.notNull())
      .addColumn("plan_b", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("hit_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("barriers_goal").on("barriers").column("goal_id").execute();

    await withId(s.createTable("checkins"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("date", "text", (c) => c.notNull())
      .addColumn("confidence", "text")
      .addColumn("done_text", "text")
      .addColumn("next_step", "text")
      .addColumn("note", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("checkins_goal_date").on("checkins").columns(["goal_id", "date"]).execute();

    await s
      .createTable("checkin_kr_values")
      .addColumn("checkin_id", "integer", (c) => c.notNull().references("checkins.id"))
      .addColumn("key_result_id", "integer", (c) => c.notNull().references("key_results.id"))
      .addColumn("value", real, (c) => c.notNull())
      .addPrimaryKeyConstraint("checkin_kr_values_pk", ["checkin_id", "key_result_id"])
      .execute();
    await s.createIndex("checkin_kr_values_kr").on("checkin_kr_values").column("key_result_id").execute();
    await s
      .createTable("checkin_steps")
      .addColumn("checkin_id", "integer", (c) => c.notNull().references("checkins.id"))
      .addColumn("step_id", "integer", (c) => c.notNull().references("steps.id"))
      .addPrimaryKeyConstraint("checkin_steps_pk", ["checkin_id", "step_id"])
      .execute();
    await s
      .createTable("checkin_barriers")
      .addColumn("checkin_id", "integer", (c) => c.notNull().references("checkins.id"))
      .addColumn("barrier_id", "integer", (c) => c.notNull().references("barriers.id"))
      .addPrimaryKeyConstraint("checkin_barriers_pk", ["checkin_id", "barrier_id"])
      .execute();

    await withId(s.createTable("commitments"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("step_id", "integer", (c) => c.references("steps.id"))
      .addColumn("goal_id", "integer", (c) => c.references("goals.id"))
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("due_date", "text", (c) => c.notNull())
      .addColumn("witness_team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("resolved_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("commitments_user_due").on("commitments").columns(["user_id", "due_date"]).execute();
    await s
      .createTable("commitment_witnesses")
      .addColumn("commitment_id", "integer", (c) => c.notNull().references("commitments.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addPrimaryKeyConstraint("commitment_witnesses_pk", ["commitment_id", "user_id"])
      .execute();

    await withId(s.createTable("change_records"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("entity", "text", (c) => c.notNull())
      .addColumn("entity_id", "integer", (c) => c.notNull())
      .addColumn("field", "text", (c) => c.notNull())
      .addColumn("old_value", "text")
      .addColumn("new_value", "text")
      .addColumn("reason", "text")
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("change_records_goal").on("change_records").columns(["goal_id", "id"]).execute();

    await s
      .createTable("goal_followers")
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("goal_followers_pk", ["goal_id", "user_id"])
      .execute();
    await s
      .createTable("goal_shares")
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("goal_shares_pk", ["goal_id", "user_id"])
      .execute();

    await withId(s.createTable("playbooks"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("current_version", "integer", (c) => c.notNull())
      .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await withId(s.createTable("playbook_versions"), dialect)
      .addColumn("playbook_id", "integer", (c) => c.notNull().references("playbooks.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("note", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addUniqueConstraint("playbook_versions_version", ["playbook_id", "version"])
      .execute();
    await s
      .createTable("playbook_links")
      .addColumn("playbook_id", "integer", (c) => c.notNull().references("playbooks.id"))
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("step_id", "integer", (c) => c.references("steps.id"))
      .execute();

    await withId(s.createTable("comments"), dialect)
      .addColumn("checkin_id", "integer", (c) => c.notNull().references("checkins.id"))
      .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s
      .createTable("kudos")
      .addColumn("checkin_id", "integer", (c) => c.notNull().references("checkins.id"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("kudos_pk", ["checkin_id", "user_id"])
      .execute();

    await withId(s.createTable("events"), dialect)
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("actor_id", "integer")
      .addColumn("subject_type", "text", (c) => c.notNull())
      .addColumn("subject_id", "integer", (c) => c.notNull())
      .addColumn("payload_json", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("events_workspace_id").on("events").columns(["workspace_id", "id"]).execute();
  },
};
