/**
 * Issue 19: the weekly review email on each person's chosen local day and hour — wins, misses,
 * stalled goals, the rate and one small step, with links — sent once per person and week, across
 * restarts, to a real SMTP server on 127.0.0.1.
 */
import type { ParsedMail } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../test/helpers/factories.js";
import { startSmtp, type TestSmtp } from "../../test/helpers/smtp.js";
import type { Actor } from "../app/context.js";
import { planNudges } from "../app/delivery/nudges.js";
import { getSettings, updateSettings } from "../app/people/settings.js";
import { createGoal } from "../app/plans/goals.js";
import { addStep, completeStep } from "../app/plans/steps.js";
import { type Mailer, smtpMailer } from "../integrations/email.js";
import { runDueJobs } from "./worker.js";

const PUBLIC_URL = "https://throughline.example.com";
// Monday 23 November 2026, 09:05 in Berlin.
const MONDAY_9 = "2026-11-23T08:05:00.000Z";

describe.each(DIALECTS)("the weekly review email on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let owner: Actor;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    mailer = smtpMailer({
      url: smtp.url,
      from: "Throughline <nudges@throughline.example.com>",
      timeoutSeconds: 5,
    });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    smtp.messages.length = 0;
    db = await freshStore(d);
    const made = await actorFor(db.store, "2026-11-01T10:00:00.000Z");
    owner = made.actor;
    await db.store.db
      .updateTable("users")
      .set({ email: "olu@example.com" })
      .where("id", "=", owner.userId)
      .execute();
    const goal = await createGoal(made.ctx, owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-01",
      dueDate: "2027-01-31",
    });
    goalId = goal.id;
    const kept = await addStep(made.ctx, owner, goal.id, {
      text: "Email Raj the deck",
      dueDate: "2026-11-18",
    });
    await completeStep(fixedContext(db.store, "2026-11-17T10:00:00.000Z"), owner, kept.id, {});
    await addStep(made.ctx, owner, goal.id, { text: "Write the first issue", dueDate: "2026-11-19" });
    await addStep(made.ctx, owner, goal.id, { text: "Pick a sending tool", dueDate: "2026-11-27" });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  /** One scheduler pass at an instant, as a freshly started instance would run it. */
  async function pass(at: string): Promise<void> {
    const ctx = fixedContext(db.store, at);
    await planNudges(ctx, new Date(at));
    await runDueJobs(ctx, new Date(at), { mailer, publicUrl: PUBLIC_URL, worker: `w-${at}` });
  }

  const reviews = (): ParsedMail[] =>
    smtp.messages.filter((m) => m.headers.get("x-throughline-nudge") === "weekly-review");

  it.skipIf(skip)("is off unless the person picks a day and hour", async () => {
    expect((await getSettings(fixedContext(db.store, MONDAY_9), owner)).weeklyReview).toBeNull();
    await pass(MONDAY_9);
    expect(reviews()).toHaveLength(0);
  });

  it.skipIf(skip)("comes on the chosen local day and hour, once a week, across restarts", async () => {
    const ctx = fixedContext(db.store, "2026-11-20T10:00:00.000Z");
    const s = await updateSettings(ctx, owner, {
      timeZone: "Europe/Berlin",
      weeklyReview: { day: "monday", hour: 9 },
    });
    expect(s.weeklyReview).toEqual({ day: "monday", hour: 9 });

    await pass("2026-11-23T07:30:00.000Z"); // 08:30 in Berlin: not yet
    expect(reviews()).toHaveLength(0);

    await pass(MONDAY_9);
    expect(reviews()).toHaveLength(1);
    const mail = reviews()[0] as ParsedMail;
    expect(mail.subject).toBe("Your week in Throughline: 50% (1 kept, 1 missed)");
    const text = mail.text ?? "";
    expect(text).toContain("Your follow-through from 2026-11-17 to 2026-11-23: 50% (1 kept, 1 missed).");
    expect(text).toContain("Wins:");
    expect(text).toContain("Missed:\n- Write the first issue (due 2026-11-19)");
    expect(text).toContain(`${PUBLIC_URL}/goals/${goalId}`);
    expect(text).toContain("One small step for next week:\n- Write the first issue (Launch the newsletter)");
    expect(mail.html).toContain(`<a href="${PUBLIC_URL}/goals/${goalId}">`);

    // Later passes that day, by new instances, send nothing more.
    await pass("2026-11-23T08:30:00.000Z");
    await pass("2026-11-23T15:00:00.000Z");
    expect(reviews()).toHaveLength(1);

    // The next Monday brings the next one.
    await pass("2026-11-30T08:05:00.000Z");
    expect(reviews()).toHaveLength(2);
  });

  it.skipIf(skip)("stops when the person turns it off", async () => {
    const ctx = fixedContext(db.store, "2026-11-20T10:00:00.000Z");
    await updateSettings(ctx, owner, { weeklyReview: { day: 1, hour: 9 } });
    await updateSettings(ctx, owner, { weeklyReview: null });
    await pass("2026-11-23T09:05:00.000Z");
    expect(reviews()).toHaveLength(0);
  });
});
