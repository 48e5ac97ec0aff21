/**
 * `throughline remind` against a server (issue 19): with a stored login it asks the server, prints
 * the same block and --json as on the local database, and `--email` has the server send it through
 * its own SMTP settings, each item at most once a day (kept in the server's database).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAsync } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { type Person, serveApp, signUp } from "../../../test/helpers/http.js";
import { startSmtp, type TestSmtp } from "../../../test/helpers/smtp.js";
import { appContext } from "../../app/context.js";
import type { EmailedReminders, Reminders } from "../../app/delivery/reminders.js";
import { createGoal } from "../../app/plans/goals.js";
import { addStep } from "../../app/plans/steps.js";
import { smtpMailer } from "../../integrations/email.js";

const DAY = "2026-03-10";

describe.each(DIALECTS)("the remind command against a server on %s", { timeout: 120_000 }, (d) => {
  const skip = !dialectAvailable(d);
  const dir = mkdtempSync(join(tmpdir(), "throughline-remind-server-"));
  const remote = {};
  // Local runs see no login; remote runs use the stored one (and never SMTP_URL on this machine).
  const local = { SMTP_URL: "", TZ: "UTC" };
  // THROUGHLINE_DB keeps any local run inside the temp folder.
  const env = {
    THROUGHLINE_CONFIG: join(dir, "config.json"),
    THROUGHLINE_DB: join(dir, "local.db"),
    SMTP_URL: "",
    TZ: "UTC",
  };
  const plainEnv = { ...env, THROUGHLINE_CONFIG: join(dir, "plain", "config.json") };
  let db: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let plain: Awaited<ReturnType<typeof serveApp>> | undefined;
  let dana: Person;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    db = await freshStore(d);
    // Made on the command line first; the first account on the server claims it.
    const made = await actorFor(db.store, "2026-02-01T10:00:00.000Z");
    const goal = await createGoal(made.ctx, made.actor, {
      title: "Launch the newsletter",
      startDate: "2026-02-01",
      dueDate: "2026-06-30",
    });
    await addStep(made.ctx, made.actor, goal.id, { text: "Email Raj the deck", dueDate: "2026-03-07" });
    await addStep(made.ctx, made.actor, goal.id, { text: "Write the first issue", dueDate: DAY });
    await addStep(made.ctx, made.actor, goal.id, { text: "Pick a sending tool", dueDate: "2026-03-20" });
    const ctx = appContext(db.store);
    server = await serveApp(ctx, {
      email: true,
      mailer: smtpMailer({ url: smtp.url, from: "Throughline <throughline@example.com>" }),
      publicUrl: "https://throughline.example.com",
    });
    // The same database behind a server that sends no email.
    plain = await serveApp(ctx);
    dana = await signUp(server.http, { email: "dana@example.com", name: "Dana" });
    for (const [url, e] of [
      [server.url, env],
      [plain.url, plainEnv],
    ] as const) {
      const r = await cliAsync(["login", url], remote, { env: { ...e, THROUGHLINE_TOKEN: dana.token } });
      expect(r.stderr).toBe("");
    }
  });
  afterAll(async () => {
    await server?.close();
    await plain?.close();
    await db?.dispose();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)("prints the same block and the same --json as on the local database", async () => {
    const here = await cliAsync(["remind", "--as-of", DAY], db.config, { env: local });
    const there = await cliAsync(["remind", "--as-of", DAY], remote, { env });
    expect(there.stderr).toBe("");
    expect(there.code).toBe(0);
    expect(here.stdout.split("\n")[0]).toBe(
      `Throughline, ${DAY}: 1 due today, 1 overdue, 1 check-in, 1 stalled`,
    );
    expect(there.stdout).toBe(here.stdout);

    const hereJson = await cliAsync(["remind", "--as-of", DAY, "--json"], db.config, { env: local });
    const thereJson = await cliAsync(["remind", "--as-of", DAY, "--json"], remote, { env });
    expect(thereJson.code).toBe(0);
    expect(thereJson.stdout).toBe(hereJson.stdout);
    expect((JSON.parse(thereJson.stdout) as Reminders).items).toHaveLength(4);

    // Nothing due: nothing printed, in both modes.
    const quiet = await cliAsync(["remind", "--as-of", "2026-01-15"], remote, { env });
    expect(quiet).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it.skipIf(skip)("--email has the server send the block once a day to the person", async () => {
    const first = await cliAsync(["remind", "--email", "--as-of", DAY], remote, { env });
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("Emailed 4 reminders to dana@example.com.\n");
    const mails = await smtp.waitFor(1);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to && "text" in mail.to ? mail.to.text : "").toBe("dana@example.com");
    expect(mail?.subject).toBe(`Throughline: 4 things to follow through on today (${DAY})`);
    expect(mail?.text).toContain("overdue   Email Raj the deck (due 2026-03-07)");
    expect(mail?.text).toContain("https://throughline.example.com/goals/");

    const again = await cliAsync(["remind", "--email", "--as-of", DAY, "--json"], remote, { env });
    expect(again.code).toBe(0);
    const out = JSON.parse(again.stdout) as EmailedReminders;
    expect(out).toMatchObject({ asOf: DAY, to: "dana@example.com", sent: [] });
    expect(out.alreadySent).toHaveLength(4);
    expect(smtp.messages).toHaveLength(1);
    const human = await cliAsync(["remind", "--email", "--as-of", DAY], remote, { env });
    expect(human.stdout).toBe("Nothing new to email: the 4 reminders were already sent to you today.\n");
    expect(smtp.messages).toHaveLength(1);
  });

  it.skipIf(skip)("refuses --to against a server and a server that sends no email, saying why", async () => {
    const to = await cliAsync(["remind", "--email", "--to", "raj@example.com", "--as-of", DAY], remote, {
      env,
    });
    expect(to.code).toBe(1);
    expect(to.stdout).toBe("");
    expect(to.stderr).toMatch(/^--to works only on the local database: .*your account's address/);

    const off = await cliAsync(["remind", "--email", "--as-of", DAY], remote, { env: plainEnv });
    expect(off.code).toBe(1);
    expect(off.stdout).toBe("");
    expect(off.stderr.trim().split("\n")).toHaveLength(1);
    expect(off.stderr).toMatch(/does not send email.*SMTP_URL/);
    expect(smtp.messages).toHaveLength(1);
  });
});
