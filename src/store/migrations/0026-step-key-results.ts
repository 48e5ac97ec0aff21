import type { Migration } from "./types.js";

/**
 * A step can belong to one key result of its own goal (issue 18, "relevant"): the key result it
 * moves. Null (every existing step) belongs to the goal only. Should a key result row ever be
 * deleted, its steps stay and lose the link (on delete set null); retiring one unlinks its steps
 * in the app, each change kept in the goal's history.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema
      .alterTable("steps")
      .addColumn("key_result_id", "integer", (c) => c.references("key_results.id").onDelete("set null"))
      .execute();
    await db.schema.createIndex("steps_key_result").on("steps").column("key_result_id").execute();
  },
};
