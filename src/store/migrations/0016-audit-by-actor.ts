import type { Migration } from "./types.js";

/**
 * The audit log looked up by who acted and from where: sign-in asks whether an address is one the
 * person signed in from before (an address of theirs passes the per-account ceiling on attempts),
 * and that question comes with every refused guess, so it must not scan the log.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.createIndex("audit_log_actor_ip").on("audit_log").columns(["actor_id", "ip"]).execute();
  },
};
