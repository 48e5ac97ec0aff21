/**
 * Starts Throughline: migrate the database, then serve the API (and web app) on HOST:PORT. Run it
 * as `npm start` does, with its node flags (package.json's start script, docs/deploy.md).
 */
import { serve } from "@hono/node-server";
import type { AppContext } from "../app/context.js";
import { closeApp, openApp, optimizeApp, SERVER_PAGE_CACHE_KIB } from "../app/open.js";
import { smtpMailer } from "../integrations/email.js";
import { readJobsConfig } from "../jobs/config.js";
import { startSchedulerFromEnv } from "../jobs/scheduler.js";
import { createHttpApp } from "./app.js";
import { readServerConfig } from "./config.js";

async function main(): Promise<void> {
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
      pageCacheKib: SERVER_PAGE_CACHE_KIB,
      preparedStatements: config.pgPrepared,
    });
  } catch (e) {
    console.error(`Throughline cannot open its database: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  // Planner statistics: the server refreshes them (a write), not every CLI open (issue 16).
  await optimizeApp(ctx).catch((e: unknown) =>
    console.error(`Could not refresh the planner statistics (the next start tries again): ${String(e)}`),
  );
  // Email is on when SMTP_URL is set (the scheduler reads and checks it; an instance that runs no
  // scheduler may still serve people whose email another instance sends).
  // Password reset links go by email when SMTP_URL is set (issue 16, defect 8); the scheduler
  // reports a bad SMTP_URL or PUBLIC_URL itself.
  const jobs = readJobsConfig(process.env, { host: config.host, port: config.port });
  const accountMailer = jobs.ok && jobs.config.smtp ? smtpMailer(jobs.config.smtp) : null;
  const app = createHttpApp(ctx, {
    trustProxy: config.trustProxy,
    email: Boolean(process.env.SMTP_URL?.trim()),
    mailer: accountMailer,
    ...(jobs.ok ? { publicUrl: jobs.config.publicUrl } : {}),
  });
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
