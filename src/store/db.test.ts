import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { migrate } from "./db.js";

describe.each(DIALECTS)("the store on %s", (d) => {
  it.skipIf(!dialectAvailable(d))(
    "creates every table and migrates a second time without change",
    async () => {
      const { store, dispose } = await freshStore(d);
      try {
        await migrate(store);
        const ws = await store.db
          .insertInto("workspaces")
          .values({ name: "W", createdAt: new Date().toISOString() })
          .returning("id")
          .executeTakeFirstOrThrow();
        expect(ws.id).toBeGreaterThan(0);
        const r = await sql<{ n: number }>`select count(*) as n from workspaces`.execute(store.db);
        expect(Number(r.rows[0]?.n)).toBe(1);
      } finally {
        await dispose();
      }
    },
  );
});
