/**
 * Server configuration, read and validated once at start-up from the environment. Every problem
 * is listed at once with how to fix it.
 */

import { OUTBOUND_ALLOW_ENV, parseAllowList } from "../app/webhooks/outbound.js";

/** What the server needs to start. */
export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dbFile: string | undefined;
  /** Trust X-Forwarded-For/-Proto: only behind a proxy you run. */
  trustProxy: boolean;
  /** PostgreSQL: named prepared statements (THROUGHLINE_PG_PREPARED, default on). */
  pgPrepared: boolean;
}

/** The result of reading the configuration: a config, or every problem found. */
export type ConfigReading = { ok: true; config: ServerConfig } | { ok: false; problems: string[] };

/** Reads PORT, HOST, DATABASE_URL, THROUGHLINE_DB, TRUST_PROXY and THROUGHLINE_PG_PREPARED, and checks THROUGHLINE_OUTBOUND_ALLOW. */
export function readServerConfig(env: Record<string, string | undefined>): ConfigReading {
  const problems: string[] = [];
  const portText = env.PORT ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(
      `PORT '${portText}' is not a port number. Use a whole number from 1 to 65535, e.g. PORT=3000.`,
    );
  }
  const host = env.HOST ?? "127.0.0.1";
  if (host.trim() === "") problems.push("HOST is empty. Use an address such as 127.0.0.1 or 0.0.0.0.");
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    problems.push(
      "DATABASE_URL must be a PostgreSQL URL such as postgres://user:pass@host:5432/db. Leave it unset to use the SQLite file.",
    );
  }
  const dbFile = env.THROUGHLINE_DB?.trim() || undefined;
  const proxy = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (proxy && !["1", "true", "0", "false"].includes(proxy)) {
    problems.push(
      `TRUST_PROXY '${env.TRUST_PROXY}' must be true or false. Set it to true only behind your own proxy.`,
    );
  }
  const prepared = (env.THROUGHLINE_PG_PREPARED ?? "on").trim().toLowerCase();
  if (!["on", "off"].includes(prepared)) {
    problems.push(
      `THROUGHLINE_PG_PREPARED '${env.THROUGHLINE_PG_PREPARED}' must be on or off. Set it to off only behind a pooler in transaction mode that does not support prepared statements.`,
    );
  }
  // THROUGHLINE_OUTBOUND_ALLOW is read where hooks are sent (src/app/webhooks/outbound.ts);
  // a mistyped entry is named here rather than silently ignored there.
  const allow = parseAllowList(env[OUTBOUND_ALLOW_ENV]);
  if (!allow.ok) problems.push(...allow.problems);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: {
      port,
      host,
      databaseUrl,
      dbFile,
      trustProxy: proxy === "1" || proxy === "true",
      pgPrepared: prepared === "on",
    },
  };
}
