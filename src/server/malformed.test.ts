import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../test/helpers/http.js";
import * as checkins from "../app/checkins/checkins.js";
import * as goals from "../app/plans/goals.js";
import * as resources from "../app/plans/resources.js";
import * as steps from "../app/plans/steps.js";
import * as playbooks from "../app/playbooks/playbooks.js";
import type { Store } from "../store/db.js";

const TABLES = [
  "workspaces",
  "users",
  "goals",
  "key_results",
  "steps",
  "resources",
  "barriers",
  "checkins",
  "checkin_kr_values",
  "checkin_steps",
  "checkin_barriers",
  "commitments",
  "commitment_witnesses",
  "change_records",
  "playbooks",
  "playbook_versions",
  "comments",
  "kudos",
  "events",
  "playbook_links",
  "goal_shares",
  "delegations",
  "notifications",
  "api_tokens",
  "invitations",
  "teams",
  "memberships",
];

/** Every row of every table, in a stable order: equal snapshots mean nothing was written. */
async function snapshot(store: Store): Promise<string> {
  const raw = store.db.withoutPlugins();
  const parts: string[] = [];
  for (const t of TABLES) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(raw);
    parts.push(`${t}:${JSON.stringify(r.rows.map((x) => JSON.stringify(x)).sort())}`);
  }
  return parts.join("\n");
}

/** Field names the write endpoints know, so generated bodies hit real fields with wrong values. */
const FIELDS = [
  "title",
  "why",
  "values",
  "teamId",
  "parentId",
  "visibility",
  "status",
  "priority",
  "startDate",
  "dueDate",
  "cadenceDays",
  "successLooksLike",
  "reason",
  "unit",
  "startValue",
  "targetValue",
  "currentValue",
  "direction",
  "text",
  "ownerId",
  "estimateMinutes",
  "position",
  "doneLooksLike",
  "kind",
  "name",
  "ask",
  "stepId",
  "obstacle",
  "planB",
  "likelihood",
  "date",
  "krValues",
  "confidence",
  "doneText",
  "stepsDone",
  "nextStep",
  "barriersHit",
  "note",
  "goalId",
  "witnessTeamId",
  "witnessUserIds",
  "body",
  "keyResultId",
  "value",
];

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, 2, 1e308, 3_000_000_000, Number.MAX_SAFE_INTEGER + 2),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "",
    " ",
    "2026-02-31",
    "31/02/2026",
    "next Friday",
    "dropped",
    "hit",
    "person",
    "\u0000",
    "💥",
  ),
  fc.string({ minLength: 6000, maxLength: 7000 }),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constant([{ keyResultId: 999_999, value: 1 }]),
  fc.constant([{ keyResultId: 1, value: "x" }]),
);

const body = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .dictionary(fc.constantFrom(...FIELDS), wrongValue, { maxKeys: 6 })
      .map((o) => JSON.stringify(o)),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom("{", "[1,", '{"title":', "null", '"text"', "{}", "[]", "0") },
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json",
  "text/plain",
  "",
);

describe.each(DIALECTS)("malformed requests on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let endpoints: { method: string; path: string }[] = [];
  let app: Client;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const { ctx, actor } = await actorFor(db.store);
    const g = await goals.createGoal(ctx, actor, buildGoal());
    const kr = await goals.addKeyResult(ctx, actor, g.id, {
      title: "Subscribers",
      startValue: 1,
      targetValue: 2,
    });
    const s = await steps.addStep(ctx, actor, g.id, { text: "Call Dana" });
    const b = await resources.addBarrier(ctx, actor, g.id, {
      obstacle: "Rain",
      planB: "If it rains, then I run indoors",
    });
    const r = await resources.addResource(ctx, actor, g.id, { kind: "person", name: "Dana" });
    const c = await checkins.createCheckin(ctx, actor, g.id, {
      krValues: [{ keyResultId: kr.id, value: 1.5 }],
    });
    const p = await playbooks.createPlaybook(ctx, actor, { title: "Onboarding", body: "# Steps" });
    app = await ownerClient(ctx);
    // The token's first use records when it was used; do it before comparing snapshots.
    await app.request("/api/goals");
    endpoints = [
      { method: "POST", path: "/api/goals" },
      { method: "PATCH", path: `/api/goals/${g.id}` },
      { method: "POST", path: `/api/goals/${g.id}/drop` },
      { method: "POST", path: `/api/goals/${g.id}/key-results` },
      { method: "PATCH", path: `/api/goals/${g.id}/key-results/${kr.id}` },
      { method: "POST", path: `/api/goals/${g.id}/steps` },
      { method: "PATCH", path: `/api/steps/${s.id}` },
      { method: "POST", path: `/api/steps/${s.id}/done` },
      { method: "POST", path: `/api/goals/${g.id}/resources` },
      { method: "POST", path: `/api/goals/${g.id}/barriers` },
      { method: "PATCH", path: `/api/goals/${g.id}/barriers/${b.id}` },
      { method: "PATCH", path: `/api/barriers/${b.id}` },
      { method: "POST", path: `/api/barriers/${b.id}/remove` },
      { method: "PATCH", path: `/api/resources/${r.id}` },
      { method: "POST", path: `/api/resources/${r.id}/remove` },
      { method: "POST", path: `/api/goals/${g.id}/checkins` },
      { method: "POST", path: `/api/checkins/${c.id}/comments` },
      { method: "POST", path: "/api/commitments" },
      { method: "POST", path: "/api/commitments/1/resolve" },
      { method: "POST", path: "/api/playbooks" },
      { method: "PUT", path: `/api/playbooks/${p.id}` },
      { method: "POST", path: `/api/playbooks/${p.id}/plans` },
      { method: "POST", path: `/api/goals/${g.id}/playbooks` },
      { method: "POST", path: `/api/goals/${g.id}/shares` },
      { method: "POST", path: `/api/steps/${s.id}/delegate` },
      { method: "POST", path: `/api/goals/${g.id}/delegate` },
      { method: "POST", path: "/api/coach/lint" },
      { method: "POST", path: "/api/tokens" },
      { method: "POST", path: "/api/invitations" },
      { method: "POST", path: "/api/teams" },
      { method: "POST", path: "/api/goals/999999/steps" },
      { method: "PATCH", path: "/api/goals/abc" },
    ];
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("never answers 5xx and leaves the store unchanged when it refuses", async () => {
    const runs = d === "sqlite" ? 400 : 150;
    await fc.assert(
      fc.asyncProperty(fc.nat(), body, contentType, async (i, payload, type) => {
        const ep = endpoints[i % endpoints.length] as { method: string; path: string };
        const before = await snapshot(db.store);
        const headers: Record<string, string> = type ? { "content-type": type } : {};
        const res = await app.request(ep.path, { method: ep.method, headers, body: payload });
        expect(res.status, `${ep.method} ${ep.path} ${payload.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          const json = (await res.json()) as { error: { code: string; message: string } };
          expect(typeof json.error.code).toBe("string");
          expect(json.error.message.length).toBeGreaterThan(0);
          expect(await snapshot(db.store)).toBe(before);
        }
      }),
      // A failure is reported at once: shrinking against a database can take many minutes.
      { numRuns: runs, endOnFailure: true },
    );
  });

  it.skipIf(skip)("names the offending field", async () => {
    const res = await app.request("/api/goals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Ship", dueDate: "2026-02-31" }),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as {
      error: { code: string; message: string; details: { issues: { field: string }[] } };
    };
    expect(json.error.code).toBe("invalid_input");
    expect(json.error.message).toMatch(/dueDate: is not a date/);
    expect(json.error.details.issues[0]?.field).toBe("dueDate");
  });

  it.skipIf(skip)("refuses a body over the size limit with 413", async () => {
    const res = await app.request("/api/goals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
  });

  it.skipIf(skip)("answers unknown fields with a 400 that names them", async () => {
    const res = await app.request("/api/goals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Ship", colour: "blue" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/colour/);
  });
});

describe.each(DIALECTS)("text with a NUL character on %s", (d) => {
  const skip = !dialectAvailable(d);
  it.skipIf(skip)("is refused with a 400 instead of failing in the database", async () => {
    const db = await freshStore(d);
    try {
      const { ctx } = await actorFor(db.store);
      const app = await ownerClient(ctx);
      for (const payload of [{ title: "a\u0000b" }, { title: "ok", why: "\u0000" }]) {
        const res = await app.request("/api/goals", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload),
        });
        expect(res.status).toBe(400);
      }
    } finally {
      await db.dispose();
    }
  });
});
