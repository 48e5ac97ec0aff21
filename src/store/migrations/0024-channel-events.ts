import type { Migration } from "./types.js";

/** What a team's Slack or Teams channel was connected with before issue 19. */
const OLD_DEFAULT = ["goal.stalled", "commitment.kept", "commitment.missed"];
/** What it is connected with since (CHANNEL_EVENTS in src/app/webhooks/channels.ts, as of this migration). */
const NEW_DEFAULT = [...OLD_DEFAULT, "checkin.created", "step.done", "goal.changed"];

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Issue 19: team channels also hear check-ins, steps done and goal changes. A Slack or Teams
 * channel connected before stored the old default list, so it would never hear them; its stored
 * list becomes the new default, so the row still says what the channel hears. Only channels whose
 * list is exactly the old default change: a list narrowed by hand, and integrators' webhooks
 * (kind `webhook`), which chose their events, are left as they are. Hooks keep their event cursor,
 * so a channel is told of what happens from now on, not of old check-ins.
 */
export const migration: Migration = {
  async up(db) {
    const rows = (await db
      .selectFrom("webhooks")
      .select(["id", "events_json"])
      .where("kind", "in", ["slack", "teams"])
      .execute()) as { id: number; events_json: string }[];
    for (const r of rows) {
      let events: unknown;
      try {
        events = JSON.parse(r.events_json);
      } catch {
        continue;
      }
      if (!Array.isArray(events) || !sameSet(events as string[], OLD_DEFAULT)) continue;
      await db
        .updateTable("webhooks")
        .set({ events_json: JSON.stringify(NEW_DEFAULT) })
        .where("id", "=", r.id)
        .execute();
    }
  },
};
