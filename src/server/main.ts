/** Starts Throughline: migrate the database, then serve the API (and web app) on HOST:PORT. */
import { setFlagsFromString } from "node:v8";
import { serve } from "@hono/node-server";
import type { AppContext } from "../app/context.js";
import { closeApp, openApp } from "../app/open.js";
import { startSchedulerFromEnv } from "../jobs/scheduler.js";
import { createHttpApp } from "./app.js";
import { readServerConfig } from "./config.js";

/**
 * V8 lets the heap grow to up to four times what survived the last full collection before the next
 * one; under load that held the server's RSS at 300-460 MB with 40-60 MB live, and it kept
 * rising over a 5-minute soak on PostgreSQL. Twice keeps RSS near what is used (docs/benchmarks.md,
 * "Memory"). A value given on the command line is kept.
 */
function boundHeapGrowth(): void {
  if (!process.execArgv.some((a) => a.startsWith("--heap-growing-percent")))
    setFlagsFromString("--heap-growing-percent=100");
}

async function main(): Promise<void> {
  boundHeapGrowth();
  const reading = readServerConfig(process.env);
  if (!reading.ok) {
    console.error("Throughline cannot start:");
    for (const p of reading.problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  const { config } = reading;
  let ctx: AppContext;
  try {
    ctx = await openApp({
      databaseUrl: config.databaseUrl,
      file: config.dbFile,
      backgroundCheckpoints: true,
      preparedStatements: config.pgPrepared,
    });
  } catch (e) {
    console.error(`Throughline cannot open its database: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const app = createHttpApp(ctx, { trustProxy: config.trustProxy });
  const scheduler = startSchedulerFromEnv(ctx, process.env, { host: config.host, port: config.port });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(
      `Throughline is running at http://${config.host}:${info.port} (database: ${ctx.store.location})`,
    );
  });
  server.on("error", (e: NodeJS.ErrnoException) => {
    const hint = e.code === "EADDRINUSE" ? ` Port ${config.port} is taken: set PORT to another port.` : "";
    console.error(`Throughline cannot listen on ${config.host}:${config.port}: ${e.message}.${hint}`);
    process.exit(1);
  });
  const stop = () => {
    server.close();
    void scheduler
      .stop()
      .then(() => closeApp(ctx))
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
