/**
 * HTTP routes for `throughline remind` against a server (issue 19): my reminders of a day, and
 * emailing them to me through the server's own SMTP settings, each item at most once a day.
 */
import { createRoute, z } from "@hono/zod-openapi";
import * as reminders from "../../app/delivery/reminders.js";
import { AppError } from "../../app/errors.js";
import { sendRemindersEmail } from "../../integrations/reminders-email.js";
import { router } from "../env.js";
import { ErrorSchema, errorResponses, jsonBody, jsonResponse } from "./schemas.js";

const tags = ["reminders"];
const day = z.string().openapi({ example: "2026-03-10" });

/** One thing to remind a person of. */
const ReminderItemSchema = z
  .object({
    key: z
      .string()
      .openapi({ description: "Names the item for once a day: step:12, checkin:4:2026-03-02, stalled:7" }),
    kind: z.enum(["due-today", "overdue", "checkin-due", "checkin-missed", "stalled"]),
    text: z
      .string()
      .openapi({ description: "The step's text, or the goal's title for check-ins and stalls" }),
    goalId: z.number().int(),
    goalTitle: z.string(),
    stepId: z.number().int().nullable(),
    dueDate: day
      .nullable()
      .openapi({ description: "The step's due day or the check-in's; null for a stall" }),
    why: z.string().nullable().openapi({ description: "Why a goal stalled, in words (stalls only)" }),
    link: z.string().openapi({ description: "A path in the web app" }),
  })
  .openapi("ReminderItem");

/** A person's reminders on a day, most urgent first. */
const RemindersSchema = z.object({ asOf: day, items: z.array(ReminderItemSchema) }).openapi("Reminders");

/** What emailing the reminders did. */
const EmailedRemindersSchema = z
  .object({
    asOf: day,
    to: z.string().openapi({ description: "The signed-in person's address" }),
    sent: z.array(ReminderItemSchema).openapi({ description: "The items this call emailed" }),
    alreadySent: z
      .array(ReminderItemSchema)
      .openapi({ description: "The items already emailed that day, not sent again" }),
  })
  .openapi("EmailedReminders");

/** Registers GET /api/reminders and POST /api/reminders/email. */
export function reminderRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "get",
      path: "/reminders",
      operationId: "getReminders",
      tags,
      summary:
        "My reminders of a day (default today): steps due or overdue, check-ins due or missed, stalled goals; reading changes nothing",
      request: { query: reminders.RemindersQuery },
      responses: { 200: jsonResponse(RemindersSchema, "The reminders"), ...errorResponses },
    }),
    async (c) => c.json(await reminders.remindersFor(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/reminders/email",
      operationId: "emailReminders",
      tags,
      summary:
        "Email my reminders of a day to my own address through the server's SMTP settings, each item at most once a day",
      request: { body: jsonBody(reminders.RemindersEmailInput) },
      responses: {
        200: jsonResponse(EmailedRemindersSchema, "What was emailed and what had been already"),
        ...errorResponses,
        503: {
          description: "The mail server did not take the email; nothing is recorded as sent, so try again.",
          content: { "application/json": { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const { mailer, publicUrl } = c.var.accountMail;
      if (!mailer) {
        throw new AppError(
          422,
          "email_not_configured",
          "This server does not send email (its SMTP_URL is not set). Ask the workspace owner to set SMTP_URL, or read your reminders without email.",
        );
      }
      // Only the mail server's refusal is answered 503; anything else is the usual error.
      let refused: unknown;
      const sending = {
        send: (m: Parameters<typeof mailer.send>[0]) =>
          mailer.send(m).catch((e: unknown) => {
            refused = e;
            throw e;
          }),
        close: () => {},
      };
      try {
        const done = await sendRemindersEmail(c.var.ctx, c.var.actor, c.req.valid("json"), {
          mailer: sending,
          publicUrl,
        });
        return c.json(done, 200);
      } catch (e) {
        if (refused === undefined || e !== refused) throw e;
        console.error(`Could not email reminders: ${e instanceof Error ? e.message : String(e)}`);
        c.header("Retry-After", "60");
        return c.json(
          {
            error: {
              code: "email_not_sent",
              message:
                "The mail server did not take the email, so nothing was recorded as sent. Try again in a minute.",
              details: {},
            },
          },
          503,
        );
      }
    },
  );

  return r;
}
