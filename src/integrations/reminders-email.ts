/**
 * Issue 19's emails: the reminders block `throughline remind --email` sends, and the weekly review
 * email the scheduler sends on each person's chosen day and hour. The renderers are pure;
 * `sendRemindersEmail` is the one way reminders are emailed, from the CLI on its own database and
 * from the server (POST /api/reminders/email) alike.
 */
import type { Actor, AppContext } from "../app/context.js";
import {
  type EmailedReminders,
  emailReminders,
  type Reminders,
  reminderLine,
  remindersText,
} from "../app/delivery/reminders.js";
import { rateWords, type WeeklyReviewMail } from "../app/delivery/weekly-review.js";
import { absoluteUrl, emailPage, escapeHtml, type Mailer, messageIdFor } from "./email.js";

/**
 * Emails a person's reminders through `mailer`, each item at most once per person and day (the
 * `sent_reminders` record of `emailReminders`), links under `publicUrl`.
 */
export function sendRemindersEmail(
  ctx: AppContext,
  actor: Actor,
  opts: { asOf?: string | undefined; to?: string | undefined },
  mail: { mailer: Mailer; publicUrl: string },
): Promise<EmailedReminders> {
  return emailReminders(ctx, actor, opts, async (m) => {
    const rendered = renderRemindersEmail(m.reminders, { name: m.name, publicUrl: mail.publicUrl });
    await mail.mailer.send({ to: m.to, ...rendered, messageId: messageIdFor(m.key, mail.publicUrl) });
  });
}

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
  const html = emailPage(
    subject,
    `<p>Hi ${escapeHtml(opts.name)},</p>
<ul>${r.items
      .map(
        (i) =>
          `<li><a href="${escapeHtml(absoluteUrl(opts.publicUrl, i.link))}">${escapeHtml(reminderLine(i, r.asOf).replace(/\s{2,}/, ": "))}</a></li>`,
      )
      .join("")}</ul>
<p style="font-size: 0.85em; color: #555;">Sent by <code>throughline remind --email</code>; each item at most once a day.</p>`,
  );
  return { subject, text, html };
}

/**
 * The weekly review email: the rate, wins, misses and stalled goals of the last 7 days, and one
 * small step for next week, each goal linked (PUBLIC_URL), with the unsubscribe link.
 */
export function renderWeeklyReviewEmail(
  m: WeeklyReviewMail,
  opts: { name: string; publicUrl: string; unsubscribeUrl: string },
): { subject: string; text: string; html: string } {
  const goal = (id: number | null) => (id === null ? null : absoluteUrl(opts.publicUrl, `/goals/${id}`));
  const subject = `Your week in Throughline: ${rateWords(m)}`;
  const sections: { title: string; items: { text: string; link: string | null }[] }[] = [
    { title: "Wins", items: m.wins.map((w) => ({ text: w.text, link: goal(w.goalId) })) },
    {
      title: "Missed",
      items: m.misses.map((x) => ({ text: `${x.text} (due ${x.dueDate})`, link: goal(x.goalId) })),
    },
    {
      title: "Stalled",
      items: m.stalled.map((s) => ({ text: s.why ? `${s.title}: ${s.why}` : s.title, link: goal(s.goalId) })),
    },
  ].filter((s) => s.items.length > 0);
  const next = m.nextStep
    ? {
        text: m.nextStep.text ? `${m.nextStep.text} (${m.nextStep.goalTitle})` : m.nextStep.question,
        link: goal(m.nextStep.goalId),
      }
    : { text: "What is one small step you can take next week?", link: absoluteUrl(opts.publicUrl, "/plan") };
  const settings = absoluteUrl(opts.publicUrl, "/settings");
  const text = [
    `Hi ${opts.name},`,
    "",
    `Your follow-through from ${m.from} to ${m.to}: ${rateWords(m)}.`,
    ...sections.flatMap((s) => [
      "",
      `${s.title}:`,
      ...s.items.map((i) => `- ${i.text}${i.link ? ` ${i.link}` : ""}`),
    ]),
    "",
    "One small step for next week:",
    `- ${next.text}${next.link ? ` ${next.link}` : ""}`,
    "",
    "--",
    `Change the day or turn this email off: ${settings}`,
    `Stop all email from Throughline: ${opts.unsubscribeUrl}`,
    "",
  ].join("\n");
  const li = (i: { text: string; link: string | null }) =>
    `<li>${i.link ? `<a href="${escapeHtml(i.link)}">${escapeHtml(i.text)}</a>` : escapeHtml(i.text)}</li>`;
  const html = emailPage(
    subject,
    `<p>Hi ${escapeHtml(opts.name)},</p>
<p>Your follow-through from ${escapeHtml(m.from)} to ${escapeHtml(m.to)}: <strong>${escapeHtml(rateWords(m))}</strong>.</p>
${sections.map((s) => `<h3>${escapeHtml(s.title)}</h3><ul>${s.items.map(li).join("")}</ul>`).join("\n")}
<h3>One small step for next week</h3><ul>${li(next)}</ul>
<hr>
<p style="font-size: 0.85em; color: #555;"><a href="${escapeHtml(settings)}">Change the day or turn this email off</a> · <a href="${escapeHtml(opts.unsubscribeUrl)}">Unsubscribe from all email</a></p>`,
  );
  return { subject, text, html };
}
