import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";

// biome-ignore lint/suspicious/noExplicitAny: API JSON read loosely; each test states what it expects
type J = Record<string, any>;
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J };
};

describe.each(DIALECTS)("the team view on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let lead: Person;
  let mia: Person;
  let sam: Person;
  let teamId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    lead = await signUp(app, { email: "lead@example.com", name: "Lena" });
    teamId = (await send(lead.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const invite = async (email: string, team: number | null) =>
      (await send(lead.api, "POST", "/api/invitations", { teamId: team, role: "member", email })).json
        .token as string;
    mia = await signUp(app, {
      email: "mia@example.com",
      name: "Mia",
      inviteToken: await invite("mia@example.com", teamId),
    });
    sam = await signUp(app, {
      email: "sam@example.com",
      name: "Sam",
      inviteToken: await invite("sam@example.com", null),
    });

    // Lena's objective for the team, and a workspace goal that serves nothing (an orphan).
    ids.objective = (
      await send(
        lead.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Reach 5,000 readers", teamId, visibility: "team" }),
      )
    ).json.id;
    ids.orphan = (
      await send(
        lead.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Tidy the style guide", visibility: "workspace" }),
      )
    ).json.id;

    // Mia's team goal, aligned to the objective: one step kept, one missed, a check-in at risk with an obstacle hit.
    ids.team = (
      await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({
          title: "Launch the referral programme",
          teamId,
          visibility: "team",
          parentId: ids.objective,
        }),
      )
    ).json.id;
    // Her steps were written at the start of the month (a step cannot be done before it existed).
    const early = testApp(fixedContext(db.store, "2026-11-02T09:00:00.000Z"));
    const miaEarly: Client = {
      request: (path, init) =>
        early.request(path, { ...init, headers: { ...init?.headers, authorization: `Bearer ${mia.token}` } }),
    };
    const kept = await send(miaEarly, "POST", `/api/goals/${ids.team}/steps`, {
      text: "Email Raj the deck",
      dueDate: "2026-11-10",
    });
    expect(
      (await send(mia.api, "POST", `/api/steps/${kept.json.id}/done`, { date: "2026-11-09" })).status,
    ).toBe(200);
    await send(mia.api, "POST", `/api/goals/${ids.team}/steps`, {
      text: "Call Dana about the venue",
      dueDate: "2026-11-12",
    });
    const barrier = await send(mia.api, "POST", `/api/goals/${ids.team}/barriers`, {
      obstacle: "The designer is away",
      planB: "If the designer is away, then I use last year's template",
      likelihood: "medium",
    });
    ids.barrier = barrier.json.id;
    await send(mia.api, "POST", `/api/goals/${ids.team}/checkins`, {
      date: "2026-11-05",
      confidence: "at-risk",
      barriersHit: [barrier.json.id],
    });

    // Mia's private goal: its missed step and its name must never reach the team view.
    ids.private = (
      await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Secret job search", visibility: "private", teamId }),
      )
    ).json.id;
    await send(mia.api, "POST", `/api/goals/${ids.private}/steps`, {
      text: "Update my CV",
      dueDate: "2026-11-11",
    });
    await send(mia.api, "POST", `/api/goals/${ids.private}/shares`, { userId: lead.userId });
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "shows each person's follow-through and trend, and the team's goals in trouble",
    async () => {
      const r = await send(lead.api, "GET", `/api/teams/${teamId}/overview?asOf=2026-11-21&weeks=3`);
      expect(r.status).toBe(200);
      const o = r.json;
      expect(o).toMatchObject({
        team: { id: teamId, name: "Growth" },
        from: "2026-11-01",
        to: "2026-11-21",
        weeks: 3,
      });
      const miaRow = o.people.find((p: J) => p.userId === mia.userId);
      expect(miaRow).toMatchObject({
        name: "Mia",
        role: "member",
        kept: 1,
        missed: 1,
        followThroughRate: 0.5,
      });
      expect(miaRow.trend.map((w: J) => w.weekStart)).toEqual([
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
      ]);
      expect(miaRow.trend[2]).toMatchObject({ kept: 1, missed: 1 });
      expect(o.people.find((p: J) => p.userId === lead.userId)).toMatchObject({
        name: "Lena",
        role: "owner",
      });
      expect(o.people.some((p: J) => p.userId === sam.userId)).toBe(false);

      expect(o.missedCheckins.map((g: J) => g.goalId)).toContain(ids.team);
      expect(o.missedCheckins.find((g: J) => g.goalId === ids.team)).toMatchObject({
        ownerName: "Mia",
        lastCheckin: "2026-11-05",
        dueOn: "2026-11-12",
      });
      expect(o.atRisk.find((g: J) => g.goalId === ids.team)).toMatchObject({ confidence: "at-risk" });
      expect(o.obstacles).toEqual([
        expect.objectContaining({
          goalId: ids.team,
          barrierId: ids.barrier,
          planB: expect.stringContaining("template"),
        }),
      ]);
      expect(o.wins).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: "step-done", goalId: ids.team })]),
      );
    },
  );

  it.skipIf(skip)("draws the alignment tree and names the goals that serve no objective", async () => {
    const o = (await send(lead.api, "GET", `/api/teams/${teamId}/overview?asOf=2026-11-21`)).json;
    const byId = new Map(o.alignment.goals.map((g: J) => [g.goalId, g]));
    expect(byId.get(ids.team)).toMatchObject({ parentId: ids.objective, ownerName: "Mia" });
    expect(o.alignment.orphans).toEqual([ids.orphan]);
  });

  it.skipIf(skip)("never shows a member's private goal, even to a leader it is shared with", async () => {
    // Shared with Lena, so she may open it; the team view still leaves it out.
    expect((await send(lead.api, "GET", `/api/goals/${ids.private}`)).status).toBe(200);
    const o = (await send(lead.api, "GET", `/api/teams/${teamId}/overview?asOf=2026-11-21&weeks=3`)).json;
    expect(JSON.stringify(o)).not.toContain("Secret job search");
    expect(JSON.stringify(o)).not.toContain("Update my CV");
    const goalIds = [
      ...o.alignment.goals,
      ...o.stalled,
      ...o.missedCheckins,
      ...o.atRisk,
      ...o.obstacles,
      ...o.wins,
    ].map((g: J) => g.goalId);
    expect(goalIds).not.toContain(ids.private);
    // The private goal's missed step does not lower Mia's rate either.
    expect(o.people.find((p: J) => p.userId === mia.userId)).toMatchObject({ kept: 1, missed: 1 });
  });

  it.skipIf(skip)(
    "answers 304 with no body to a reader holding the current ETag, and 200 with a new one after a write",
    async () => {
      const path = `/api/teams/${teamId}/overview`;
      const get = (c: Client, tag?: string) =>
        c.request(path, tag === undefined ? {} : { headers: { "if-none-match": tag } });
      const first = await get(lead.api);
      expect(first.status).toBe(200);
      const tag = first.headers.get("etag") as string;
      expect(tag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get("cache-control")).toBe("private, no-cache");
      const body = await first.text();
      // The same answer to the same reader, through the browser's session too: the same tag.
      const again = await get(lead.browser, tag);
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(tag);
      expect(await again.text()).toBe("");
      expect((await get(lead.api, `W/${tag}`)).status).toBe(304);
      // Any write that changes the answer: 200 with the new answer and a new tag.
      const checkin = await send(mia.api, "POST", `/api/goals/${ids.team}/checkins`, {
        date: "2026-11-20",
        confidence: "off-track",
      });
      expect(checkin.status).toBe(201);
      const after = await get(lead.api, tag);
      expect(after.status).toBe(200);
      const newTag = after.headers.get("etag") as string;
      expect(newTag).not.toBe(tag);
      const o = (await after.json()) as J;
      expect(o.atRisk.find((g: J) => g.goalId === ids.team)).toMatchObject({ confidence: "off-track" });
      expect(JSON.stringify(o)).not.toBe(body);
      expect((await get(lead.api, newTag)).status).toBe(304);
    },
  );

  it.skipIf(skip)("is read by the team's members and the workspace owner; others get 404", async () => {
    expect((await send(mia.api, "GET", `/api/teams/${teamId}/overview`)).status).toBe(200);
    const outsider = await send(sam.api, "GET", `/api/teams/${teamId}/overview`);
    expect(outsider.status).toBe(404);
    expect(outsider.json.error.code).toBe("team_not_found");
    expect((await send(lead.api, "GET", "/api/teams/999999/overview")).status).toBe(404);
    const bad = await send(lead.api, "GET", `/api/teams/${teamId}/overview?weeks=60`);
    expect(bad.status).toBe(400);
  });
});
