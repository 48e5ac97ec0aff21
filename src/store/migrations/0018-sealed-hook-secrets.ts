import { isSealed } from "../secret-box.js";
import type { Migration } from "./types.js";

/**
 * Issue 16: webhook secrets and hook URLs (a Slack or Teams channel's URL is its credential) are
 * stored encrypted (src/store/secret-box.ts). Seals every row still in clear; rows already sealed
 * are left as they are, so running on a partly upgraded database is harmless.
 */
export const migration: Migration = {
  async up(db, _dialect, secrets) {
    const rows = (await db.selectFrom("webhooks").select(["id", "url", "secret"]).execute()) as {
      id: number;
      url: string;
      secret: string | null;
    }[];
    for (const r of rows) {
      const url = !isSealed(r.url);
      const secret = r.secret !== null && !isSealed(r.secret);
      if (!url && !secret) continue;
      await db
        .updateTable("webhooks")
        .set({
          ...(url ? { url: secrets.seal(r.url, "webhooks.url") } : {}),
          ...(secret ? { secret: secrets.seal(r.secret as string, "webhooks.secret") } : {}),
        })
        .where("id", "=", r.id)
        .execute();
    }
  },
};
