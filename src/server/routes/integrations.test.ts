import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";
import { type Receiver, startReceiver } from "../../../test/helpers/receiver.js";
import type { AppContext } from "../../app/context.js";
import { type AllowList, parseAllowList } from "../../app/webhooks/outbound.js";
import { hookUrlProblem } from "../../app/webhooks/urls.js";
import { dispatchWebhooks, signBody } from "../../integrations/webhooks.js";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J & { items?: J[] } };
};

/**
 * Checks the RFC 5545 shape: CRLF line breaks only, lines folded at 75 octets, BEGIN/END balanced,
 * every event with DTSTART, DTSTAMP and UID, and the last line ended by CRLF too (the shared builder
 * is src/integrations/ical.ts).
 */
function expectValidCalendar(raw: string): string[] {
  expect(raw.endsWith("END:VCALENDAR\r\n")).toBe(true);
  const text = raw.slice(0, -2);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const l of text.split("\r\n")) expect(Buffer.byteLength(l, "utf8")).toBeLessThanOrEqual(75);
  const unfolded = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const stack: string[] = [];
  for (const l of unfolded) {
    if (l.startsWith("BEGIN:")) stack.push(l.slice(6));
    if (l.startsWith("END:")) expect(stack.pop()).toBe(l.slice(4));
  }
  expect(stack).toEqual([]);
  expect(unfolded[0]).toBe("BEGIN:VCALENDAR");
  expect(unfolded).toContain("VERSION:2.0");
  expect(unfolded.some((l) => l.startsWith("PRODID:"))).toBe(true);
  const events = unfolded.filter((l) => l === "BEGIN:VEVENT").length;
  expect(unfolded.filter((l) => l.startsWith("DTSTART")).length).toBe(events);
  expect(unfolded.filter((l) => l.startsWith("DTSTAMP:")).length).toBe(events);
  expect(unfolded.filter((l) => l.startsWith("UID:")).length).toBe(events);
  return unfolded;
}

describe("hook URLs", () => {
  it("take https, and plain http only to an allow-listed address", () => {
    const none = (parseAllowList("") as { ok: true; list: AllowList }).list;
    const local = (parseAllowList("127.0.0.1,::1") as { ok: true; list: AllowList }).list;
    expect(hookUrlProblem("https://hooks.slack.com/services/T/B/x", none)).toBeNull();
    expect(hookUrlProblem("http://127.0.0.1:8080/hook", local)).toBeNull();
    expect(hookUrlProblem("http://localhost/hook", local)).toBeNull();
    expect(hookUrlProblem("http://127.0.0.1:8080/hook", none)).toMatch(
      /loopback.*THROUGHLINE_OUTBOUND_ALLOW/,
    );
    expect(hookUrlProblem("https://localhost/hook", none)).toMatch(/this machine/);
    expect(hookUrlProblem("http://example.com/hook", local)).toMatch(/https/);
    expect(hookUrlProblem("ftp://example.com", local)).toMatch(/https/);
    expect(hookUrlProblem("https://user:pw@example.com", local)).toMatch(/password/);
    expect(hookUrlProblem("not a url", local)).toMatch(/not a URL/);
  });
});

describe.each(DIALECTS)("the calendar feed on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof testApp>;
  let owner: Person;
  let mia: Person;
  let teamId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
    owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const token = (
      await send(owner.api, "POST", "/api/invitations", { teamId, role: "member", email: "mia@example.com" })
    ).json.token as string;
    mia = await signUp(app, { email: "mia@example.com", name: "Mia", inviteToken: token });
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("serves what I may read as valid RFC 5545, the same calendar as my export", async () => {
    const mine = await send(
      owner.api,
      "POST",
      "/api/goals",
      buildGoal({
        title: "Grow the newsletter to 2,000 subscribers by spring with a long title that folds",
        teamId,
        visibility: "team",
        cadenceDays: 7,
      }),
    );
    await send(owner.api, "POST", `/api/goals/${mine.json.id}/steps`, {
      text: "Draft the welcome email",
      dueDate: "2026-11-24",
    });
    const team = await send(
      mia.api,
      "POST",
      "/api/goals",
      buildGoal({ title: "Mia's team goal", teamId, visibility: "team" }),
    );
    await send(mia.api, "POST", `/api/goals/${team.json.id}/steps`, {
      text: "Book the studio",
      dueDate: "2026-12-01",
    });
    const secret = await send(mia.api, "POST", "/api/goals", buildGoal({ title: "Mia's private goal" }));
    await send(mia.api, "POST", `/api/goals/${secret.json.id}/steps`, {
      text: "Private step",
      dueDate: "2026-12-02",
    });

    const made = await send(owner.api, "POST", "/api/calendar/token");
    expect(made.status).toBe(201);
    const path = made.json.path as string;
    expect(path).toBe(`/api/calendar/${made.json.token}.ics`);

    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    const lines = expectValidCalendar(text);
    expect(text.split("\r\n").some((l) => l.startsWith(" "))).toBe(true);
    expect(lines).toContain("DTSTART;VALUE=DATE:20261124");
    expect(lines).toContain("SUMMARY:Draft the welcome email");
    expect(lines).toContain("SUMMARY:Book the studio");
    expect(lines).toContain("DTSTART;VALUE=DATE:20270331");
    expect(lines).toContain("RRULE:FREQ=DAILY;INTERVAL=7;UNTIL=20270331");
    expect(text).not.toContain("Private step");
    expect(text).not.toContain("private goal");

    const exported = await owner.api.request("/api/export?format=ics");
    expect(await exported.text()).toBe(text);
  });

  it.skipIf(skip)("rotates and revokes: an old or revoked URL answers 404", async () => {
    const first = (await send(mia.api, "POST", "/api/calendar/token")).json.path as string;
    expect((await app.request(first)).status).toBe(200);
    const second = (await send(mia.api, "POST", "/api/calendar/token")).json.path as string;
    expect(second).not.toBe(first);
    const old = await app.request(first);
    expect(old.status).toBe(404);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe("calendar_feed_not_found");
    const feed = await (await app.request(second)).text();
    expect(feed).toContain("Private step");

    expect((await send(mia.api, "DELETE", "/api/calendar/token")).json).toEqual({ revoked: true });
    expect((await app.request(second)).status).toBe(404);
    expect((await send(mia.api, "DELETE", "/api/calendar/token")).json).toEqual({ revoked: false });
    expect((await app.request("/api/calendar/tlc_unknownunknownunknownunknown.ics")).status).toBe(404);
    expect((await app.request("/api/calendar/token")).status).toBe(401);
    expect((await app.request("/api/calendar/token", { method: "POST" })).status).toBe(401);
    expect((await send(mia.api, "GET", "/api/calendar/token")).status).toBe(404);
  });
});

describe.each(DIALECTS)("test messages to hooks on %s", (d) => {
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
    // A real HTTP receiver on 127.0.0.1: plain http to this machine is what hook URLs accept
    // outside production (src/app/webhooks/urls.ts).
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

  it.skipIf(skip)("sends a signed test to a webhook at once and lists it in its deliveries", async () => {
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${rx.url}/hook`,
      events: ["goal.created"],
      secret: "a-secret-of-sixteen-chars",
    });
    expect(hook.status).toBe(201);
    const before = rx.requests.length;
    const test = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(test.status).toBe(200);
    expect(test.json).toMatchObject({ state: "delivered", statusCode: 200, error: null });
    expect(rx.requests.length).toBe(before + 1);
    const got = rx.requests.at(-1);
    expect(got?.path).toBe("/hook");
    expect(got?.headers["x-throughline-event"]).toBe("hook.test");
    expect(got?.headers["x-throughline-delivery"]).toBe(test.json.deliveryId);
    expect(got?.headers["x-throughline-signature"]).toBe(
      signBody("a-secret-of-sixteen-chars", got?.body ?? ""),
    );
    const body = JSON.parse(got?.body ?? "{}");
    expect(body).toMatchObject({ type: "hook.test", subject: { type: "webhook", id: hook.json.id } });
    expect(body.payload.sentBy).toBe("Olu");

    const log = await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries`);
    expect(log.json.items?.[0]).toMatchObject({
      eventType: "hook.test",
      state: "delivered",
      statusCode: 200,
      deliveryId: test.json.deliveryId,
    });
    // The scheduler's pass does not send it again, and no other hook hears of it.
    await dispatchWebhooks(ctx, new Date(Date.parse(NOW_PLUS_HOUR)));
    expect(rx.requests.length).toBe(before + 1);
  });

  it.skipIf(skip)("records a failed test once, without retrying it", async () => {
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${rx.url}/broken`,
      events: ["goal.created"],
    });
    rx.status = (path) => (path === "/broken" ? 500 : 200);
    try {
      const test = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
      expect(test.status).toBe(200);
      expect(test.json).toMatchObject({ state: "failed", statusCode: 500, error: "HTTP 500" });
      const log = await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries`);
      expect(log.json.items).toHaveLength(1);
      expect(log.json.items?.[0]).toMatchObject({ state: "failed", statusCode: 500, nextAttemptAt: null });
    } finally {
      rx.status = () => 200;
    }
  });

  it.skipIf(skip)("says why nobody could be reached", async () => {
    // A receiver that has closed: nothing listens on its port any more.
    const gone = await startReceiver();
    await gone.close();
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${gone.url}/nobody`,
      events: ["goal.created"],
    });
    const test = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(test.json).toMatchObject({ state: "failed", statusCode: null });
    expect(test.json.error).toMatch(/ECONNREFUSED/);
  });

  it.skipIf(skip)("refuses people who may not manage the hook", async () => {
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${rx.url}/x`,
      events: ["step.done"],
    });
    const before = rx.requests.length;
    const refused = await send(mia.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(refused.status).toBe(403);
    expect((refused.json as unknown as { error: { message: string } }).error.message).toMatch(
      /Only the workspace owner/,
    );
    expect((await send(lead.api, "POST", `/api/webhooks/${hook.json.id}/test`)).status).toBe(403);
    expect((await send(owner.api, "POST", "/api/webhooks/99999/test")).status).toBe(404);
    await send(lead.api, "PUT", `/api/teams/${teamId}/integrations/teams`, { webhookUrl: `${rx.url}/t` });
    expect((await send(mia.api, "POST", `/api/teams/${teamId}/integrations/teams/test`)).status).toBe(404);
    expect((await send(mia.api, "GET", `/api/teams/${teamId}/integrations/teams/deliveries`)).status).toBe(
      404,
    );
    expect(rx.requests.length).toBe(before);
  });

  it.skipIf(skip)(
    "posts a test to a team's Slack channel and lists it in the channel's deliveries",
    async () => {
      const none = await send(lead.api, "POST", `/api/teams/${teamId}/integrations/slack/test`);
      expect(none.status).toBe(404);
      expect((none.json as unknown as { error: { code: string } }).error.code).toBe("channel_not_found");

      await send(lead.api, "PUT", `/api/teams/${teamId}/integrations/slack`, {
        webhookUrl: `${rx.url}/slack/T0/B0/secret`,
      });
      const test = await send(lead.api, "POST", `/api/teams/${teamId}/integrations/slack/test`);
      expect(test.status).toBe(200);
      expect(test.json.state).toBe("delivered");
      const got = rx.requests.at(-1);
      expect(got?.path).toBe("/slack/T0/B0/secret");
      const message = JSON.parse(got?.body ?? "{}");
      expect(message.blocks[0].text.text).toBe("Throughline is connected");
      expect(message.text).toContain("Lena sent this test message");
      expect(message.text).toContain("Growth");

      const log = await send(owner.api, "GET", `/api/teams/${teamId}/integrations/slack/deliveries`);
      expect(log.status).toBe(200);
      expect(log.json.items?.[0]).toMatchObject({
        eventType: "hook.test",
        state: "delivered",
        statusCode: 200,
      });
    },
  );
});

const NOW_PLUS_HOUR = "2026-11-21T11:00:00.000Z";
