/**
 * What every command shares: opening the local database (or the one named by --db or
 * DATABASE_URL), acting as the local owner, reading dates, and printing results.
 */
import type { Command } from "commander";
import type { Actor, AppContext } from "../app/context.js";
import { today } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { closeApp, openApp } from "../app/open.js";
import { localActor } from "../app/people.js";
import { readDate } from "../core/dates.js";

/** Options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  db?: string;
}

/** An open session for one command run. */
export interface Session {
  ctx: AppContext;
  actor: Actor;
  json: boolean;
  close(): Promise<void>;
}

/** Opens the database named by --db, THROUGHLINE_DB or DATABASE_URL (in that order) and acts as the local owner. */
export async function openSession(cmd: Command): Promise<Session> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const file = opts.db ?? process.env.THROUGHLINE_DB;
  const ctx = await openApp(opts.db ? { file: opts.db } : { databaseUrl: process.env.DATABASE_URL, file });
  try {
    const actor = await localActor(ctx);
    return { ctx, actor, json: opts.json === true, close: () => closeApp(ctx) };
  } catch (e) {
    await closeApp(ctx);
    throw e;
  }
}

/** Runs a command body with a session, always closing the database. */
export async function withSession(cmd: Command, body: (s: Session) => Promise<void>): Promise<void> {
  const s = await openSession(cmd);
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

/** Reads a DATE option ("2026-03-31", "today", "next Friday") or fails with how to fix it. */
export function dateOption(s: Session, value: string | undefined, label: string): string | undefined {
  if (value === undefined) return undefined;
  const r = readDate(value, today(s.ctx), label);
  if (!r.ok) throw new AppError(400, "invalid_date", r.message, { value });
  return r.date;
}

/** Reads a positive integer argument (an id) or fails with how to fix it. */
export function idArg(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new AppError(
      400,
      "invalid_id",
      `${what} '${value}' is not an id. Ids are whole numbers such as 12.`,
    );
  }
  return Number(value);
}

/** Reads a number option or fails with how to fix it. */
export function numberOption(value: string, flag: string): number {
  const n = Number(value.replace(/,/g, ""));
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new AppError(
      400,
      "invalid_number",
      `${flag} '${value}' is not a number. Use digits, e.g. ${flag} 1200.`,
    );
  }
  return n;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Prints a value as JSON (with --json) or as the given human text. */
export function output(s: Session, value: unknown, human: () => string): void {
  process.stdout.write(s.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
