/**
 * The scheduler's configuration, read once at start-up: THROUGHLINE_SCHEDULER (on/off),
 * THROUGHLINE_SCHEDULER_INTERVAL (seconds), SMTP_URL, SMTP_FROM and PUBLIC_URL. Every problem is
 * listed at once with how to fix it.
 */
import type { SmtpConfig } from "../integrations/email.js";

/** What the scheduler needs. */
export interface JobsConfig {
  enabled: boolean;
  intervalMs: number;
  smtp: SmtpConfig | null;
  /** The web app's address, for links in email. */
  publicUrl: string;
}

/** A configuration, or every problem found. */
export type JobsConfigReading = { ok: true; config: JobsConfig } | { ok: false; problems: string[] };

/** Reads the scheduler's environment; the server's host and port make the default PUBLIC_URL. */
export function readJobsConfig(
  env: Record<string, string | undefined>,
  server: { host: string; port: number },
): JobsConfigReading {
  const problems: string[] = [];
  const flag = (env.THROUGHLINE_SCHEDULER ?? "on").trim().toLowerCase();
  if (!["on", "off", "true", "false", "1", "0"].includes(flag)) {
    problems.push(`THROUGHLINE_SCHEDULER '${env.THROUGHLINE_SCHEDULER}' must be on or off.`);
  }
  const intervalText = (env.THROUGHLINE_SCHEDULER_INTERVAL ?? "60").trim();
  const interval = Number(intervalText);
  if (!/^\d+$/.test(intervalText) || interval < 1 || interval > 3600) {
    problems.push(
      `THROUGHLINE_SCHEDULER_INTERVAL '${intervalText}' must be a whole number of seconds from 1 to 3600, e.g. 60.`,
    );
  }
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
    problems.push("SMTP_URL must look like smtp://user:password@mail.example.com:587 (or smtps:// for TLS).");
  }
  const from = env.SMTP_FROM?.trim() || "Throughline <throughline@localhost>";
  const host = server.host === "0.0.0.0" || server.host === "::" ? "localhost" : server.host;
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host}:${server.port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) {
    problems.push(
      `PUBLIC_URL '${publicUrl}' must be the address people open, e.g. https://throughline.example.com.`,
    );
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: {
      enabled: !["off", "false", "0"].includes(flag),
      intervalMs: interval * 1000,
      smtp: smtpUrl ? { url: smtpUrl, from } : null,
      publicUrl,
    },
  };
}
