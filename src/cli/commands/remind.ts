/**
 * `throughline remind`: what is due today, overdue and stalled for me, in one short block for a
 * shell prompt or cron (nothing at all when there is nothing); `--email` sends the same block by
 * SMTP_URL, each item at most once a day (kept in the local database).
 */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { dateOption, withSession } from "../context.js";

/** Registers the remind command. */
export function registerRemindCommand(program: Command): void {
  program
    .command("remind")
    .description(
      "what is due today, overdue and stalled for me, in a few lines (nothing when nothing is); for a shell prompt or cron",
    )
    .option("--as-of <date>", "the day to remind of (default today)")
    .option("--email", "email the block through SMTP_URL instead, each item at most once a day")
    .option("--to <address>", "with --email: the address to send to (default: my email)")
    .action(async (o, cmd: Command) => {
      const smtpUrl = process.env.SMTP_URL?.trim();
      if (o.email && !smtpUrl) {
        throw new AppError(
          400,
          "smtp_missing",
          "--email needs a mail server: set SMTP_URL, e.g. SMTP_URL=smtp://user:password@mail.example.com:587 (and SMTP_FROM for the sender).",
        );
      }
      if (o.email && smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
        throw new AppError(
          400,
          "smtp_invalid",
          "SMTP_URL must look like smtp://user:password@mail.example.com:587 (or smtps:// for TLS).",
        );
      }
      if (o.to !== undefined && !o.email) {
        throw new AppError(400, "to_without_email", "--to is for --email: add --email, or leave --to out.");
      }
      await withSession(cmd, async (s) => {
        const asOf = await dateOption({ clock: async () => s }, o.asOf, "--as-of");
        const r = await import("../../app/delivery/reminders.js");
        if (!o.email) {
          const reminders = await r.remindersFor(s.ctx, s.actor, { asOf });
          if (s.json) process.stdout.write(`${JSON.stringify(reminders, null, 2)}\n`);
          else if (reminders.items.length > 0) process.stdout.write(`${r.remindersText(reminders)}\n`);
          return;
        }
        const [{ smtpMailer, messageIdFor }, { renderRemindersEmail }] = await Promise.all([
          import("../../integrations/email.js"),
          import("../../integrations/reminders-email.js"),
        ]);
        const publicUrl = (process.env.PUBLIC_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
        const mailer = smtpMailer({
          url: smtpUrl as string,
          from: process.env.SMTP_FROM?.trim() || "Throughline <throughline@localhost>",
        });
        try {
          const done = await r.emailReminders(s.ctx, s.actor, { asOf, to: o.to }, async (m) => {
            const mail = renderRemindersEmail(m.reminders, { name: m.name, publicUrl });
            await mailer.send({ to: m.to, ...mail, messageId: messageIdFor(m.key, publicUrl) });
          });
          if (s.json) {
            process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
            return;
          }
          if (done.sent.length > 0) {
            const more = done.alreadySent.length ? ` (${done.alreadySent.length} already sent today)` : "";
            process.stdout.write(
              `Emailed ${done.sent.length} reminder${done.sent.length === 1 ? "" : "s"} to ${done.to}${more}.\n`,
            );
          } else if (done.alreadySent.length > 0) {
            process.stdout.write(
              `Nothing new to email: the ${done.alreadySent.length} reminder${done.alreadySent.length === 1 ? " was" : "s were"} already sent to you today.\n`,
            );
          }
        } finally {
          mailer.close();
        }
      });
    });
}
