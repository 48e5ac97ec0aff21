import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";
import { type Receiver, startReceiver } from "../../../test/helpers/receiver.js";
import { startSmtp, type TestSmtp } from "../../../test/helpers/smtp.js";
import { type Mailer, smtpMailer } from "../../integrations/email.js";
import type { SlackMessage } from "../../integrations/slack.js";
import type { TeamsMessage } from "../../integrations/teams.js";
import { tick } from "../../jobs/scheduler.js";
import { appendEvent } from "../../store/repos/events.js";
import type { AppContext } from "../context.js";
import { goalStalled, stallReasons } from "./messages.js";
import { inbox } from "./notices.js";

const REASONS = ["behind", "silent", "carried-over"];

describe("stall wording", () => {
  it("gives the owner, a leader and the team's channel the same reasons", () => {
    const stall = {
      title: "Launch the podcast",
      ownerName: "Mia",
      dueDate: "2027-03-31",
      reasons: REASONS,
      leaderPrompt: null,
      nextStep: { text: "Email one past guest", estimateMinutes: 10 },
    };
    const why = stallReasons(REASONS);
    expect(why).toBe(
      "progress is well behind the pace the due date needs; nothing moved for longer than the check-in cadence allows; the same next step was carried over from the last check-in",
    );
    for (const reader of ["owner", "leader", "team"] as const) {
      expect(goalStalled(stall, reader).text).toContain(why);
    }
  });
});

describe.each(DIALECTS)("one stall on every channel on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let rx: Receiver;
  let owner: Person;
  let lead: Person;
  let teamId: number;

  const send = async (c: Client, method: string, path: string, body?: unknown) => {
    const r = await c.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await r.json()) as Record<string, unknown> & { id: number };
  };

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    mailer = smtpMailer({ url: smtp.url, from: "Throughline <nudges@throughline.test>", timeoutSeconds: 5 });
    rx = await startReceiver();
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await rx?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    const app = testApp(ctx);
    owner = await signUp(app, { email: "mia@example.com", name: "Mia" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).id;
    const invite = await send(owner.api, "POST", "/api/invitations", {
      teamId,
      role: "leader",
      email: "lena@example.com",
    });
    lead = await signUp(app, {
      email: "lena@example.com",
      name: "Lena",
      inviteToken: invite.token as string,
    });
    for (const kind of ["slack", "teams"]) {
      await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/${kind}`, {
        webhookUrl: `${rx.url}/${kind}`,
      });
    }
  });
  afterEach(async () => db?.dispose());

  it.skipIf(skip)("gives the same reasons in the inbox, by email, on Slack and on Teams", async () => {
    const goal = await send(
      owner.api,
      "POST",
      "/api/goals",
      buildGoal({ title: "Launch the podcast", teamId, visibility: "team", startDate: "2026-11-21" }),
    );
    await appendEvent(db.store.db, {
      workspaceId: 1,
      type: "goal.stalled",
      actorId: owner.userId,
      subjectType: "goal",
      subjectId: goal.id,
      payload: { goalId: goal.id, reasons: REASONS, leaderPrompt: null, nextStep: null },
      createdAt: NOW,
    });
    await tick(ctx, new Date(NOW), {
      intervalMs: 60_000,
      mailer,
      publicUrl: "http://throughline.test",
      worker: "w",
    });
    const why = stallReasons(REASONS);

    for (const p of [owner, lead]) {
      const notices = await inbox(ctx, { userId: p.userId, workspaceId: 1 }, {});
      const stalled = notices.filter((n) => n.type === "nudge.goal-stalled");
      expect(stalled).toHaveLength(1);
      expect(stalled[0]?.message).toContain(why);
    }
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      "Launch the podcast has stalled",
      "Mia's goal Launch the podcast has stalled",
    ]);
    for (const m of mails) {
      expect(m.text).toContain(why);
      expect(m.html).toContain(why);
    }
    const posted = (path: string) =>
      rx.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    const [slack] = posted("/slack") as SlackMessage[];
    expect(slack?.blocks[0]).toMatchObject({ text: { text: "Stalled: Launch the podcast" } });
    expect(slack?.blocks[1]).toMatchObject({ text: { text: expect.stringContaining(why) } });
    const [teams] = posted("/teams") as TeamsMessage[];
    const card = teams?.attachments[0]?.content.body ?? [];
    expect(card[0]).toMatchObject({ text: "Stalled: Launch the podcast" });
    expect(card[1]).toMatchObject({ text: expect.stringContaining(why) });
  });
});
