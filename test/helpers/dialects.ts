/**
 * Runs a suite once per database, as Kysely's own tests do: a fresh SQLite file and a fresh
 * PostgreSQL database for each suite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { migrate, openAndMigrate, openStore, type Store, type StoreConfig } from "../../src/store/db.js";

/** The dialects every store and app test runs on. */
export const DIALECTS = ["sqlite", "postgres"] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** True when this dialect can run here (PostgreSQL may be missing outside CI). */
export function dialectAvailable(d: TestDialect): boolean {
  return d === "sqlite" || inject("postgresUrl") !== null;
}

let counter = 0;

/** Opens a database and migrates it, all the way or up to one migration. */
async function opened(config: StoreConfig, upTo: string | undefined): Promise<Store> {
  if (upTo === undefined) return openAndMigrate(config);
  const store = openStore(config);
  await migrate(store, upTo);
  return store;
}

/**
 * A fresh database of the given dialect, migrated (or only up to the migration `upTo` names, to
 * test the ones after it), and how to remove it.
 */
export async function freshStore(
  d: TestDialect,
  opts: { upTo?: string } = {},
): Promise<{ store: Store; config: { databaseUrl?: string; file?: string }; dispose(): Promise<void> }> {
  if (d === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "throughline-test-"));
    const file = join(dir, "test.db");
    const store = await opened({ file }, opts.upTo);
    return {
      store,
      config: { file },
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = inject("postgresUrl");
  if (!base) throw new Error("PostgreSQL is not available");
  const name = `t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = base.replace(/\/[^/]*$/, `/${name}`);
  const store = await opened({ databaseUrl: url }, opts.upTo);
  return {
    store,
    config: { databaseUrl: url },
    async dispose() {
      await store.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
