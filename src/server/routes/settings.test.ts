import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { fixedContext } from "../../../test/helpers/factories.js";
import {
  type Client,
  GENEROUS_LIMITS,
  ownerClient,
  type Person,
  signUp,
  testApp,
} from "../../../test/helpers/http.js";
import type { AppContext } from "../../app/context.js";
import { createHttpApp } from "../app.js";

describe.each(DIALECTS)("settings routes on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let owner: Person;
  let other: Person;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store, "2026-11-21T10:00:00.000Z");
    const app = await ownerClient(ctx);
    owner = app.owner;
    const inv = await owner.api.request("/api/invitations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "sam@example.com" }),
    });
    const { token } = (await inv.json()) as { token: string };
    other = await signUp(testApp(ctx), { email: "sam@example.com", name: "Sam", inviteToken: token });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function call(client: Client, method: string, path: string, body?: unknown) {
    const res = await client.request(path, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it.skipIf(skip)("answers the defaults the web app expects", async () => {
    const r = await call(owner.api, "GET", "/api/settings");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      values: [],
      email: "owner@example.com",
      timeZone: "UTC",
      weeklyPrompt: { day: "monday", hour: 9 },
      quietHours: { start: 21, end: 8 },
      channels: { inbox: true, email: true, slack: false, teams: false },
      nudges: {},
      snoozeUntil: null,
      personalChannel: null,
      weeklyReview: null,
      available: { inbox: true, email: false, slack: false, teams: false },
    });
  });

  it.skipIf(skip)("tells the session my time zone, for the web app's times in words", async () => {
    const before = await call(other.api, "GET", "/api/auth/session");
    expect(before.body.timeZone).toBe("UTC");
    await call(other.api, "PATCH", "/api/settings", { timeZone: "America/New_York" });
    const after = await call(other.api, "GET", "/api/auth/session");
    expect(after.body.timeZone).toBe("America/New_York");
    await call(other.api, "PATCH", "/api/settings", { timeZone: "UTC" });
  });

  it.skipIf(skip)("says email is available only on a server that sends email", async () => {
    const withEmail = createHttpApp(ctx, { log: () => {}, limits: GENEROUS_LIMITS, email: true });
    const res = await withEmail.request("/api/settings", {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(((await res.json()) as { available: unknown }).available).toEqual({
      inbox: true,
      email: true,
      slack: false,
      teams: false,
    });
    const patched = await call(owner.api, "PATCH", "/api/settings", { timeZone: "UTC" });
    expect(patched.body.available).toMatchObject({ email: false });
  });

  it.skipIf(skip)("changes only the fields given, from the web app's session too", async () => {
    const r = await call(owner.browser, "PATCH", "/api/settings", {
      values: ["growth", "Growth", "independence"],
      timeZone: "Europe/Berlin",
      weeklyPrompt: { day: "friday" },
      channels: { email: false, slack: false, teams: false },
      nudges: { "weekly-digest": { email: true }, "step-overdue": { inbox: false } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      values: ["Growth", "independence"],
      timeZone: "Europe/Berlin",
      weeklyPrompt: { day: "friday", hour: 9 },
      quietHours: { start: 21, end: 8 },
      channels: { inbox: true, email: false, slack: false, teams: false },
      nudges: { "weekly-digest": { email: true }, "step-overdue": { inbox: false } },
    });
    const q = await call(owner.api, "PATCH", "/api/settings", {
      quietHours: null,
      weeklyPrompt: { day: 0, hour: 18 },
    });
    expect(q.body).toMatchObject({
      quietHours: null,
      weeklyPrompt: { day: "sunday", hour: 18 },
      timeZone: "Europe/Berlin",
    });
    // Somebody else's settings are untouched.
    expect((await call(other.api, "GET", "/api/settings")).body).toMatchObject({
      timeZone: "UTC",
      values: [],
    });
  });

  it.skipIf(skip)("refuses an unknown time zone, hour, weekday or field, saying how to fix it", async () => {
    const tz = await call(owner.api, "PATCH", "/api/settings", { timeZone: "Mars/Olympus" });
    expect(tz.status).toBe(400);
    expect(JSON.stringify(tz.body)).toContain("IANA name");
    expect(
      (await call(owner.api, "PATCH", "/api/settings", { quietHours: { start: 24, end: 8 } })).status,
    ).toBe(400);
    expect(
      (await call(owner.api, "PATCH", "/api/settings", { weeklyPrompt: { day: "someday" } })).status,
    ).toBe(400);
    expect(
      (await call(owner.api, "PATCH", "/api/settings", { nudges: { "step-late": { email: false } } })).status,
    ).toBe(400);
    expect((await call(owner.api, "PATCH", "/api/settings", { colour: "blue" })).status).toBe(400);
  });

  it.skipIf(skip)("snoozes until a future time, at most 90 days, and ends a snooze with null", async () => {
    const ok = await call(other.api, "POST", "/api/snooze", { until: "2026-11-23T08:00:00+01:00" });
    expect(ok.status).toBe(200);
    expect(ok.body.snoozeUntil).toBe("2026-11-23T07:00:00.000Z");
    const past = await call(other.api, "POST", "/api/snooze", { until: "2026-11-20T08:00:00Z" });
    expect(past).toMatchObject({ status: 422, body: { error: { code: "snooze_in_past" } } });
    const far = await call(other.api, "POST", "/api/snooze", { until: "2027-06-01T08:00:00Z" });
    expect(far).toMatchObject({ status: 422, body: { error: { code: "snooze_too_long" } } });
    expect((await call(other.api, "POST", "/api/snooze", { until: "tomorrow" })).status).toBe(400);
    expect((await call(other.api, "POST", "/api/snooze", { until: null })).body.snoozeUntil).toBeNull();
  });

  it.skipIf(skip)("needs a signed-in person, except for the unsubscribe link", async () => {
    const anon = testApp(ctx);
    expect((await anon.request("/api/settings")).status).toBe(401);
    expect((await anon.request("/api/snooze", { method: "POST" })).status).toBe(401);
    expect((await anon.request("/api/unsubscribe/un_unknown")).status).toBe(404);
    expect((await anon.request("/api/unsubscribe/un_unknown", { method: "POST" })).status).toBe(404);
  });
});
