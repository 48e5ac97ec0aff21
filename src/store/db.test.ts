import { type IsolationLevel, type Kysely, sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { commitWithNextStatement, migrate, openStore } from "./db.js";
import type { Database } from "./schema.js";

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

/**
 * Prepares `select *` of workspaces (one row) on the pool's connection, then adds a column under
 * it: one pooled connection answers queries run one after another. Returns the read.
 */
async function staleRead(db: Kysely<Database>) {
  await db.insertInto("workspaces").values({ name: "W", createdAt: new Date().toISOString() }).execute();
  const read = async (q: Kysely<Database>) =>
    (await q.selectFrom("workspaces").selectAll().where("id", ">", 0).execute()) as unknown as Record<
      string,
      unknown
    >[];
  for (let i = 0; i < 3; i++) await read(db);
  await sql`alter table workspaces add column motto text`.execute(db);
  return read;
}

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
        const read = await staleRead(db);
        const rows = await read(db);
        expect(rows[0]).toHaveProperty("motto", null);
      } finally {
        await dispose();
      }
    },
  );

  it.skipIf(!dialectAvailable("postgres")).each<[string, IsolationLevel | null]>([
    ["a transaction", null],
    ["a repeatable-read transaction", "repeatable read"],
  ])(
    "fails %s on a statement a migration made stale, with the cause, and runs it when tried again",
    async (_, level) => {
      const { store, dispose } = await freshStore("postgres");
      try {
        const db = store.db;
        const read = await staleRead(db);
        const tx = level ? db.transaction().setIsolationLevel(level) : db.transaction();
        // The failed statement aborted the transaction: it is not run again inside it.
        await expect(tx.execute((trx) => read(trx))).rejects.toMatchObject({
          code: "0A000",
          message: expect.stringContaining("cached plan must not change result type"),
        });
        const rows = await tx.execute((trx) => read(trx));
        expect(rows[0]).toHaveProperty("motto", null);
      } finally {
        await dispose();
      }
    },
  );
});

describe("PostgreSQL connections", () => {
  it.skipIf(!dialectAvailable("postgres"))(
    "prepares nothing when prepared statements are off (THROUGHLINE_PG_PREPARED=off)",
    async () => {
      const { config, dispose } = await freshStore("postgres");
      const store = openStore({ databaseUrl: config.databaseUrl, preparedStatements: false });
      try {
        const prepared = await store.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 3; i++)
            await trx.selectFrom("workspaces").select("id").where("id", "=", i).execute();
          return (await sql`select name from pg_prepared_statements`.execute(trx)).rows;
        });
        expect(prepared).toEqual([]);
      } finally {
        await store.close();
        await dispose();
      }
    },
  );

  it.skipIf(!dialectAvailable("postgres"))(
    "reads counts and averages as numbers, leaving pg's own parsers as they were",
    async () => {
      const { store, dispose } = await freshStore("postgres");
      try {
        for (const name of ["A", "B"])
          await store.db
            .insertInto("workspaces")
            .values({ name, createdAt: new Date().toISOString() })
            .execute();
        const r = await sql<{
          n: number;
          mean: number;
        }>`select count(*) as n, avg(id) as mean from workspaces`.execute(store.db);
        expect(r.rows[0]).toEqual({ n: 2, mean: 1.5 });
        expect(pg.types.getTypeParser(20, "text")("2")).toBe("2");
        expect(pg.types.getTypeParser(1700, "text")("1.5")).toBe("1.5");
      } finally {
        await dispose();
      }
    },
  );

  it.skipIf(!dialectAvailable("postgres"))(
    "logs an idle connection the server closed, in one line, and keeps answering",
    async () => {
      const { config, dispose } = await freshStore("postgres");
      const lines: string[] = [];
      let logged = () => {};
      const said = new Promise<void>((resolve) => {
        logged = resolve;
      });
      const store = openStore({
        databaseUrl: config.databaseUrl,
        log: (line) => {
          lines.push(line);
          logged();
        },
      });
      try {
        const own = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
        const admin = new pg.Client({ connectionString: config.databaseUrl });
        await admin.connect();
        await admin.query("select pg_terminate_backend($1)", [own.rows[0]?.pid]);
        await admin.end();
        await said;
        expect(lines).toEqual([
          expect.stringContaining("terminating connection due to administrator command"),
        ]);
        expect(lines[0]).not.toContain("\n");
        const r = await sql<{ one: number }>`select 1 as one`.execute(store.db);
        expect(r.rows).toEqual([{ one: 1 }]);
      } finally {
        await store.close();
        await dispose();
      }
    },
  );
});

// pgtrips22: a repository's last write can take the transaction's COMMIT along (PostgreSQL).
describe.each(DIALECTS)("a transaction's last statement with its COMMIT on %s", (d) => {
  const available = dialectAvailable(d);
  const workspace = (name: string | null) => ({ name: name as string, createdAt: new Date().toISOString() });
  const names = async (db: Kysely<Database>) =>
    (await db.selectFrom("workspaces").select("name").orderBy("id").execute()).map((w) => w.name);

  it.skipIf(!available)("keeps every write of the transaction, the last one's included", async () => {
    const { store, dispose } = await freshStore(d);
    try {
      const id = await store.db.transaction().execute(async (trx) => {
        await trx.insertInto("workspaces").values(workspace("A")).execute();
        await commitWithNextStatement(trx);
        return (
          await trx.insertInto("workspaces").values(workspace("B")).returning("id").executeTakeFirstOrThrow()
        ).id;
      });
      expect(id).toBeGreaterThan(0);
      expect(await names(store.db)).toEqual(["A", "B"]);
      // Outside a transaction it does nothing.
      await commitWithNextStatement(store.db);
      await store.db.insertInto("workspaces").values(workspace("C")).execute();
      expect(await names(store.db)).toEqual(["A", "B", "C"]);
    } finally {
      await dispose();
    }
  });

  if (d === "postgres")
    it.skipIf(!available)(
      "refuses a query after the statement that took the COMMIT, which would run outside the transaction",
      async () => {
        const { store, dispose } = await freshStore(d);
        try {
          await expect(
            store.db.transaction().execute(async (trx) => {
              await commitWithNextStatement(trx);
              await trx.insertInto("workspaces").values(workspace("A")).execute();
              await trx.insertInto("workspaces").values(workspace("B")).execute();
            }),
          ).rejects.toThrow(/committed with its last statement/);
          expect(await names(store.db)).toEqual(["A"]);
        } finally {
          await dispose();
        }
      },
    );

  if (d === "postgres")
    it.skipIf(!available)(
      "rolls the whole transaction back when that statement fails, with its own error, and hands the connection back clean",
      async () => {
        const { store, dispose } = await freshStore(d);
        try {
          const pid = async () =>
            (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0]?.pid;
          const before = await pid();
          let inside: number | undefined;
          // A NOT NULL violation in the last statement: its error, not the COMMIT's answer (ROLLBACK).
          await expect(
            store.db.transaction().execute(async (trx) => {
              inside = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid;
              await trx.insertInto("workspaces").values(workspace("A")).execute();
              await commitWithNextStatement(trx);
              await trx.insertInto("workspaces").values(workspace(null)).execute();
            }),
          ).rejects.toMatchObject({ code: "23502" });
          expect(inside).toBe(before);
          expect(await names(store.db)).toEqual([]);
          // A caller that swallows the statement's error is told at the end that nothing was saved.
          await expect(
            store.db.transaction().execute(async (trx) => {
              await trx.insertInto("workspaces").values(workspace("B")).execute();
              await commitWithNextStatement(trx);
              await trx
                .insertInto("workspaces")
                .values(workspace(null))
                .execute()
                .catch(() => {});
            }),
          ).rejects.toThrow(/rolled the transaction back/);
          expect(await names(store.db)).toEqual([]);
          // The same pooled connection, outside any transaction, serves the next one.
          const next = await store.db.transaction().execute(async (trx) => {
            const p = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid;
            await commitWithNextStatement(trx);
            await trx.insertInto("workspaces").values(workspace("C")).execute();
            return p;
          });
          expect(next).toBe(before);
          expect(await names(store.db)).toEqual(["C"]);
        } finally {
          await dispose();
        }
      },
    );
});
