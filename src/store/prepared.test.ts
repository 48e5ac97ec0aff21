/** Queries built once (src/store/prepared.ts): the same rows as the builder, on both databases. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import type { Store } from "./db.js";
import { prepared } from "./prepared.js";
import type { Database } from "./schema.js";

const workspaceByName = prepared((db: Kysely<Database>, name: string) =>
  db.selectFrom("workspaces").select(["id", "name"]).where("name", "=", name).orderBy("id"),
);

describe.each(DIALECTS)("prepared queries on %s", (d) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    if (!dialectAvailable(d)) return;
    ({ store, dispose } = await freshStore(d));
    const now = new Date().toISOString();
    await store.db
      .insertInto("workspaces")
      .values([
        { name: "Acme", createdAt: now },
        { name: "Globex", createdAt: now },
      ])
      .execute();
  });
  afterAll(async () => {
    await dispose?.();
  });

  it.skipIf(!dialectAvailable(d))(
    "answers each run with its own arguments, camelCased, inside and outside a transaction",
    async () => {
      expect((await workspaceByName(store.db, "Acme")).map((w) => w.name)).toEqual(["Acme"]);
      expect((await workspaceByName(store.db, "Globex")).map((w) => w.name)).toEqual(["Globex"]);
      expect(await workspaceByName(store.db, "Initech")).toEqual([]);
      const inTrx = await store.db
        .transaction()
        .execute(async (trx) => [await workspaceByName(trx, "Globex"), await workspaceByName(trx, "Acme")]);
      expect(inTrx.map((rows) => rows.map((w) => w.name))).toEqual([["Globex"], ["Acme"]]);
    },
  );

  it.skipIf(!dialectAvailable(d))("writes what the builder would, with nulls as nulls", async () => {
    const rename = prepared((db: Kysely<Database>, id: number, name: string) =>
      db.updateTable("workspaces").set({ name }).where("id", "=", id),
    );
    const [acme] = await workspaceByName(store.db, "Acme");
    await rename(store.db, acme?.id ?? 0, "Acme Ltd");
    expect((await workspaceByName(store.db, "Acme Ltd")).map((w) => w.id)).toEqual([acme?.id]);
  });

  it.skipIf(!dialectAvailable(d))(
    "a read outside a transaction never sees another one's uncommitted write (ckin20: SQLite runs it directly)",
    async () => {
      const rename = prepared((db: Kysely<Database>, from: string, to: string) =>
        db.updateTable("workspaces").set({ name: to }).where("name", "=", from),
      );
      let outside: Promise<unknown[]> | undefined;
      await expect(
        store.db.transaction().execute(async (trx) => {
          await rename(trx, "Globex", "Globex Renamed");
          // Issued while the transaction is open, outside it; the transaction is then rolled back.
          outside = workspaceByName(store.db, "Globex Renamed");
          await new Promise((r) => setTimeout(r, 20));
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await outside).toEqual([]);
      expect((await workspaceByName(store.db, "Globex")).map((w) => w.name)).toEqual(["Globex"]);
    },
  );

  it.skipIf(!dialectAvailable(d))("refuses a query that does not carry every argument", async () => {
    const dropsOne = prepared((db: Kysely<Database>, name: string, _unused: number) =>
      db.selectFrom("workspaces").select("id").where("name", "=", name),
    );
    await expect(dropsOne(store.db, "Acme", 1)).rejects.toThrow(/each of its 2 arguments/);
  });
});
