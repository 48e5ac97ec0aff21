/**
 * Running the migrations: loaded by `migrate` (db.ts) only when one is pending or a test asks for
 * a schema part way (issue 17, cli24), so a database already up to date opens without compiling
 * the migrations and kysely's migrator.
 */
import { type Kysely, type Migration as KyselyMigration, Migrator } from "kysely";
import { MIGRATIONS } from "./migrations/index.js";
import type { DialectName } from "./migrations/types.js";
import type { SecretBox } from "./secret-box.js";

/**
 * Runs the migrations not yet recorded in `kysely_migration` (or up to `upTo`) on `raw`, a
 * connection without the camelCase plugin; throws a message naming the one that failed.
 */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  raw: Kysely<any>,
  dialect: DialectName,
  secrets: SecretBox,
  location: string,
  upTo?: string,
): Promise<void> {
  const migrations: Record<string, KyselyMigration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    migrations[name] = { up: (db) => m.up(db, dialect, secrets) };
  }
  const migrator = new Migrator({
    db: raw,
    provider: { getMigrations: async () => migrations },
    // Migrations merged from parallel branches may arrive out of order on a developer's database.
    allowUnorderedMigrations: true,
  });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    const what = failed ? `migration ${failed.migrationName}` : "migrations";
    throw new Error(`Could not upgrade the database at ${location}: ${what} failed: ${String(error)}`);
  }
}
