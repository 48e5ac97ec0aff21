/**
 * Issue 17 (checkin19): the check-in's body is parsed once, by the route's validator, and the goal
 * is read with its key results' ids in one statement. What a person sees must not change: the
 * check-in as written (text cleaned, defaults filled in), and each refusal with its status and code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../../test/helpers/http.js";

type Answer = Record<string, unknown> & { id: number; error?: { code: string; message: string } };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Answer };
};

describe.each(DIALECTS)("POST /api/goals/{id}/checkins on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ada: Person;
  let ben: Person;
  let goalId: number;
  let krs: number[];

  const goalWithKrs = async (p: Person, visibility = "private") => {
    const goal = await send(p.api, "POST", "/api/goals", buildGoal({ visibility }));
    const ids: number[] = [];
    for (const title of ["Subscribers", "Sponsors"]) {
      const kr = await send(p.api, "POST", `/api/goals/${goal.json.id}/key-results`, {
        title,
        startValue: 0,
        targetValue: 10,
        unit: "count",
      });
      expect(kr.status).toBe(201);
      ids.push(kr.json.id);
    }
    return { id: goal.json.id, krs: ids };
  };
  const checkinsOf = async (p: Person, id: number) =>
    ((await send(p.api, "GET", `/api/goals/${id}/checkins`)).json.items as Answer[]) ?? [];

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    ada = await signUp(app, { email: "ada@example.com", name: "Ada" });
    const invite = await send(ada.api, "POST", "/api/invitations", {
      role: "member",
      email: "ben@example.com",
    });
    ben = await signUp(app, {
      email: "ben@example.com",
      name: "Ben",
      inviteToken: invite.json.token as string,
    });
    ({ id: goalId, krs } = await goalWithKrs(ada));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "stores the check-in as written: text cleaned, defaults filled in, values current",
    async () => {
      const r = await send(ada.api, "POST", `/api/goals/${goalId}/checkins`, {
        krValues: [{ keyResultId: krs[1], value: 4 }],
        confidence: "on-track",
        doneText: "  Sent the deck\u200b to Raj \r\n",
      });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({
        goalId,
        date: "2026-11-21",
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
        nextStep: null,
        krValues: [{ keyResultId: krs[1], value: 4 }],
        stepsDone: [],
        barriersHit: [],
        planB: [],
        nextStepTask: null,
      });
      const listed = await send(ada.api, "GET", `/api/goals/${goalId}/key-results`);
      const values = (listed.json.items as unknown as { id: number; currentValue: number }[]).map((k) => [
        k.id,
        k.currentValue,
      ]);
      expect(values).toEqual([
        [krs[0], 0],
        [krs[1], 4],
      ]);
    },
  );

  it.skipIf(skip)("refuses a bad body with 400 invalid_input naming the field, writing nothing", async () => {
    const before = (await checkinsOf(ada, goalId)).length;
    for (const [body, field] of [
      [{ mood: "great" }, "(body)"],
      [{ krValues: [{ keyResultId: krs[0], value: "4" }] }, "krValues.0.value"],
      [{ confidence: "sure" }, "confidence"],
      [{ date: "21/11/2026" }, "date"],
    ] as const) {
      const r = await send(ada.api, "POST", `/api/goals/${goalId}/checkins`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error?.code).toBe("invalid_input");
      expect(
        (r.json.error as unknown as { details: { issues: { field: string }[] } }).details.issues,
      ).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect((await checkinsOf(ada, goalId)).length).toBe(before);
  });

  it.skipIf(skip)("refuses key results that are not the goal's, or named twice, with 422", async () => {
    const other = await goalWithKrs(ada);
    const before = (await checkinsOf(ada, goalId)).length;
    const foreign = await send(ada.api, "POST", `/api/goals/${goalId}/checkins`, {
      krValues: [
        { keyResultId: krs[0], value: 1 },
        { keyResultId: other.krs[0], value: 2 },
      ],
    });
    expect([foreign.status, foreign.json.error?.code]).toEqual([422, "key_result_not_in_goal"]);
    const twice = await send(ada.api, "POST", `/api/goals/${goalId}/checkins`, {
      krValues: [
        { keyResultId: krs[0], value: 1 },
        { keyResultId: krs[0], value: 2 },
      ],
    });
    expect([twice.status, twice.json.error?.code]).toEqual([422, "duplicate_key_result"]);
    expect((await checkinsOf(ada, goalId)).length).toBe(before);
  });

  it.skipIf(skip)(
    "refuses another person's goal alike with and without key-result values: private or open to the workspace",
    async () => {
      const open = await goalWithKrs(ada, "workspace");
      for (const g of [{ id: goalId, krs }, open]) {
        const bare = await send(ben.api, "POST", `/api/goals/${g.id}/checkins`, { confidence: "on-track" });
        const withValues = await send(ben.api, "POST", `/api/goals/${g.id}/checkins`, {
          krValues: [{ keyResultId: g.krs[0], value: 9 }],
        });
        expect(bare.status).toBe(404);
        expect([withValues.status, withValues.json.error?.code]).toEqual([
          bare.status,
          bare.json.error?.code,
        ]);
      }
      // Ben may read the open goal; nothing of his was written to it.
      expect(await checkinsOf(ben, open.id)).toEqual([]);
      const missing = await send(ada.api, "POST", "/api/goals/999999/checkins", {
        krValues: [{ keyResultId: krs[0], value: 1 }],
      });
      expect([missing.status, missing.json.error?.code]).toEqual([404, "goal_not_found"]);
    },
  );
});
