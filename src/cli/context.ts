/**
 * What every command shares: where it runs (the local database, or the server of a stored login),
 * reading dates and ids, and printing results.
 *
 * Commands that work in both modes call `withBackend` and use only its Backend. `withSession`
 * opens the local database directly, for commands that only make sense on it.
 *
 * Every command module imports this file when the program is built, so it imports only what is
 * light: the database, the local backend and the date reader are imported when a command runs.
 */
import type { Command } from "commander";
import type { Actor, AppContext } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { dayIn } from "../core/dates.js";
import type { Backend } from "./backend/backend.js";
import { readLogin } from "./backend/config.js";

/** Options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  db?: string;
}

/** An open session on the local database for one command run. */
export interface Session {
  ctx: AppContext;
  actor: Actor;
  json: boolean;
  /** Today in the local time zone (`localTimeZone`), for reading dates written in words. */
  today: string;
  /** The local time zone, in which imported instants are read as days. */
  timeZone: string;
  close(): Promise<void>;
}

/** Where and when a person is: their time zone, and today there. */
export interface Clock {
  timeZone: string;
  today: string;
}

/** Where one command run works: the local database or a server, behind the same operations. */
export interface BackendSession {
  backend: Backend;
  json: boolean;
  /**
   * The person's time zone (their setting on a server, else the local one) and today there, for
   * reading dates. A function because a server is asked only when a date is read.
   */
  clock(): Promise<Clock>;
}

/**
 * The time zone of this machine: `TZ` when set, else the system's, as Node reads them (UTC when it
 * cannot tell). The command line reads "today" and day boundaries in it when it works locally.
 */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * A context whose "today" is this machine's: read from Date's local fields, while the zone's name
 * (`localTimeZone`, whose first Intl call costs 30-100 ms) is looked up only when something asks
 * for `timeZone` (a date option, an import), not on every `week` (issue 17, cli20).
 */
export function onMachineClock(ctx: AppContext): AppContext {
  let zone: string | undefined;
  return {
    store: ctx.store,
    now: ctx.now,
    machineZone: true,
    get timeZone() {
      zone ??= localTimeZone();
      return zone;
    },
  };
}

/** Opens the database named by --db, THROUGHLINE_DB or DATABASE_URL (in that order) and acts as the local owner. */
export async function openSession(cmd: Command): Promise<Session> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const file = opts.db ?? process.env.THROUGHLINE_DB;
  const [{ closeApp, openApp }, { today }, { localActor }] = await Promise.all([
    import("../app/open.js"),
    import("../app/context.js"),
    import("../app/people/local.js"),
  ]);
  const ctx = onMachineClock(
    await openApp(opts.db ? { file: opts.db } : { databaseUrl: process.env.DATABASE_URL, file }),
  );
  try {
    const actor = await localActor(ctx);
    return {
      ctx,
      actor,
      json: opts.json === true,
      today: today(ctx),
      get timeZone() {
        return ctx.timeZone as string;
      },
      close: () => closeApp(ctx),
    };
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

/**
 * Runs a command body against the server of the stored login (see `throughline login`), or on the
 * local database when there is none or --db is given; always releases what it opened.
 */
export async function withBackend(cmd: Command, body: (s: BackendSession) => Promise<void>): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const json = opts.json === true;
  const login = opts.db ? null : readLogin();
  if (login) {
    // The HTTP client (openapi-fetch) loads only when a command runs against a server.
    const { remoteBackend } = await import("./backend/remote.js");
    const backend = remoteBackend(login);
    await body({ backend, json, clock: clockOf(backend) });
    return;
  }
  const { localBackend } = await import("./backend/local.js");
  const s = await openSession(cmd);
  const backend = localBackend(s.ctx, s.actor);
  try {
    await body({ backend, json, clock: clockOf(backend) });
  } finally {
    await backend.close();
  }
}

/** The person's clock, from the backend's time zone, asked once. */
function clockOf(backend: Backend): () => Promise<Clock> {
  let clock: Promise<Clock> | undefined;
  return () => {
    clock ??= backend.timeZone().then((timeZone) => ({ timeZone, today: dayIn(new Date(), timeZone) }));
    return clock;
  };
}

/**
 * Reads a DATE option ("2026-03-31", "today", "next Friday") in the person's time zone, or fails
 * with how to fix it. Async because the date reader (chrono-node) is loaded, and a server asked for
 * the zone, only when a command is given a date.
 */
export async function dateOption(
  s: Pick<BackendSession, "clock">,
  value: string | undefined,
  label: string,
): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const [{ readDate }, clock] = await Promise.all([import("../core/read-date.js"), s.clock()]);
  const r = readDate(value, clock.today, label, clock.timeZone);
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
export function output(s: { json: boolean }, value: unknown, human: () => string): void {
  process.stdout.write(s.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
