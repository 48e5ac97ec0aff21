/**
 * Email over SMTP (nodemailer): a nudge rendered as plain text and HTML, with an unsubscribe link
 * (in the body and as a List-Unsubscribe header), sent with a Message-ID derived from the
 * delivery's idempotency key so that a resend after a crash carries the same id.
 */
import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { NudgePayload } from "../app/delivery/nudges.js";

/** One email to send. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The Message-ID header, with angle brackets. */
  messageId: string;
  headers?: Record<string, string>;
}

/** Something that sends email; `send` resolves once the server accepted the message. */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

/** How to reach the SMTP server. */
export interface SmtpConfig {
  /** smtp://user:pass@host:port, or smtps:// for TLS from the start. */
  url: string;
  /** The From header, e.g. "Throughline <nudges@example.com>". */
  from: string;
  /** Seconds to wait on the server before giving up (kept well below a job's lease). */
  timeoutSeconds?: number;
}

/** A mailer over SMTP. Nothing connects until the first send. */
export function smtpMailer(config: SmtpConfig): Mailer {
  const timeout = (config.timeoutSeconds ?? 30) * 1000;
  const transport = nodemailer.createTransport(config.url, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return {
    async send(m) {
      await transport.sendMail({
        from: config.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        ...(m.headers ? { headers: m.headers } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The Message-ID for a delivery: the same idempotency key always gives the same id, so a mail
 * store or client that drops duplicates by Message-ID keeps one copy of a resend.
 * @example
 * messageIdFor("job:12:email", "https://throughline.example.com") // "<tl-…@throughline.example.com>"
 */
export function messageIdFor(idempotencyKey: string, publicUrl: string): string {
  let host = "throughline.invalid";
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // A bad PUBLIC_URL is reported at start-up; the id only needs a stable host part.
  }
  const digest = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32);
  return `<tl-${digest}@${host}>`;
}

/** Text made safe inside HTML. */
export const escapeHtml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** An email's HTML page: its title, and `body` in one readable column. */
export function emailPage(subject: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem;">
${body}
</body></html>
`;
}

/** Joins a public base URL and a path. */
export function absoluteUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

/** A nudge as an email: subject, plain text and HTML, each with the unsubscribe link. */
export function renderNudgeEmail(
  n: NudgePayload,
  opts: { publicUrl: string; unsubscribeUrl: string; name: string },
): { subject: string; text: string; html: string } {
  const link = n.link ? absoluteUrl(opts.publicUrl, n.link) : null;
  const settings = absoluteUrl(opts.publicUrl, "/settings");
  const subject = n.title.replace(/[\r\n]+/g, " ").slice(0, 200);
  const text = [
    `Hi ${opts.name},`,
    "",
    n.message,
    ...(n.lines.length ? ["", ...n.lines.map((l) => `- ${l}`)] : []),
    ...(link ? ["", `Open it: ${link}`] : []),
    "",
    "--",
    `Choose which nudges you get: ${settings}`,
    `Stop all email from Throughline: ${opts.unsubscribeUrl}`,
    "",
  ].join("\n");
  const html = emailPage(
    subject,
    `<p>Hi ${escapeHtml(opts.name)},</p>
<p>${escapeHtml(n.message)}</p>
${n.lines.length ? `<ul>${n.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` : ""}
${link ? `<p><a href="${escapeHtml(link)}">Open it in Throughline</a></p>` : ""}
<hr>
<p style="font-size: 0.85em; color: #555;"><a href="${escapeHtml(settings)}">Choose which nudges you get</a> · <a href="${escapeHtml(opts.unsubscribeUrl)}">Unsubscribe from all email</a></p>`,
  );
  return { subject, text, html };
}

/**
 * A password reset link as an email (issue 16, defect 8): the link, how long it works, and what to
 * do when the person did not ask for it. Nothing else about the account is in it.
 */
export function renderPasswordResetEmail(opts: { name: string; link: string; minutes: number }): {
  subject: string;
  text: string;
  html: string;
} {
  const subject = "Choose a new Throughline password";
  const text = [
    `Hi ${opts.name},`,
    "",
    "Someone (we hope you) asked to reset the password of your Throughline account.",
    `Choose a new password here: ${opts.link}`,
    "",
    `The link works once, within ${opts.minutes} minutes. Once you choose a new password, every device signed in to your account is signed out.`,
    "",
    "If you did not ask for this, ignore this email: your password stays as it is.",
    "",
  ].join("\n");
  const html = emailPage(
    subject,
    `<p>Hi ${escapeHtml(opts.name)},</p>
<p>Someone (we hope you) asked to reset the password of your Throughline account.</p>
<p><a href="${escapeHtml(opts.link)}">Choose a new password</a></p>
<p>The link works once, within ${opts.minutes} minutes. Once you choose a new password, every device signed in to your account is signed out.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>`,
  );
  return { subject, text, html };
}
