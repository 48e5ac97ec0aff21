/**
 * A step can belong to a key result (issue 18, "relevant"): linked when added, changed and
 * unlinked over HTTP on both databases, each change kept in the step's history; a key result of
 * another goal is refused with how to fix it and nothing written; retiring a key result keeps its
 * steps and unlinks them, on the record.
 */
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

describe.each(DIALECTS)("a step's key result on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ana: Person;
  let goalId: number;
  let otherGoalId: number;
  let subscribers: number;
  let churn: number;
  let foreign: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ana = await signUp(testApp(fixedContext(db.store)), { email: "ana@example.com", name: "Ana" });
    goalId = (await send(ana.api, "POST", "/api/goals", buildGoal())).json.id;
    otherGoalId = (await send(ana.api, "POST", "/api/goals", buildGoal({ title: "Run a 10k by March" }))).json
      .id;
    const kr = async (g: number, title: string, startValue: number, targetValue: number) =>
      (await send(ana.api, "POST", `/api/goals/${g}/key-results`, { title, startValue, targetValue })).json
        .id;
    subscribers = await kr(goalId, "Subscribers", 1200, 2000);
    churn = await kr(goalId, "Unsubscribe rate", 3, 1);
    foreign = await kr(otherGoalId, "Kilometres run in one go", 3, 10);
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "keeps the key result given when a step is added, and returns it in every step JSON",
    async () => {
      const added = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Email Raj the revised sponsorship deck",
        dueDate: "2026-11-27",
        keyResultId: subscribers,
      });
      expect(added.status).toBe(201);
      expect(added.json.keyResultId).toBe(subscribers);
      expect((await send(ana.api, "GET", `/api/steps/${added.json.id}`)).json.keyResultId).toBe(subscribers);
      const listed = (await send(ana.api, "GET", `/api/steps?goal=${goalId}`)).json.items as J[];
      expect(listed.find((s) => s.id === added.json.id)?.keyResultId).toBe(subscribers);
      const page = (await send(ana.api, "GET", `/api/goals/${goalId}/page`)).json;
      const onPage = (page.plan?.steps ?? page.steps ?? []) as J[];
      expect(onPage.find((s) => s.id === added.json.id)?.keyResultId).toBe(subscribers);
      const plain = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Draft the welcome email",
      });
      expect(plain.json.keyResultId).toBeNull();
    },
  );

  it.skipIf(skip)(
    "refuses a key result of another goal with 422, saying how to fix it, and writes nothing",
    async () => {
      const before = (await send(ana.api, "GET", `/api/steps?goal=${goalId}&all=true`)).json.items.length;
      const r = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Never stored",
        keyResultId: foreign,
      });
      expect(r.status).toBe(422);
      expect(r.json.error.code).toBe("key_result_not_of_goal");
      expect(r.json.error.message).toContain(`not a key result of goal ${goalId}`);
      const missing = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Never stored",
        keyResultId: 999_999,
      });
      expect(missing.status).toBe(422);
      expect((await send(ana.api, "GET", `/api/steps?goal=${goalId}&all=true`)).json.items.length).toBe(
        before,
      );

      const { id } = (await send(ana.api, "POST", `/api/goals/${goalId}/steps`, { text: "Write the footer" }))
        .json;
      const histBefore = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items.length;
      const edit = await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: foreign });
      expect(edit.status).toBe(422);
      expect(edit.json.error.details?.field ?? edit.json.error.field ?? "keyResultId").toBe("keyResultId");
      expect((await send(ana.api, "GET", `/api/steps/${id}`)).json.keyResultId).toBeNull();
      expect((await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items.length).toBe(histBefore);
    },
  );

  it.skipIf(skip)("keeps every change of key result in the history: who, when, from and to", async () => {
    const { id } = (await send(ana.api, "POST", `/api/goals/${goalId}/steps`, { text: "Pitch two sponsors" }))
      .json;
    const linked = await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: subscribers });
    expect(linked.status).toBe(200);
    expect(linked.json.keyResultId).toBe(subscribers);
    const moved = await send(ana.api, "PATCH", `/api/steps/${id}`, {
      keyResultId: churn,
      reason: "Sponsors care about retention",
    });
    expect(moved.json.keyResultId).toBe(churn);
    const cleared = await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: null });
    expect(cleared.json.keyResultId).toBeNull();
    const same = await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: null });
    expect(same.status).toBe(200);
    const history = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items as J[];
    const links = history.filter(
      (c) => c.entity === "step" && c.entityId === id && c.field === "keyResultId",
    );
    expect(links.map((c) => [c.oldValue, c.newValue, c.reason, c.userId])).toEqual([
      [null, String(subscribers), null, ana.userId],
      [String(subscribers), String(churn), "Sponsors care about retention", ana.userId],
      [String(churn), null, null, ana.userId],
    ]);
    expect(links.every((c) => typeof c.createdAt === "string")).toBe(true);
  });

  it.skipIf(skip)(
    "retiring a key result keeps its steps, unlinks them and says so in the history",
    async () => {
      const kr = (
        await send(ana.api, "POST", `/api/goals/${goalId}/key-results`, {
          title: "Sponsors signed",
          startValue: 0,
          targetValue: 3,
        })
      ).json.id;
      const { id } = (
        await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
          text: "Call Lee at Acme",
          keyResultId: kr,
        })
      ).json;
      const retired = await send(ana.api, "PATCH", `/api/key-results/${kr}`, {
        retired: true,
        reason: "Sponsorship is paused until spring",
      });
      expect(retired.status).toBe(200);
      const step = (await send(ana.api, "GET", `/api/steps/${id}`)).json;
      expect(step.text).toBe("Call Lee at Acme");
      expect(step.keyResultId).toBeNull();
      const history = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items as J[];
      const unlink = history.find(
        (c) => c.entity === "step" && c.entityId === id && c.field === "keyResultId",
      );
      expect(unlink?.oldValue).toBe(String(kr));
      expect(unlink?.newValue).toBeNull();
      expect(unlink?.reason).toContain("Sponsorship is paused until spring");
      const again = await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: kr });
      expect(again.status).toBe(422);
      expect(again.json.error.code).toBe("key_result_retired");
    },
  );

  // Re-opening a step
  it.skipIf(skip)(
    "a re-opened step keeps its key result; if the key result was retired meanwhile it comes back unlinked, on the record",
    async () => {
      const kr = (
        await send(ana.api, "POST", `/api/goals/${goalId}/key-results`, {
          title: "Podcast guests booked",
          startValue: 0,
          targetValue: 4,
        })
      ).json.id;
      const add = async (text: string) =>
        (await send(ana.api, "POST", `/api/goals/${goalId}/steps`, { text, keyResultId: kr })).json.id;
      const kept = await add("Invite Sam to the podcast");
      const lost = await add("Invite Lee to the podcast");
      for (const id of [kept, lost]) await send(ana.api, "PATCH", `/api/steps/${id}`, { status: "done" });
      const reopened = await send(ana.api, "PATCH", `/api/steps/${kept}`, {
        status: "todo",
        reason: "Sam cancelled; ask again",
      });
      expect(reopened.status).toBe(200);
      expect(reopened.json.keyResultId).toBe(kr);
      await send(ana.api, "PATCH", `/api/steps/${kept}`, { status: "done" });
      await send(ana.api, "PATCH", `/api/key-results/${kr}`, {
        retired: true,
        reason: "No guests this season",
      });
      const back = await send(ana.api, "PATCH", `/api/steps/${lost}`, {
        status: "todo",
        reason: "Lee asked to move the date",
      });
      expect(back.status).toBe(200);
      expect(back.json.keyResultId).toBeNull();
      const history = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items as J[];
      const unlink = history.find(
        (c) => c.entity === "step" && c.entityId === lost && c.field === "keyResultId",
      );
      expect(unlink?.oldValue).toBe(String(kr));
      expect(unlink?.newValue).toBeNull();
      expect(unlink?.reason).toContain("No guests this season");
    },
  );

  // R for a step on its own add and edit
  it.skipIf(skip)(
    "warns on adding one step unrelated to the why and key results, not on a linked or related one",
    async () => {
      const codes = (r: { json: J }) => (r.json.warnings as J[]).map((w) => w.code);
      const loose = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Reupholster the lobby sofa",
      });
      expect(loose.status).toBe(201);
      const warning = (loose.json.warnings as J[]).find((w) => w.code === "step-not-relevant");
      expect(warning?.message).toBe(
        `This step "Reupholster the lobby sofa" isn't tied to a key result or the why.`,
      );
      expect(warning?.suggestion).toMatch(/Link it to the key result it moves/);
      const linked = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Reupholster the lobby sofa",
        keyResultId: subscribers,
      });
      expect(codes(linked)).not.toContain("step-not-relevant");
      const related = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Email the subscriber list a welcome",
      });
      expect(codes(related)).not.toContain("step-not-relevant");
      const unlinked = await send(ana.api, "PATCH", `/api/steps/${linked.json.id}`, { keyResultId: null });
      expect(codes(unlinked)).toContain("step-not-relevant");
      const relinked = await send(ana.api, "PATCH", `/api/steps/${linked.json.id}`, { keyResultId: churn });
      expect(codes(relinked)).not.toContain("step-not-relevant");
      await send(ana.api, "PATCH", `/api/steps/${loose.json.id}`, { keyResultId: subscribers });
    },
  );

  it.skipIf(skip)(
    "the coach flags an unlinked step unrelated to the why and key results, and linking it clears it",
    async () => {
      const { id } = (
        await send(ana.api, "POST", `/api/goals/${goalId}/steps`, { text: "Repaint the office" })
      ).json;
      let n = 0;
      const codes = async () =>
        (
          (
            await send(ana.api, "PATCH", `/api/goals/${goalId}`, {
              successLooksLike: `2,000 readers, take ${++n}`,
            })
          ).json.warnings as J[]
        ).filter((w) => w.code === "step-not-relevant");
      const before = await codes();
      expect(before.map((w) => w.message)).toContain(
        `This step "Repaint the office" isn't tied to a key result or the why.`,
      );
      expect(before[0]?.suggestion).toMatch(/Link it to the key result it moves/);
      await send(ana.api, "PATCH", `/api/steps/${id}`, { keyResultId: subscribers });
      expect((await codes()).map((w) => w.message).join()).not.toContain("Repaint the office");
    },
  );
});
