/** Opening Throughline's database for an interface (server, CLI, jobs): open, migrate, wrap in a context. */
import { openAndMigrate, optimizeStore, type StoreConfig } from "../store/db.js";
import { type AppContext, appContext } from "./context.js";

export type { StoreConfig } from "../store/db.js";
/** The page cache the server gives its SQLite connection (src/store/db.ts). */
export { SERVER_PAGE_CACHE_KIB } from "../store/db.js";

/**
 * Opens and migrates the database, and returns a context using the system clock, whose "today" is
 * read in `timeZone` (UTC by default).
 */
export async function openApp(config: StoreConfig, now?: () => Date, timeZone?: string): Promise<AppContext> {
  return appContext(await openAndMigrate(config), now, timeZone);
}

/** Closes the context's database. */
export async function closeApp(ctx: AppContext): Promise<void> {
  await ctx.store.close();
}

/**
 * Database upkeep that writes (SQLite's planner statistics): the server runs it at start and the
 * retention job daily, never a CLI open. Busy skips it.
 */
export async function optimizeApp(ctx: AppContext): Promise<void> {
  await optimizeStore(ctx.store);
}
