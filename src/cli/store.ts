/**
 * Opening the database without acting as anyone: for the commands that work on the whole file
 * (backup, the JSON export, restoring a backup), which must not create the local workspace first.
 */
import type { Command } from "commander";
import type { AppContext } from "../app/context.js";
import { type GlobalOptions, onMachineClock } from "./context.js";

/** Runs `body` with the database named by --db, THROUGHLINE_DB or DATABASE_URL (as every command reads it). */
export async function withStore(
  cmd: Command,
  body: (ctx: AppContext, json: boolean) => Promise<void>,
): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const file = opts.db ?? process.env.THROUGHLINE_DB;
  const { closeApp, openApp } = await import("../app/open.js");
  const ctx = onMachineClock(
    await openApp(opts.db ? { file: opts.db } : { databaseUrl: process.env.DATABASE_URL, file }),
  );
  try {
    await body(ctx, opts.json === true);
  } finally {
    await closeApp(ctx);
  }
}
