/**
 * Issue 15: the delegation loop (asked, accepted, questioned, done, each side told), feedback and
 * witnesses told, notices read when acted on, My week in one answer, and the check-in's next step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";

type J = Record<string, unknown> & { id: number };
type Answer = J & { items?: J[] };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Answer };
};
/** Saturday 2026-11-21: this week runs to Sunday 22; "next week" is 23–29. */
const NEXT_WEEK = "2026-11-25";

describe.each(DIALECTS)("the delegation loop and notices on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let lead: Person;
  let mia: Person;
  let sam: Person;
  let teamId: number;

  const inbox = async (p: Person) => (await send(p.api, "GET", "/api/inbox")).json.items ?? [];
  const week = async (p: Person) =>
    (await send(p.api, "GET", "/api/week")).json as Answer & Record<string, never>;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    lead = await signUp(app, { email: "lead@example.com", name: "Lena" });
    const team = await send(lead.api, "POST", "/api/teams", { name: "Growth" });
    teamId = team.json.id;
    const invite = async (email: string) =>
      (await send(lead.api, "POST", "/api/invitations", { teamId, role: "member", email })).json
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

  async function delegated(text: string, dueDate = NEXT_WEEK) {
    const goal = await send(lead.api, "POST", "/api/goals", buildGoal({ visibility: "team", teamId }));
    const step = await send(lead.api, "POST", `/api/goals/${goal.json.id}/steps`, { text, dueDate });
    const del = await send(lead.api, "POST", `/api/steps/${step.json.id}/delegate`, {
      assigneeId: mia.userId,
      doneLooksLike: "Booked and confirmed by email",
    });
    expect(del.status).toBe(201);
    return { goalId: goal.json.id, stepId: step.json.id, delegationId: del.json.id };
  }

  it.skipIf(skip)(
    "keeps an accepted step due next week on the assignee's week until done, telling the delegator each turn",
    async () => {
      const { stepId, delegationId } = await delegated("Book the venue for the launch");
      const askedOf = (w: Record<string, unknown>) =>
        ((w.delegations as { askedOfMe: J[] }).askedOfMe ?? []).map((x) => x.id);

      await send(mia.api, "POST", `/api/delegations/${delegationId}/clarify`, { question: "Which day?" });
      expect((await inbox(lead)).find((n) => n.subjectId === delegationId)).toMatchObject({
        type: "delegation.clarification-asked",
        message: expect.stringContaining("Which day?"),
      });
      await send(lead.api, "POST", `/api/delegations/${delegationId}/answer`, { answer: "The 25th" });

      await send(mia.api, "POST", `/api/delegations/${delegationId}/accept`);
      expect(
        (await inbox(lead)).some((n) => n.type === "delegation.accepted" && n.subjectId === delegationId),
      ).toBe(true);
      const accepted = await week(mia);
      expect(askedOf(accepted)).toContain(delegationId);
      expect(accepted.people).toEqual(expect.arrayContaining([{ id: lead.userId, name: "Lena" }]));
      const byMe = (await week(lead)).delegations as unknown as { askedByMe: J[] };
      expect(byMe.askedByMe.map((x) => x.id)).toContain(delegationId);

      expect((await send(mia.api, "POST", `/api/steps/${stepId}/done`, {})).status).toBe(200);
      const told = (await inbox(lead)).find((n) => n.type === "delegation.done");
      expect(told).toMatchObject({ subjectType: "step", subjectId: stepId, readAt: null });
      expect(told?.message).toBe(
        'Mia finished "Book the venue for the launch" on "Grow the newsletter to 2,000 subscribers", the step you delegated.',
      );
      expect(askedOf(await week(mia))).not.toContain(delegationId);
      const del = await send(lead.api, "GET", `/api/delegations/${delegationId}`);
      expect(del.json).toMatchObject({ state: "accepted", done: true, open: false });
    },
  );

  it.skipIf(skip)("tells the delegator when the step is marked done by a status change", async () => {
    const b = await delegated("Print the badges");
    await send(mia.api, "POST", `/api/delegations/${b.delegationId}/accept`);
    expect((await send(mia.api, "PATCH", `/api/steps/${b.stepId}`, { status: "done" })).status).toBe(200);
    const done = (await inbox(lead)).filter((n) => n.type === "delegation.done").map((n) => n.subjectId);
    expect(done).toContain(b.stepId);
  });

  it.skipIf(skip)(
    "lists a team's open delegations per person, never one on a goal the reader cannot see",
    async () => {
      const open = await delegated("Call the caterer");
      const hidden = await send(lead.api, "POST", "/api/goals", buildGoal({ visibility: "private" }));
      const step = await send(lead.api, "POST", `/api/goals/${hidden.json.id}/steps`, {
        text: "Secret errand",
      });
      await send(lead.api, "POST", `/api/steps/${step.json.id}/delegate`, {
        assigneeId: mia.userId,
        doneLooksLike: "Done quietly",
      });
      const forLead = await send(lead.api, "GET", `/api/teams/${teamId}/delegations`);
      expect(forLead.status).toBe(200);
      const mine = forLead.json.items?.find((x) => x.id === open.delegationId);
      expect(mine).toMatchObject({ assigneeName: "Mia", delegatorName: "Lena", open: true });
      expect(forLead.json.items?.some((x) => x.what === "Secret errand")).toBe(true);
      const forSam = await send(sam.api, "GET", `/api/teams/${teamId}/delegations`);
      expect(forSam.status).toBe(200);
      expect(forSam.json.items?.some((x) => x.what === "Secret errand")).toBe(false);
      expect(forSam.json.items?.some((x) => x.id === open.delegationId)).toBe(true);
    },
  );

  it.skipIf(skip)("tells a check-in's author about comments and kudos, once per kudos", async () => {
    const goal = await send(mia.api, "POST", "/api/goals", buildGoal({ visibility: "team", teamId }));
    const checkin = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      doneText: "Drafted it",
    });
    await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/comments`, { body: "Nice draft!" });
    await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/kudos`);
    await send(sam.api, "POST", `/api/checkins/${checkin.json.id}/kudos`);
    const about = (await inbox(mia)).filter(
      (n) => n.subjectType === "checkin" && n.subjectId === checkin.json.id,
    );
    expect(about.map((n) => n.type).sort()).toEqual(["checkin.commented", "checkin.kudos"]);
    expect(about.find((n) => n.type === "checkin.commented")?.message).toMatch(
      /^Sam commented .*Nice draft!/,
    );
    expect(about.find((n) => n.type === "checkin.kudos")?.payload).toMatchObject({ goalId: goal.json.id });
  });

  it.skipIf(skip)("tells a witness when they are named in a commitment", async () => {
    const c = await send(mia.api, "POST", "/api/commitments", {
      text: "Publish the launch post",
      dueDate: "2026-11-27",
      witnessUserIds: [sam.userId],
    });
    expect(c.status).toBe(201);
    const n = (await inbox(sam)).find((x) => x.type === "commitment.witness" && x.subjectId === c.json.id);
    expect(n?.message).toBe(
      'Mia committed to "Publish the launch post" by 2026-11-27, with you as a witness.',
    );
  });

  it.skipIf(skip)(
    "marks a notice read when opened, or when the delegation it names is answered",
    async () => {
      const { delegationId } = await delegated("Order the banners");
      const asked = (await inbox(mia)).find(
        (n) => n.type === "delegation.asked" && n.subjectId === delegationId,
      );
      expect(asked?.readAt).toBeNull();
      await send(mia.api, "POST", `/api/delegations/${delegationId}/accept`);
      const after = (await inbox(mia)).find((n) => n.id === asked?.id);
      expect(after?.readAt).not.toBeNull();

      const other = await delegated("Order the stickers");
      const n = (await inbox(mia)).find((x) => x.subjectId === other.delegationId);
      expect((await send(mia.api, "POST", `/api/inbox/${n?.id}/read`)).status).toBe(200);
      expect((await inbox(mia)).find((x) => x.id === n?.id)?.readAt).not.toBeNull();
      expect((await send(sam.api, "POST", `/api/inbox/${n?.id}/read`)).status).toBe(404);
    },
  );

  it.skipIf(skip)("turns a check-in's next step into a step due when asked, on My week", async () => {
    const goal = await send(mia.api, "POST", "/api/goals", buildGoal({ title: "Launch the podcast" }));
    const c = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      nextStep: "Record the pilot episode",
      nextStepDue: "2026-11-22",
    });
    expect(c.status).toBe(201);
    const task = c.json.nextStepTask as unknown as J;
    expect(task).toMatchObject({
      text: "Record the pilot episode",
      dueDate: "2026-11-22",
      ownerId: mia.userId,
    });
    const steps = ((await week(mia)).steps as unknown as J[]).map((s) => s.id);
    expect(steps).toContain(task.id);
    // The same next step again is the same step, not a second one.
    const again = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      nextStep: "record the pilot episode",
      nextStepDue: "2026-11-23",
    });
    expect((again.json.nextStepTask as unknown as J).id).toBe(task.id);
    // Without a due date the next step stays text, as before.
    const plain = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      nextStep: "Book a guest",
    });
    expect(plain.json.nextStepTask).toBeNull();

    const past = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      nextStep: "Edit it",
      nextStepDue: "2026-11-01",
    });
    expect(past.status).toBe(422);
    expect((past.json.error as { message: string }).message).toMatch(/has passed/);
    const lone = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
      nextStepDue: "2026-11-30",
    });
    expect(lone.status).toBe(422);
  });

  it.skipIf(skip)("bounds a late check-in by the goal's start and today, saying how to fix it", async () => {
    const goal = await send(mia.api, "POST", "/api/goals", buildGoal({ startDate: "2026-11-10" }));
    const early = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, { date: "2026-11-09" });
    expect(early.status).toBe(422);
    expect((early.json.error as { message: string }).message).toMatch(/Use 2026-11-10 or a later day/);
    const future = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, { date: "2026-11-22" });
    expect(future.status).toBe(422);
    const late = await send(mia.api, "POST", `/api/goals/${goal.json.id}/checkins`, { date: "2026-11-10" });
    expect(late.status).toBe(201);
    const w = await week(mia);
    const g = (w.goals as unknown as { goal: J; lastCheckin: { date: string }; checkinDue: string }[]).find(
      (x) => x.goal.id === goal.json.id,
    );
    expect(g?.lastCheckin.date).toBe("2026-11-10");
    expect(g?.checkinDue).toBe("2026-11-17");
  });
});
