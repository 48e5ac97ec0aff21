import type { KyselyPlugin } from "kysely";
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

describe.each(DIALECTS)("GET /api/goals/{id}/page on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ada: Person;
  let mia: Person;
  let queries = 0;
  const ids: Record<string, number> = {};

  /** A team goal of Ada's with `n` check-ins, each with a comment and Mia's kudos. */
  async function goalWith(n: number, title: string, teamId: number): Promise<number> {
    const g = (await send(ada.api, "POST", "/api/goals", buildGoal({ title, teamId, visibility: "team" })))
      .json;
    await send(ada.api, "POST", `/api/goals/${g.id}/steps`, {
      text: "Email Raj the deck",
      estimateMinutes: 20,
    });
    for (let i = 0; i < n; i++) {
      const day = `2026-11-${String(2 + (i % 19)).padStart(2, "0")}`;
      const c = (
        await send(ada.api, "POST", `/api/goals/${g.id}/checkins`, { date: day, doneText: `Week ${i}` })
      ).json;
      await send(mia.api, "POST", `/api/checkins/${c.id}/comments`, { body: `Nice ${i}` });
      await send(mia.api, "POST", `/api/checkins/${c.id}/kudos`);
    }
    return g.id;
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const counting: KyselyPlugin = {
      transformQuery(args) {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const store = { ...db.store, db: db.store.db.withPlugin(counting) };
    const app = testApp(fixedContext(store));
    ada = await signUp(app, { email: "ada@example.com", name: "Ada" });
    const teamId = (await send(ada.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const token = (
      await send(ada.api, "POST", "/api/invitations", { teamId, role: "member", email: "mia@example.com" })
    ).json.token as string;
    mia = await signUp(app, { email: "mia@example.com", name: "Mia", inviteToken: token });
    ids.few = await goalWith(2, "Few check-ins", teamId);
    ids.many = await goalWith(12, "Many check-ins", teamId);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("answers the plan, status, history, feedback and the people named", async () => {
    const { status, json } = await send(ada.api, "GET", `/api/goals/${ids.few}/page`);
    expect(status).toBe(200);
    expect(json.plan.goal.title).toBe("Few check-ins");
    expect(json.status.goalId).toBe(ids.few);
    expect(json.plan.checkins).toHaveLength(2);
    expect(json.feedback.map((f: J) => f.comments.length)).toEqual([1, 1]);
    expect(json.feedback[0].kudos).toEqual([mia.userId]);
    expect(json.people.map((p: J) => p.name).sort()).toEqual(["Ada", "Mia"]);
    expect(json.timeZone).toBe("UTC");
  });

  it.skipIf(skip)(
    "offers the owner every action and a teammate who may only read none but comments",
    async () => {
      const own = (await send(ada.api, "GET", `/api/goals/${ids.few}/page`)).json.allowed;
      expect(own).toMatchObject({ edit: true, checkIn: true, delegate: true, comment: true, archive: true });
      expect(own.completeSteps).toHaveLength(1);
      const theirs = (await send(mia.api, "GET", `/api/goals/${ids.few}/page`)).json.allowed;
      expect(theirs).toMatchObject({ edit: false, checkIn: false, delegate: false, archive: false });
      expect(theirs).toMatchObject({ comment: true, kudos: true, follow: true, completeSteps: [] });
    },
  );

  it.skipIf(skip)("makes as many queries for twelve check-ins as for two", async () => {
    const count = async (id: number) => {
      // The first reads store today's status and micro-goal mode; the count is of a steady read.
      await send(mia.api, "GET", `/api/goals/${id}/page`);
      await send(mia.api, "GET", `/api/goals/${id}/page`);
      queries = 0;
      const { status } = await send(mia.api, "GET", `/api/goals/${id}/page`);
      expect(status).toBe(200);
      return queries;
    };
    expect(await count(ids.many)).toBe(await count(ids.few));
  });

  it.skipIf(skip)("is not found for someone who may not read the goal", async () => {
    const priv = (await send(ada.api, "POST", "/api/goals", buildGoal({ title: "Private" }))).json.id;
    const { status, json } = await send(mia.api, "GET", `/api/goals/${priv}/page`);
    expect(status).toBe(404);
    expect(json.error.code).toBe("goal_not_found");
  });
});
