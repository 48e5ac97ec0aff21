import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from "kysely";
import type { SecretBox } from "../secret-box.js";

/** Which database a connection speaks to. */
export type DialectName = "sqlite" | "postgres";

/** One schema migration; `up` runs inside the migrator's transaction. */
export interface Migration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
  up(db: Kysely<any>, dialect: DialectName, secrets: SecretBox): Promise<void>;
}

/** Adds an auto-incrementing integer primary key named `id`, spelled the way each dialect wants. */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: DialectName) {
  return dialect === "postgres"
    ? table.addColumn("id", "serial", (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn("id", "integer", (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
