/**
 * Issue 19: a person's own Slack or Teams channel gets their nudges — saved sealed at rest, checked
 * against the outbound policy, posted once per nudge by the worker — tested with a real HTTP
 * receiver on 127.0.0.1 (reachable only because THROUGHLINE_OUTBOUND_ALLOW names it).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../test/helpers/factories.js";
import { type Receiver, startReceiver } from "../../test/helpers/receiver.js";
import type { Actor, AppContext } from "../app/context.js";
import { NUDGE_JOB, type NudgePayload } from "../app/delivery/nudges.js";
import * as queue from "../app/delivery/queue.js";
import { AppError } from "../app/errors.js";
import { getSettings, updateSettings } from "../app/people/settings.js";
import { createGoal } from "../app/plans/goals.js";
import { OUTBOUND_ALLOW_ENV } from "../app/webhooks/outbound.js";
import { runDueJobs } from "./worker.js";

const NOW = new Date("2026-11-21T10:00:00.000Z");
const PUBLIC_URL = "https://throughline.example.com";

describe.each(DIALECTS)("a person's own Slack or Teams channel on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let receiver: Receiver;
  let ctx: AppContext;
  let owner: Actor;
  const allowBefore = process.env[OUTBOUND_ALLOW_ENV];

  beforeAll(async () => {
    if (skip) return;
    receiver = await startReceiver();
    process.env[OUTBOUND_ALLOW_ENV] = "127.0.0.1";
  });
  afterAll(async () => {
    await receiver?.close();
    if (allowBefore === undefined) delete process.env[OUTBOUND_ALLOW_ENV];
    else process.env[OUTBOUND_ALLOW_ENV] = allowBefore;
  });
  beforeEach(async () => {
    if (skip) return;
    receiver.requests.length = 0;
    receiver.status = () => 200;
    process.env[OUTBOUND_ALLOW_ENV] = "127.0.0.1";
    db = await freshStore(d);
    ctx = fixedContext(db.store, NOW.toISOString());
    owner = (await actorFor(db.store)).actor;
    await updateSettings(ctx, owner, { quietHours: null });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function queueNudge(key: string): Promise<void> {
    const g = await createGoal(ctx, owner, { title: "Launch <the> newsletter" });
    const payload: NudgePayload = {
      workspaceId: owner.workspaceId,
      userId: owner.userId,
      kind: "step-due-today",
      subject: { type: "goal", id: g.id },
      title: "Due today: Email Raj the deck",
      message: "“Email Raj the deck” (Launch <the> newsletter) is due today.",
      lines: [],
      link: `/goals/${g.id}`,
      data: {},
    };
    await queue.enqueue(ctx, { kind: NUDGE_JOB, payload, dedupeKey: key, runAt: NOW });
  }

  it.skipIf(skip)("is saved sealed at rest and shown masked", async () => {
    const url = `${receiver.url}/services/T000/B000/secret-part-1234`;
    const s = await updateSettings(ctx, owner, { personalChannel: { kind: "slack", webhookUrl: url } });
    expect(s.personalChannel).toEqual({ kind: "slack", url: `${receiver.url}/…1234` });
    expect(s.channels.slack).toBe(true);
    const row = await db.store.db
      .withoutPlugins()
      .selectFrom("personal_channels" as never)
      .selectAll()
      .executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain("secret-part");
    const off = await updateSettings(ctx, owner, { personalChannel: null });
    expect(off.personalChannel).toBeNull();
  });

  it.skipIf(skip)("refuses a private address not on the allow-list, with how to fix it", async () => {
    process.env[OUTBOUND_ALLOW_ENV] = "";
    for (const url of ["http://127.0.0.1:9/hook", "https://169.254.169.254/latest", "https://10.0.0.5/x"]) {
      const e = await updateSettings(ctx, owner, {
        personalChannel: { kind: "teams", webhookUrl: url },
      }).catch((x: unknown) => x);
      expect(e, url).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).message).toMatch(/personalChannel\.webhookUrl|webhookUrl/);
    }
    expect((await getSettings(ctx, owner)).personalChannel).toBeNull();
  });

  it.skipIf(skip)("gets each nudge once, as a Slack message linking back", async () => {
    await updateSettings(ctx, owner, {
      personalChannel: { kind: "slack", webhookUrl: `${receiver.url}/slack/me` },
    });
    await queueNudge("n1");
    const r = await runDueJobs(ctx, NOW, { worker: "w1", publicUrl: PUBLIC_URL });
    expect(r.done).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const body = JSON.parse(receiver.requests[0]?.body ?? "{}") as { text: string; blocks: unknown[] };
    expect(body.text).toContain("Due today: Email Raj the deck");
    // What a person wrote can't become a Slack link or mention.
    expect(JSON.stringify(body.blocks)).toContain("Launch &lt;the&gt; newsletter");
    expect(JSON.stringify(body.blocks)).toMatch(
      /https:\/\/throughline\.example\.com\/goals\/\d+\|Open in Throughline/,
    );
    // Running again sends nothing more.
    await runDueJobs(ctx, new Date(NOW.getTime() + 60_000), { worker: "w1", publicUrl: PUBLIC_URL });
    expect(receiver.requests).toHaveLength(1);
  });

  it.skipIf(skip)("posts a Teams card, and retries a failed post once without posting twice", async () => {
    await updateSettings(ctx, owner, {
      personalChannel: { kind: "teams", webhookUrl: `${receiver.url}/teams/me` },
    });
    await queueNudge("n2");
    receiver.status = () => 500;
    const first = await runDueJobs(ctx, NOW, { worker: "w1", publicUrl: PUBLIC_URL });
    expect(first.retried).toBe(1);
    receiver.status = () => 200;
    const later = new Date(NOW.getTime() + 5 * 60_000);
    const second = await runDueJobs(ctx, later, { worker: "w1", publicUrl: PUBLIC_URL });
    expect(second.done).toBe(1);
    const ok = receiver.requests.slice(1);
    expect(ok).toHaveLength(1);
    const card = JSON.parse(ok[0]?.body ?? "{}") as {
      type: string;
      attachments: { content: { body: unknown[] } }[];
    };
    expect(card.type).toBe("message");
    expect(JSON.stringify(card.attachments[0]?.content)).toContain("Due today: Email Raj the deck");
    // Inbox delivery happened once, before the failed post.
    const inbox = await db.store.db.selectFrom("notifications").selectAll().execute();
    expect(inbox).toHaveLength(1);
  });

  it.skipIf(skip)("sends nothing there when the person turned that channel off", async () => {
    await updateSettings(ctx, owner, {
      personalChannel: { kind: "slack", webhookUrl: `${receiver.url}/slack/me` },
      channels: { slack: false },
    });
    await queueNudge("n3");
    await runDueJobs(ctx, NOW, { worker: "w1", publicUrl: PUBLIC_URL });
    expect(receiver.requests).toHaveLength(0);
  });
});
