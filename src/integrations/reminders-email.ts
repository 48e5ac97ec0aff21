/**
 * Issue 19's emails: the reminders block `throughline remind --email` sends, and the weekly review
 * email the scheduler sends on each person's chosen day and hour. Pure: they only render.
 */
import { type Reminders, reminderLine, remindersText } from "../app/delivery/reminders.js";
import { absoluteUrl } from "./email.js";

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const PAGE_STYLE = "font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem;";

/** The reminders as an email: the same block as the command prints, each line linking to its goal. */
export function renderRemindersEmail(
  r: Reminders,
  opts: { name: string; publicUrl: string },
): { subject: string; text: string; html: string } {
  const n = r.items.length;
  const subject = `Throughline: ${n} thing${n === 1 ? "" : "s"} to follow through on today (${r.asOf})`;
  const text = [
    `Hi ${opts.name},`,
    "",
    remindersText(r),
    "",
    ...r.items.map((i) => `${i.goalTitle}: ${absoluteUrl(opts.publicUrl, i.link)}`),
    "",
    "--",
    "Sent by `throughline remind --email`; each item at most once a day.",
    "",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="${PAGE_STYLE}">
<p>Hi ${escapeHtml(opts.name)},</p>
<ul>${r.items
    .map(
      (i) =>
        `<li><a href="${escapeHtml(absoluteUrl(opts.publicUrl, i.link))}">${escapeHtml(reminderLine(i, r.asOf).replace(/\s{2,}/, ": "))}</a></li>`,
    )
    .join("")}</ul>
<p style="font-size: 0.85em; color: #555;">Sent by <code>throughline remind --email</code>; each item at most once a day.</p>
</body></html>
`;
  return { subject, text, html };
}
