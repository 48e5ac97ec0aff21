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

describe("PostgreSQL prepared statements", () => {
  it.skipIf(!dialectAvailable("postgres"))(
    "plans each short query once per connection, and survives a migration that changes a table's columns",
    async () => {
      const { store, dispose } = await freshStore("postgres");
      try {
        const db = store.db;
        const names = await db.transaction().execute(async (trx) => {
          for (let i = 0; i < 3; i++)
            await trx.selectFrom("workspaces").select("id").where("id", "=", i).execute();
          const r = await sql<{
            name: string;
            statement: string;
          }>`select name, statement from pg_prepared_statements`.execute(trx);
          return r.rows.filter((x) => x.statement.includes('from "workspaces"'));
        });
        expect(names).toHaveLength(1);
        expect(names[0]?.name).toMatch(/^tl_/);
        // One pooled connection answers queries run one after another: prepare `select *` on it,
        // change the table's columns, and read again.
        await db
          .insertInto("workspaces")
          .values({ name: "W", createdAt: new Date().toISOString() })
          .execute();
        const read = () => db.selectFrom("workspaces").selectAll().where("id", ">", 0).execute();
        for (let i = 0; i < 3; i++) await read();
        await sql`alter table workspaces add column motto text`.execute(db);
        const rows = (await read()) as unknown as Record<string, unknown>[];
        expect(rows[0]).toHaveProperty("motto", null);
      } finally {
        await dispose();
      }
    },
  );
});
