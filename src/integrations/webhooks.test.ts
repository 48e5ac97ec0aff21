import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { buildGoal, fixedContext, NOW } from "../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../test/helpers/http.js";
import { type Receiver, startReceiver } from "../../test/helpers/receiver.js";
import type { AppContext } from "../app/context.js";
import { MAX_ATTEMPTS, RETRY_SCHEDULE_SECONDS } from "../app/webhooks/deliveries.js";
import { openStore } from "../store/db.js";
import { appendEvent } from "../store/repos/events.js";
import { slackMessage } from "./slack.js";
import { teamsMessage } from "./teams.js";
import { dispatchWebhooks } from "./webhooks.js";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J & { items?: J[] } };
};
const at = (seconds: number) => new Date(new Date(NOW).getTime() + seconds * 1000);

describe("payload builders", () => {
  it("makes a Block Kit message with header, section fields and context, mrkdwn escaped", () => {
    const m = slackMessage({
      type: "goal.stalled",
      title: "Stalled: <Launch> & grow",
      text: "Sam's goal <!channel> has stalled",
      facts: [{ label: "Owner", value: "Sam <@U1>" }],
      context: "One step at a time",
      link: { label: "Open", url: "https://example.com/goals/1" },
    });
    expect(m.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Stalled: <Launch> & grow", emoji: true },
    });
    expect(m.blocks[1]).toMatchObject({
      text: { type: "mrkdwn", text: "Sam's goal &lt;!channel&gt; has stalled" },
      fields: [{ type: "mrkdwn", text: "*Owner*\nSam &lt;@U1&gt;" }],
    });
    expect(JSON.stringify(m)).toContain("<https://example.com/goals/1|Open>");
  });

  it("makes a Teams Workflows body with one Adaptive Card 1.5", () => {
    const m = teamsMessage({
      type: "commitment.kept",
      title: "Commitment kept",
      text: "Mia kept *it* [x](y)",
    });
    expect(m.type).toBe("message");
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments[0];
    expect(a?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(a?.content).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(a?.content.body[1]).toMatchObject({ type: "TextBlock", text: "Mia kept \\*it\\* \\[x\\](y)" });
  });
});

describe.each(DIALECTS)("outgoing hooks on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let owner: Person;
  let lead: Person;
  let mia: Person;
  let teamId: number;
  let rx: Receiver;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    rx = await startReceiver();
    const app = testApp(ctx);
    owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const invite = async (email: string, role: string) =>
      (await send(owner.api, "POST", "/api/invitations", { teamId, role, email })).json.token as string;
    lead = await signUp(app, {
      email: "lena@example.com",
      name: "Lena",
      inviteToken: await invite("lena@example.com", "leader"),
    });
    mia = await signUp(app, {
      email: "mia@example.com",
      name: "Mia",
      inviteToken: await invite("mia@example.com", "member"),
    });
  });
  afterAll(async () => {
    await rx?.close();
    await db?.dispose();
  });

  it.skipIf(skip)(
    "sends a team's goal.stalled and commitment.kept to its Slack and Teams channels",
    async () => {
      expect(
        (
          await send(mia.api, "PUT", `/api/teams/${teamId}/integrations/slack`, {
            webhookUrl: `${rx.url}/slack`,
          })
        ).status,
      ).toBe(404);
      const slack = await send(lead.api, "PUT", `/api/teams/${teamId}/integrations/slack`, {
        webhookUrl: `${rx.url}/slack/T0/B0/secretpart`,
      });
      expect(slack.status).toBe(200);
      expect(slack.json.url).toBe(`${rx.url}/…part`);
      expect(
        (
          await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/teams`, {
            webhookUrl: `${rx.url}/teams`,
          })
        ).status,
      ).toBe(200);
      const seen = await send(mia.api, "GET", `/api/teams/${teamId}/integrations`);
      expect(seen.json.items?.map((i) => i.kind)).toEqual(["slack", "teams"]);
      expect(JSON.stringify(seen.json)).not.toContain("secretpart");

      const goal = await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Launch <the> podcast", teamId, visibility: "team" }),
      );
      const hidden = await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "My private plan", teamId, visibility: "private" }),
      );
      const c1 = await send(mia.api, "POST", "/api/commitments", {
        goalId: goal.json.id,
        text: "Record episode one",
        dueDate: "2026-11-27",
      });
      const c2 = await send(mia.api, "POST", "/api/commitments", {
        goalId: hidden.json.id,
        text: "Secret step",
        dueDate: "2026-11-27",
      });
      await send(mia.api, "POST", `/api/commitments/${c1.json.id}/resolve`, { status: "kept" });
      await send(mia.api, "POST", `/api/commitments/${c2.json.id}/resolve`, { status: "kept" });
      await appendEvent(db.store.db, {
        workspaceId: 1,
        type: "goal.stalled",
        actorId: mia.userId,
        subjectType: "goal",
        subjectId: goal.json.id,
        payload: {
          goalId: goal.json.id,
          title: "Launch <the> podcast",
          reasons: ["silent"],
          leaderPrompt: "Agree one micro-goal with Mia for Launch <the> podcast",
          nextStep: null,
        },
        createdAt: NOW,
      });

      rx.requests.length = 0;
      const sum = await dispatchWebhooks(ctx, at(0));
      expect(sum).toMatchObject({ attempted: 4, delivered: 4 });
      const slackBodies = rx.requests
        .filter((r) => r.path.startsWith("/slack"))
        .map((r) => JSON.parse(r.body));
      const teamsBodies = rx.requests.filter((r) => r.path === "/teams").map((r) => JSON.parse(r.body));
      expect(slackBodies).toHaveLength(2);
      expect(teamsBodies).toHaveLength(2);
      expect(JSON.stringify(rx.requests)).not.toContain("Secret step");
      const kept = slackBodies.find((b) => b.blocks[0].text.text === "Commitment kept");
      expect(kept.blocks.map((b: { type: string }) => b.type)).toEqual(["header", "section", "context"]);
      expect(kept.blocks[1].text.text).toBe('Mia kept a commitment: "Record episode one".');
      const stalled = slackBodies.find((b) => b.blocks[0].text.text.startsWith("Stalled"));
      expect(stalled.blocks[1].text.text).toContain("Launch &lt;the&gt; podcast");
      for (const t of teamsBodies) {
        expect(t).toMatchObject({
          type: "message",
          attachments: [
            {
              contentType: "application/vnd.microsoft.card.adaptive",
              content: { type: "AdaptiveCard", version: "1.5" },
            },
          ],
        });
      }
      expect(rx.requests.every((r) => r.headers["content-type"] === "application/json")).toBe(true);
      expect((await dispatchWebhooks(ctx, at(60))).attempted).toBe(0);

      expect((await send(lead.api, "DELETE", `/api/teams/${teamId}/integrations/teams`)).status).toBe(200);
      expect((await send(lead.api, "DELETE", `/api/teams/${teamId}/integrations/teams`)).status).toBe(404);
      expect((await send(lead.api, "DELETE", `/api/teams/${teamId}/integrations/slack`)).status).toBe(200);
    },
  );

  it.skipIf(skip)(
    "signs each delivery, retries after a 500 with backoff, and logs every attempt",
    async () => {
      expect(
        (await send(mia.api, "POST", "/api/webhooks", { url: `${rx.url}/hook`, events: ["goal.created"] }))
          .status,
      ).toBe(403);
      expect(
        (
          await send(owner.api, "POST", "/api/webhooks", {
            url: "http://example.com/hook",
            events: ["goal.created"],
          })
        ).status,
      ).toBe(400);
      const hook = await send(owner.api, "POST", "/api/webhooks", {
        url: `${rx.url}/hook`,
        events: ["goal.created", "step.done"],
      });
      expect(hook.status).toBe(201);
      const secret = hook.json.secret as string;
      expect(secret).toMatch(/^whsec_/);
      const list = await send(owner.api, "GET", "/api/webhooks");
      expect(JSON.stringify(list.json)).not.toContain(secret);

      let failing = true;
      rx.status = (p) => (p === "/hook" && failing ? 500 : 200);
      rx.requests.length = 0;
      const goal = await send(
        owner.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Hire a designer", visibility: "workspace" }),
      );
      await send(mia.api, "POST", "/api/goals", buildGoal({ title: "Mia's private goal" }));

      expect(await dispatchWebhooks(ctx, at(0))).toMatchObject({ queued: 1, attempted: 1, retrying: 1 });
      const first = rx.requests.filter((r) => r.path === "/hook");
      expect(first).toHaveLength(1);
      const req = first[0]!;
      const expected = `sha256=${createHmac("sha256", secret).update(req.body).digest("hex")}`;
      expect(req.headers["x-throughline-signature"]).toBe(expected);
      expect(req.headers["x-throughline-event"]).toBe("goal.created");
      const deliveryId = req.headers["x-throughline-delivery"];
      expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
      const body = JSON.parse(req.body);
      expect(body).toEqual({
        id: expect.any(Number),
        type: "goal.created",
        createdAt: NOW,
        workspaceId: 1,
        subject: { type: "goal", id: goal.json.id },
        payload: { title: "Hire a designer" },
      });

      expect((await dispatchWebhooks(ctx, at(29))).attempted).toBe(0);
      expect((await dispatchWebhooks(ctx, at(30))).attempted).toBe(1);
      failing = false;
      expect((await dispatchWebhooks(ctx, at(30 + 119))).attempted).toBe(0);
      expect(await dispatchWebhooks(ctx, at(30 + 120))).toMatchObject({ attempted: 1, delivered: 1 });
      const all = rx.requests.filter((r) => r.path === "/hook");
      expect(all).toHaveLength(3);
      expect(new Set(all.map((r) => r.headers["x-throughline-delivery"]))).toEqual(new Set([deliveryId]));
      expect(all.map((r) => r.headers["x-throughline-signature"])).toEqual([expected, expected, expected]);

      const log = await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries`);
      expect(log.json.items?.map((i) => [i.attempt, i.statusCode, i.nextAttemptAt, i.deliveredAt])).toEqual([
        [3, 200, null, at(150).toISOString()],
        [2, 500, at(150).toISOString(), null],
        [1, 500, at(30).toISOString(), null],
      ]);
      expect(log.json.items?.[0]).toMatchObject({
        eventId: body.id,
        eventType: "goal.created",
        deliveryId,
        state: "delivered",
      });
      expect(log.json.items?.[2]?.error).toContain("HTTP 500");
      expect(JSON.stringify(rx.requests)).not.toContain("Mia's private goal");

      expect((await send(owner.api, "DELETE", `/api/webhooks/${hook.json.id}`)).status).toBe(200);
      expect((await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries`)).status).toBe(404);
      rx.status = () => 200;
    },
  );

  it.skipIf(skip)(`gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${rx.url}/down`,
      events: ["goal.created"],
      secret: "a shared secret of ours",
    });
    rx.status = (p) => (p === "/down" ? 503 : 200);
    await send(
      owner.api,
      "POST",
      "/api/goals",
      buildGoal({ title: "Open the second office", visibility: "workspace" }),
    );
    let t = 1000;
    expect((await dispatchWebhooks(ctx, at(t))).retrying).toBe(1);
    for (const wait of RETRY_SCHEDULE_SECONDS) {
      t += wait;
      await dispatchWebhooks(ctx, at(t));
    }
    const log = await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries?limit=2`);
    expect(log.json.items?.[0]).toMatchObject({
      attempt: MAX_ATTEMPTS,
      statusCode: 503,
      nextAttemptAt: null,
      state: "failed",
    });
    expect(log.json.nextCursor).not.toBeNull();
    expect((await dispatchWebhooks(ctx, at(t + 86_400))).attempted).toBe(0);
    await send(owner.api, "DELETE", `/api/webhooks/${hook.json.id}`);
    rx.status = () => 200;
  });

  it.skipIf(skip)(
    "delivers each event to each hook exactly once with two workers on one database, retries included",
    async () => {
      // On PostgreSQL each worker has its own connection pool, as two instances would have; SQLite
      // is one process with one connection, where the two workers' passes interleave.
      const other = d === "postgres" ? openStore({ databaseUrl: db.config.databaseUrl as string }) : null;
      const ctx2 = other ? fixedContext(other) : ctx;
      try {
        const hooks = [];
        for (const path of ["/w1", "/w2"]) {
          const made = await send(owner.api, "POST", "/api/webhooks", {
            url: `${rx.url}${path}`,
            events: ["goal.created"],
          });
          hooks.push({ id: made.json.id, path });
        }
        // The first three requests to /w1 fail: their retries must not be sent twice either.
        let failures = 3;
        rx.status = (p) => (p === "/w1" && failures-- > 0 ? 500 : 200);
        rx.requests.length = 0;
        for (let i = 0; i < 8; i++) {
          await send(
            owner.api,
            "POST",
            "/api/goals",
            buildGoal({ title: `Race ${i}`, visibility: "workspace" }),
          );
        }
        const totals = { a: 0, b: 0, queued: 0 };
        for (const t of [5000, 5000, 5000, 5000, 5030, 5030]) {
          const [a, b] = await Promise.all([
            dispatchWebhooks(ctx, at(t), { worker: "worker-a", limit: 3 }),
            dispatchWebhooks(ctx2, at(t), { worker: "worker-b", limit: 3 }),
          ]);
          totals.a += a.attempted;
          totals.b += b.attempted;
          totals.queued += a.queued + b.queued;
        }
        expect(totals.queued).toBe(16);
        expect(totals.a).toBeGreaterThan(0);
        expect(totals.b).toBeGreaterThan(0);

        const got = rx.requests.filter((r) => r.path === "/w1" || r.path === "/w2");
        expect(got).toHaveLength(16 + 3);
        // The receiver answered 500 to the first three requests to /w1 it got, 200 to the rest.
        let w1 = 0;
        const delivered = got
          .filter((r) => r.path !== "/w1" || ++w1 > 3)
          .map((r) => `${r.path} ${JSON.parse(r.body).id}`);
        expect(delivered).toHaveLength(16);
        expect(new Set(delivered).size).toBe(16);
        // One delivery id per hook and event, the same on its retry.
        const ids = new Map<string, Set<unknown>>();
        for (const r of got) {
          const k = `${r.path} ${JSON.parse(r.body).id}`;
          ids.set(k, (ids.get(k) ?? new Set()).add(r.headers["x-throughline-delivery"]));
        }
        expect(ids.size).toBe(16);
        expect([...ids.values()].every((s) => s.size === 1)).toBe(true);

        // Each hook's log: every event delivered once; the failures say the status, never the body.
        for (const h of hooks) {
          const log = await send(owner.api, "GET", `/api/webhooks/${h.id}/deliveries?limit=100`);
          const items = log.json.items ?? [];
          expect(items.filter((i) => i.statusCode === 200)).toHaveLength(8);
          expect(new Set(items.filter((i) => i.statusCode === 200).map((i) => i.eventId)).size).toBe(8);
          expect(items.every((i) => i.state === "delivered")).toBe(true);
          expect(items.filter((i) => i.statusCode === 500)).toHaveLength(h.path === "/w1" ? 3 : 0);
          expect(items.filter((i) => i.statusCode === 500).every((i) => i.error === "HTTP 500")).toBe(true);
          expect(JSON.stringify(items)).not.toContain("receiver failed");
        }
        for (const h of hooks) await send(owner.api, "DELETE", `/api/webhooks/${h.id}`);
      } finally {
        rx.status = () => 200;
        await other?.close();
      }
    },
  );

  // Only PostgreSQL runs several instances at once; on SQLite there is no race to show.
  if (d === "postgres")
    it.skipIf(skip)("delivers each event once per webhook with two dispatchers at once", async () => {
      const other = openStore({ databaseUrl: db.config.databaseUrl as string });
      const ctx2 = fixedContext(other);
      try {
        const hooks = await Promise.all(
          ["/a", "/b"].map(
            async (p) =>
              (
                await send(owner.api, "POST", "/api/webhooks", {
                  url: `${rx.url}${p}`,
                  events: ["goal.created", "step.done"],
                })
              ).json.id,
          ),
        );
        rx.requests.length = 0;
        const goals = [];
        for (let i = 0; i < 12; i++) {
          goals.push(
            await send(
              owner.api,
              "POST",
              "/api/goals",
              buildGoal({ title: `Goal ${i}`, visibility: "workspace" }),
            ),
          );
        }
        for (let round = 0; round < 3; round++) {
          await Promise.all([
            dispatchWebhooks(ctx, at(2000 + round), { limit: 5 }),
            dispatchWebhooks(ctx2, at(2000 + round), { limit: 5 }),
            dispatchWebhooks(ctx, at(2000 + round), { limit: 5 }),
            dispatchWebhooks(ctx2, at(2000 + round), { limit: 5 }),
          ]);
        }
        const got = rx.requests.filter((r) => r.path === "/a" || r.path === "/b");
        const keys = got.map((r) => `${r.path} ${JSON.parse(r.body).id}`);
        expect(keys).toHaveLength(24);
        expect(new Set(keys).size).toBe(24);
        expect(new Set(got.map((r) => r.headers["x-throughline-delivery"])).size).toBe(24);
        for (const id of hooks) await send(owner.api, "DELETE", `/api/webhooks/${id}`);
      } finally {
        await other.close();
      }
    });
});
