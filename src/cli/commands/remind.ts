/**
 * `throughline remind`: what is due today, overdue and stalled for me, in one short block for a
 * shell prompt or cron (nothing at all when there is nothing); `--email` sends the same block by
 * SMTP_URL, each item at most once a day (kept in the local database). With a stored login it asks
 * the server (GET /api/reminders), and `--email` has the server send it to my account's address
 * through its own SMTP settings, once a day per item in the server's database.
 */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { dateOption, withBackend } from "../context.js";

/** Registers the remind command. */
export function registerRemindCommand(program: Command): void {
  program
    .command("remind")
    .description(
      "what is due today, overdue and stalled for me, in a few lines (nothing when nothing is); for a shell prompt or cron",
    )
    .option("--as-of <date>", "the day to remind of (default today)")
    .option(
      "--email",
      "email the block instead, each item at most once a day (through SMTP_URL; against a server, through the server's)",
    )
    .option(
      "--to <address>",
      "with --email on the local database: the address to send to (default: my email)",
    )
    .action(async (o, cmd: Command) => {
      if (o.to !== undefined && !o.email) {
        throw new AppError(400, "to_without_email", "--to is for --email: add --email, or leave --to out.");
      }
      await withBackend(cmd, async (s) => {
        const asOf = await dateOption(s, o.asOf, "--as-of");
        if (!o.email) {
          const reminders = await s.backend.reminders(asOf);
          if (s.json) process.stdout.write(`${JSON.stringify(reminders, null, 2)}\n`);
          else if (reminders.items.length > 0) {
            const { remindersText } = await import("../../app/delivery/reminders.js");
            process.stdout.write(`${remindersText(reminders)}\n`);
          }
          return;
        }
        const done = await s.backend.emailReminders({ asOf, to: o.to });
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
      });
    });
}
