import type { Migration } from "./types.js";

/**
 * Imports: the external-key table that makes importing the same file twice change nothing, and
 * the notes and tags a step brings along from Taskwarrior, Trello, Todoist or Asana.
 */
export const migration: Migration = {
  async up(db) {
    const s = db.schema;
    await s
      .createTable("import_keys")
      .addColumn("workspace_id", "integer", (c) => c.notNull().references("workspaces.id"))
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("external_id", "text", (c) => c.notNull())
      .addColumn("entity", "text", (c) => c.notNull())
      .addColumn("entity_id", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("import_keys_pk", ["workspace_id", "source", "external_id", "entity"])
      .execute();
    await s.alterTable("steps").addColumn("notes", "text").execute();
    await s
      .alterTable("steps")
      .addColumn("tags_json", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
  },
};
