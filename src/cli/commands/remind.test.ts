import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAsync } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { startSmtp, type TestSmtp } from "../../../test/helpers/smtp.js";
import type { Actor } from "../../app/context.js";
import type { EmailedReminders, Reminders } from "../../app/delivery/reminders.js";
import { createGoal } from "../../app/plans/goals.js";
import { addStep } from "../../app/plans/steps.js";

const DAY = "2026-03-10";
const NO_SMTP = { SMTP_URL: "" };

describe.each(DIALECTS)("the remind command on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let empty: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let actor: Actor;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    empty = await freshStore(d);
    db = await freshStore(d);
    const made = await actorFor(db.store, "2026-02-01T10:00:00.000Z");
    actor = made.actor;
    // Started five weeks ago with no check-in since: stalled (silent), its check-in missed.
    const goal = await createGoal(made.ctx, actor, {
      title: "Launch the newsletter",
      startDate: "2026-02-01",
      dueDate: "2026-06-30",
    });
    goalId = goal.id;
    await addStep(made.ctx, actor, goal.id, { text: "Email Raj the deck", dueDate: "2026-03-07" });
    await addStep(made.ctx, actor, goal.id, { text: "Write the first issue", dueDate: DAY });
    await addStep(made.ctx, actor, goal.id, { text: "Pick a sending tool", dueDate: "2026-03-20" });
  });
  afterAll(async () => {
    await db?.dispose();
    await empty?.dispose();
    await smtp?.close();
  });

  it.skipIf(skip)("prints nothing and exits 0 when nothing is due", async () => {
    const r = await cliAsync(["remind", "--as-of", DAY], empty.config, { env: NO_SMTP });
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it.skipIf(skip)("prints one short block: overdue, due today, the check-in and the stall", async () => {
    const r = await cliAsync(["remind", "--as-of", DAY], db.config, { env: NO_SMTP });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Throughline, ${DAY}: 1 due today, 1 overdue, 1 check-in, 1 stalled`);
    expect(lines).toContain("  overdue   Email Raj the deck (due 2026-03-07) · Launch the newsletter");
    expect(lines).toContain("  today     Write the first issue · Launch the newsletter");
    expect(lines.some((l) => l.startsWith("  check-in  Launch the newsletter"))).toBe(true);
    expect(lines.some((l) => l.startsWith("  stalled   Launch the newsletter: "))).toBe(true);
    expect(r.stdout).not.toContain("Pick a sending tool");
    expect(lines.length).toBeLessThanOrEqual(10);
  });

  it.skipIf(skip)("gives the same with --json", async () => {
    const r = await cliAsync(["remind", "--as-of", DAY, "--json"], db.config, { env: NO_SMTP });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Reminders;
    expect(out.asOf).toBe(DAY);
    expect(out.items.map((i) => i.kind).sort()).toEqual(
      ["checkin-missed", "due-today", "overdue", "stalled"].sort(),
    );
    expect(out.items.find((i) => i.kind === "stalled")).toMatchObject({ goalId, link: `/goals/${goalId}` });
  });

  it.skipIf(skip)("--email without SMTP_URL exits non-zero and says how to set it", async () => {
    const r = await cliAsync(["remind", "--email", "--to", "dana@example.com"], db.config, { env: NO_SMTP });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^--email needs a mail server: set SMTP_URL, e\.g\. SMTP_URL=smtp:\/\//);
  });

  it.skipIf(skip)("--email without an address to send to says to give --to", async () => {
    const r = await cliAsync(["remind", "--email", "--as-of", DAY], db.config, {
      env: { SMTP_URL: smtp.url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--to you@example.com");
    expect(smtp.messages).toHaveLength(0);
  });

  it.skipIf(skip)("--email sends each item once a day; a new item or a new day sends again", async () => {
    const env = { SMTP_URL: smtp.url, PUBLIC_URL: "https://throughline.example.com" };
    const args = ["remind", "--email", "--to", "dana@example.com"];
    const first = await cliAsync([...args, "--as-of", DAY], db.config, { env });
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("Emailed 4 reminders to dana@example.com.\n");
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail?.to && "text" in mail.to ? mail.to.text : "").toBe("dana@example.com");
    expect(mail?.subject).toBe(`Throughline: 4 things to follow through on today (${DAY})`);
    expect(mail?.text).toContain("overdue   Email Raj the deck (due 2026-03-07)");
    expect(mail?.text).toContain(`https://throughline.example.com/goals/${goalId}`);

    const again = await cliAsync([...args, "--as-of", DAY], db.config, { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("Nothing new to email: the 4 reminders were already sent to you today.\n");
    expect(smtp.messages).toHaveLength(1);

    await addStep(fixedContext(db.store, "2026-03-10T08:00:00.000Z"), actor, goalId, {
      text: "Ask Sam for the logo",
      dueDate: DAY,
    });
    const added = await cliAsync([...args, "--as-of", DAY, "--json"], db.config, { env });
    const out = JSON.parse(added.stdout) as EmailedReminders;
    expect(out.sent.map((i) => i.text)).toEqual(["Ask Sam for the logo"]);
    expect(out.alreadySent).toHaveLength(4);
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]?.text).toContain("Ask Sam for the logo");
    expect(smtp.messages[1]?.text).not.toContain("Email Raj the deck");

    const nextDay = await cliAsync([...args, "--as-of", "2026-03-11"], db.config, { env });
    expect(nextDay.code).toBe(0);
    expect(nextDay.stdout).toMatch(/^Emailed \d+ reminders to dana@example\.com\.\n$/);
    expect(smtp.messages).toHaveLength(3);
    expect(smtp.messages[2]?.text).toContain("Email Raj the deck");
  });

  it.skipIf(skip)("a failed send records nothing, so the next run sends", async () => {
    const env = { SMTP_URL: smtp.url };
    const args = ["remind", "--email", "--to", "dana@example.com", "--as-of", "2026-03-12"];
    smtp.refuse = true;
    const failed = await cliAsync(args, db.config, { env });
    smtp.refuse = false;
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    const before = smtp.messages.length;
    const retried = await cliAsync(args, db.config, { env });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/^Emailed \d+ reminders/);
    expect(smtp.messages).toHaveLength(before + 1);
  });
});
