import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J & { items?: J[] } };
};

describe.each(DIALECTS)("working together on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let lead: Person;
  let mia: Person;
  let sam: Person;
  let teamId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    lead = await signUp(app, { email: "lead@example.com", name: "Lena" });
    const team = await send(lead.api, "POST", "/api/teams", { name: "Growth" });
    teamId = team.json.id;
    const invite = async (email: string) =>
      (await send(lead.api, "POST", "/api/invitations", { teamId: team.json.id, role: "member", email })).json
        .token as string;
    mia = await signUp(app, {
      email: "mia@example.com",
      name: "Mia",
      inviteToken: await invite("mia@example.com"),
    });
    sam = await signUp(app, {
      email: "sam@example.com",
      name: "Sam",
      inviteToken: await invite("sam@example.com"),
    });
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "delegates a step with expectations; the assignee asks, hears back, accepts and finishes it",
    async () => {
      const goal = await send(lead.api, "POST", "/api/goals", buildGoal({ visibility: "private" }));
      const step = await send(lead.api, "POST", `/api/goals/${goal.json.id}/steps`, {
        text: "Call Dana to book the venue",
        dueDate: "2026-11-27",
      });
      expect((await send(mia.api, "GET", `/api/goals/${goal.json.id}`)).status).toBe(404);

      const del = await send(lead.api, "POST", `/api/steps/${step.json.id}/delegate`, {
        assigneeId: mia.userId,
        why: "The launch needs a room",
        doneLooksLike: "A signed booking for 40 people",
      });
      expect(del.status).toBe(201);
      expect(del.json).toMatchObject({
        state: "proposed",
        what: "Call Dana to book the venue",
        dueDate: "2026-11-27",
        how: "How you do it is up to you.",
      });
      const inbox = await send(mia.api, "GET", "/api/inbox");
      expect(inbox.json.items?.[0]).toMatchObject({ type: "delegation.asked" });
      expect((await send(mia.api, "GET", `/api/goals/${goal.json.id}`)).status).toBe(200);

      const asked = await send(mia.api, "POST", `/api/delegations/${del.json.id}/clarify`, {
        question: "Is 35 people enough?",
      });
      expect(asked.json.state).toBe("clarification-asked");
      expect((await send(lead.api, "GET", `/api/delegations/${del.json.id}`)).json.question).toBe(
        "Is 35 people enough?",
      );
      expect(
        (await send(mia.api, "POST", `/api/delegations/${del.json.id}/answer`, { answer: "x" })).status,
      ).toBe(403);
      await send(lead.api, "POST", `/api/delegations/${del.json.id}/answer`, { answer: "40, please" });
      expect((await send(lead.api, "POST", `/api/delegations/${del.json.id}/accept`)).status).toBe(403);
      const accepted = await send(mia.api, "POST", `/api/delegations/${del.json.id}/accept`);
      expect(accepted.json.state).toBe("accepted");
      expect((await send(lead.api, "GET", `/api/steps/${step.json.id}`)).json).toMatchObject({
        ownerId: mia.userId,
        delegationState: "accepted",
      });

      expect(
        (await send(mia.api, "PATCH", `/api/steps/${step.json.id}`, { text: "Something else" })).status,
      ).toBe(404);
      const done = await send(mia.api, "POST", `/api/steps/${step.json.id}/done`, {});
      expect(done.json.status).toBe("done");
      expect((await send(sam.api, "GET", `/api/delegations/${del.json.id}`)).status).toBe(404);
    },
  );

  it.skipIf(skip)("hands a whole goal over when its delegation is accepted", async () => {
    const goal = await send(
      lead.api,
      "POST",
      "/api/goals",
      buildGoal({ title: "Run the Q1 hiring loop", visibility: "private" }),
    );
    const del = await send(lead.api, "POST", `/api/goals/${goal.json.id}/delegate`, {
      assigneeId: sam.userId,
      doneLooksLike: "Two offers signed",
    });
    await send(sam.api, "POST", `/api/delegations/${del.json.id}/accept`);
    expect((await send(sam.api, "GET", `/api/goals/${goal.json.id}`)).json.ownerId).toBe(sam.userId);
    expect(
      (await send(sam.api, "PATCH", `/api/goals/${goal.json.id}`, { title: "Run the Q1 hiring loop well" }))
        .status,
    ).toBe(200);
    expect((await send(lead.api, "GET", `/api/goals/${goal.json.id}`)).status).toBe(200);
    expect(
      (await send(lead.api, "PATCH", `/api/goals/${goal.json.id}`, { title: "Mine again" })).status,
    ).toBe(404);
  });

  it.skipIf(skip)(
    "lets an accountability partner read and cheer a private goal, but not change it",
    async () => {
      const goal = await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Run a 10k by June", visibility: "private" }),
      );
      const checkin = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
        doneText: "Ran 5 km",
      });
      expect((await send(sam.api, "GET", `/api/goals/${goal.json.id}/plan`)).status).toBe(404);
      expect((await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/kudos`)).status).toBe(404);
      await send(mia.api, "POST", `/api/goals/${goal.json.id}/shares`, {
        userId: sam.userId,
        role: "partner",
      });
      expect((await send(sam.api, "GET", `/api/goals/${goal.json.id}/plan`)).status).toBe(200);
      expect((await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/kudos`)).status).toBe(200);
      expect(
        (await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/comments`, { body: "Great pace!" }))
          .status,
      ).toBe(201);
      expect(
        (await send(sam.api, "PATCH", `/api/goals/${goal.json.id}`, { title: "Walk a 10k" })).status,
      ).toBe(404);
      expect((await send(lead.api, "GET", `/api/goals/${goal.json.id}`)).status).toBe(404);
    },
  );

  it.skipIf(skip)("tells followers what changed and why", async () => {
    const goal = await send(
      mia.api,
      "POST",
      "/api/goals",
      buildGoal({ title: "Ship the onboarding guide", visibility: "team", teamId }),
    );
    expect(goal.status).toBe(201);
    expect((await send(sam.api, "POST", `/api/goals/${goal.json.id}/follow`)).status).toBe(200);
    await send(mia.api, "PATCH", `/api/goals/${goal.json.id}`, {
      dueDate: "2027-04-30",
      reason: "Legal review moved",
    });
    const notices = (await send(sam.api, "GET", "/api/inbox?unread=true")).json.items ?? [];
    const change = notices.find((n) => n.type === "goal.changed");
    expect(change?.message).toMatch(/due date from 2027-03-31 to 2027-04-30 because Legal review moved/);
    expect((await send(sam.api, "POST", "/api/inbox/read", {})).json.marked).toBeGreaterThan(0);

    // Once the goal is private, Sam (a follower who can no longer read it) hears nothing more.
    await send(mia.api, "PATCH", `/api/goals/${goal.json.id}`, { visibility: "private" });
    await send(mia.api, "PATCH", `/api/goals/${goal.json.id}`, {
      dueDate: "2027-05-31",
      reason: "SECRET-REASON",
    });
    const after = (await send(sam.api, "GET", "/api/inbox?unread=true")).json.items ?? [];
    expect(JSON.stringify(after)).not.toContain("SECRET-REASON");
  });

  it.skipIf(skip)("tells witnesses when a commitment is kept, and hides it from others", async () => {
    const c = await send(mia.api, "POST", "/api/commitments", {
      text: "Publish the guide",
      dueDate: "2026-11-28",
      witnessUserIds: [lead.userId],
    });
    expect(c.status).toBe(201);
    expect((await send(sam.api, "GET", "/api/commitments")).json.items?.some((x) => x.id === c.json.id)).toBe(
      false,
    );
    expect(
      (await send(lead.api, "GET", "/api/commitments")).json.items?.some((x) => x.id === c.json.id),
    ).toBe(true);
    expect(
      (await send(lead.api, "POST", `/api/commitments/${c.json.id}/resolve`, { status: "kept" })).status,
    ).toBe(404);
    await send(mia.api, "POST", `/api/commitments/${c.json.id}/resolve`, { status: "kept" });
    const notices = (await send(lead.api, "GET", "/api/inbox")).json.items ?? [];
    expect(
      notices.some((n) => n.type === "commitment.kept" && String(n.message).includes("Publish the guide")),
    ).toBe(true);
  });
});
