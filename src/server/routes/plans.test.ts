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

/** A whole plan as the plan builder sends it. */
function buildPlan(over: Record<string, unknown> = {}) {
  return {
    goal: buildGoal({
      title: "Grow podcast downloads from 300 to 500 per episode",
      successLooksLike: "Every episode has 500 downloads in its first week.",
      priority: "high",
    }),
    keyResults: [{ title: "Downloads per episode", startValue: 300, targetValue: 500, unit: "downloads" }],
    steps: [
      {
        text: "Email three podcast hosts to propose a guest swap",
        dueDate: "2026-11-25",
        estimateMinutes: 30,
      },
      { text: "Send the download numbers to Dana", every: "every Monday", dueDate: "2026-11-23" },
    ],
    barriers: [
      {
        obstacle: "A guest cancels",
        planB: "If a guest cancels, then I publish a solo episode",
        likelihood: "high",
      },
    ],
    resources: [{ kind: "person", name: "Priya", ask: "Introduce me to her producer" }],
    ...over,
  };
}

describe.each(DIALECTS)("POST /api/plans on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let lead: Person;
  let mia: Person;
  let teamId: number;

  /** Every goal the lead can see, and the rows of each part, to prove a refusal stored nothing. */
  async function stored() {
    const goals = (await send(lead.api, "GET", "/api/goals?limit=500")).json.items as J[];
    const steps = (await send(lead.api, "GET", "/api/steps?all=true&limit=500")).json.items as J[];
    return { goals: goals.length, steps: steps.length };
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    lead = await signUp(app, { email: "lead@example.com", name: "Lena" });
    teamId = (await send(lead.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const token = (
      await send(lead.api, "POST", "/api/invitations", { teamId, role: "member", email: "mia@example.com" })
    ).json.token as string;
    mia = await signUp(app, { email: "mia@example.com", name: "Mia", inviteToken: token });
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "saves the goal and every part in one request, answering the plan and the coach's warnings",
    async () => {
      const r = await send(lead.api, "POST", "/api/plans", buildPlan());
      expect(r.status).toBe(201);
      const plan = r.json;
      expect(plan.goal).toMatchObject({
        title: "Grow podcast downloads from 300 to 500 per episode",
        why: "Readers fund the work; sponsors need a bigger audience",
        successLooksLike: "Every episode has 500 downloads in its first week.",
        priority: "high",
        dueDate: "2027-03-31",
        ownerId: lead.userId,
      });
      expect(plan.keyResults).toMatchObject([{ title: "Downloads per episode", direction: "increase" }]);
      expect(plan.steps.map((s: J) => s.text)).toEqual([
        "Email three podcast hosts to propose a guest swap",
        "Send the download numbers to Dana",
      ]);
      expect(plan.steps[0]).toMatchObject({ estimateMinutes: 30, dueDate: "2026-11-25", position: 1 });
      expect(plan.steps[1].recurrence).toMatch(/FREQ=WEEKLY/);
      expect(plan.steps.every((s: J) => Array.isArray(s.warnings))).toBe(true);
      expect(plan.barriers).toMatchObject([{ obstacle: "A guest cancels", likelihood: "high" }]);
      expect(plan.resources).toMatchObject([{ kind: "person", name: "Priya" }]);
      expect(plan.checkins).toEqual([]);
      expect(Array.isArray(plan.warnings)).toBe(true);

      // The same plan as GET /api/goals/{id}/plan reads it, findings aside.
      const read = await send(lead.api, "GET", `/api/goals/${plan.goal.id}/plan`);
      const { warnings: _w, ...rest } = plan;
      expect({ ...rest, steps: rest.steps.map(({ warnings: _s, ...s }: J) => s) }).toEqual(read.json);
    },
  );

  it.skipIf(skip)("gives a step to a teammate, who sees it as theirs", async () => {
    const r = await send(
      lead.api,
      "POST",
      "/api/plans",
      buildPlan({
        goal: buildGoal({ title: "Run the referral programme", teamId, visibility: "team" }),
        steps: [{ text: "Write the referral email", ownerId: mia.userId, dueDate: "2026-11-24" }],
        keyResults: [],
        barriers: [],
        resources: [],
      }),
    );
    expect(r.status).toBe(201);
    expect(r.json.steps[0]).toMatchObject({ ownerId: mia.userId });
    const hers = await send(mia.api, "GET", `/api/steps?owner=${mia.userId}`);
    expect(hers.json.items.map((s: J) => s.text)).toContain("Write the referral email");
  });

  it.skipIf(skip)("refuses a plan with an empty step, naming the step, and stores nothing", async () => {
    const before = await stored();
    const plan = buildPlan();
    plan.steps = [plan.steps[0], { text: "  ", dueDate: "2026-11-25" }] as never;
    const r = await send(lead.api, "POST", "/api/plans", plan);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^Step 2, text: is empty\. Write something here\./);
    expect(r.json.error.details.issues[0]).toMatchObject({ part: "steps[1]", field: "steps.1.text" });
    expect(await stored()).toEqual(before);
  });

  it.skipIf(skip)(
    "refuses a rule broken deep in the plan (an owner not in the workspace) and stores nothing",
    async () => {
      const before = await stored();
      const plan = buildPlan();
      plan.steps = [
        ...plan.steps,
        { text: "Call the sponsor", ownerId: 99_999, dueDate: "2026-11-26" } as never,
      ];
      const r = await send(lead.api, "POST", "/api/plans", plan);
      expect(r.status).toBe(422);
      expect(r.json.error.code).toBe("person_not_found");
      expect(r.json.error.message).toMatch(/^Step 3: No person with id 99999/);
      expect(r.json.error.details.part).toBe("steps[2]");
      expect(await stored()).toEqual(before);
    },
  );

  it.skipIf(skip)("refuses a key result whose target equals its start, naming it", async () => {
    const before = await stored();
    const r = await send(
      lead.api,
      "POST",
      "/api/plans",
      buildPlan({ keyResults: [{ title: "Downloads", startValue: 300, targetValue: 300 }] }),
    );
    expect(r.status).toBe(422);
    expect(r.json.error.message).toMatch(/^Key result 1: The target equals the start value/);
    expect(await stored()).toEqual(before);
  });

  it.skipIf(skip)("refuses a repeat it cannot read, saying how to write it", async () => {
    const plan = buildPlan();
    plan.steps = [{ text: "Send the numbers", every: "whenever I feel like it" } as never];
    const r = await send(lead.api, "POST", "/api/plans", plan);
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe("bad_recurrence");
    expect(r.json.error.message).toMatch(/^Step 1: /);
  });

  it.skipIf(skip)(
    "finishes a plan: changes the goal and adds only the new parts, in one request",
    async () => {
      const bare = (
        await send(lead.api, "POST", "/api/goals", { title: "Newsletter", dueDate: "2027-01-31" })
      ).json;
      await send(lead.api, "POST", `/api/goals/${bare.id}/steps`, { text: "Draft the welcome email" });
      const r = await send(lead.api, "POST", `/api/goals/${bare.id}/plan`, {
        goal: { why: "Readers fund the writing.", successLooksLike: "2,000 readers on Tuesday." },
        keyResults: [{ title: "Subscribers", startValue: 1200, targetValue: 2000 }],
        steps: [{ text: "Ask Mei for two guest-post introductions", ownerId: mia.userId }],
        barriers: [{ obstacle: "Client work", planB: "If I miss Tuesday, then I write on Thursday" }],
      });
      expect(r.status).toBe(200);
      expect(r.json.goal).toMatchObject({
        why: "Readers fund the writing.",
        successLooksLike: "2,000 readers on Tuesday.",
      });
      expect(r.json.steps.map((s: J) => s.text)).toEqual([
        "Draft the welcome email",
        "Ask Mei for two guest-post introductions",
      ]);
      expect(r.json.keyResults).toHaveLength(1);
      const history = (await send(lead.api, "GET", `/api/goals/${bare.id}/history`)).json.items as J[];
      expect(history.map((h) => h.field)).toEqual(expect.arrayContaining(["why", "successLooksLike"]));
    },
  );

  it.skipIf(skip)(
    "refuses to finish a plan when the due date moves without a reason, storing nothing",
    async () => {
      const bare = (await send(lead.api, "POST", "/api/goals", { title: "Garden", dueDate: "2027-01-31" }))
        .json;
      const r = await send(lead.api, "POST", `/api/goals/${bare.id}/plan`, {
        goal: { dueDate: "2027-02-28" },
        steps: [{ text: "Buy seeds" }],
      });
      expect(r.status).toBe(422);
      expect(r.json.error.code).toBe("reason_required");
      expect(r.json.error.message).toMatch(/^The goal: Changing the due date needs a reason/);
      const plan = (await send(lead.api, "GET", `/api/goals/${bare.id}/plan`)).json;
      expect(plan.steps).toEqual([]);
      expect(plan.goal.dueDate).toBe("2027-01-31");
    },
  );

  it.skipIf(skip)("lets only people who may change the goal finish its plan", async () => {
    const bare = (
      await send(lead.api, "POST", "/api/goals", { title: "Team goal", teamId, visibility: "team" })
    ).json;
    const r = await send(mia.api, "POST", `/api/goals/${bare.id}/plan`, {
      steps: [{ text: "Sneak a step in" }],
    });
    expect(r.status).toBeGreaterThanOrEqual(403);
    expect(r.status).toBeLessThan(500);
    const plan = (await send(lead.api, "GET", `/api/goals/${bare.id}/plan`)).json;
    expect(plan.steps).toEqual([]);
  });
});
