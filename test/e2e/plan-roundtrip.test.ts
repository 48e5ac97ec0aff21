import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { cli, cliJson } from "../helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { normalizePlan, SAMPLE_PLAN } from "../helpers/factories.js";
import { type Client, ownerClient } from "../helpers/http.js";

type Db = { file?: string; databaseUrl?: string };
type Plan = {
  goal: { id: number };
  keyResults: { id: number }[];
  steps: { id: number }[];
  barriers: { id: number }[];
};

function buildThroughCli(db: Db): Plan {
  const p = SAMPLE_PLAN;
  const g = cliJson<{ id: number }>(
    [
      "goal",
      "add",
      p.goal.title,
      "--why",
      p.goal.why,
      "--start",
      p.goal.startDate,
      "--due",
      p.goal.dueDate,
      ...p.goal.values.flatMap((v) => ["--value", v]),
    ],
    db,
  );
  const krs = p.keyResults.map((k) =>
    cliJson<{ id: number }>(
      [
        "kr",
        "add",
        String(g.id),
        k.title,
        "--from",
        String(k.startValue),
        "--to",
        String(k.targetValue),
        "--unit",
        k.unit,
      ],
      db,
    ),
  );
  const steps = p.steps.map((s) =>
    cliJson<{ id: number }>(
      ["step", "add", String(g.id), s.text, "--due", s.dueDate, "--estimate", String(s.estimateMinutes)],
      db,
    ),
  );
  cliJson(
    ["resource", "add", String(g.id), p.resource.name, "--kind", p.resource.kind, "--ask", p.resource.ask],
    db,
  );
  const barrier = cliJson<{ id: number }>(
    [
      "barrier",
      "add",
      String(g.id),
      p.barrier.obstacle,
      "--plan-b",
      p.barrier.planB,
      "--likelihood",
      p.barrier.likelihood,
    ],
    db,
  );
  for (const c of p.checkins) {
    const args = [
      "checkin",
      String(g.id),
      "--date",
      c.date,
      "--confidence",
      c.confidence,
      "--done",
      c.doneText,
      "--next",
      c.nextStep,
    ];
    c.kr.forEach((v, i) => {
      args.push("--kr", `${krs[i]?.id}=${v}`);
    });
    for (const s of c.stepsDone) args.push("--step", String(steps[s - 1]?.id));
    for (const _b of c.barriersHit ?? []) args.push("--barrier", String(barrier.id));
    const out = cliJson<{ planB: { planB: string }[] }>(args, db);
    if (c.barriersHit) expect(out.planB[0]?.planB).toBe(p.barrier.planB);
  }
  return cliJson<Plan>(["goal", "show", String(g.id)], db);
}

async function buildThroughApi(app: Client): Promise<Plan> {
  const p = SAMPLE_PLAN;
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const r = await app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(r.status, `${path}: ${await r.clone().text()}`).toBe(201);
    return (await r.json()) as T;
  };
  const g = await post<{ id: number }>("/api/goals", p.goal);
  const krs: { id: number }[] = [];
  for (const k of p.keyResults) krs.push(await post<{ id: number }>(`/api/goals/${g.id}/key-results`, k));
  const steps: { id: number }[] = [];
  for (const s of p.steps) steps.push(await post<{ id: number }>(`/api/goals/${g.id}/steps`, s));
  await post(`/api/goals/${g.id}/resources`, p.resource);
  const barrier = await post<{ id: number }>(`/api/goals/${g.id}/barriers`, p.barrier);
  for (const c of p.checkins) {
    const out = await post<{ planB: { planB: string }[] }>(`/api/goals/${g.id}/checkins`, {
      date: c.date,
      confidence: c.confidence,
      doneText: c.doneText,
      nextStep: c.nextStep,
      krValues: c.kr.map((value, i) => ({ keyResultId: krs[i]?.id, value })),
      stepsDone: c.stepsDone.map((s) => steps[s - 1]?.id),
      barriersHit: (c.barriersHit ?? []).map(() => barrier.id),
    });
    if (c.barriersHit) expect(out.planB[0]?.planB).toBe(p.barrier.planB);
  }
  const r = await app.request(`/api/goals/${g.id}/plan`);
  expect(r.status).toBe(200);
  return (await r.json()) as Plan;
}

describe.each(DIALECTS)("a whole plan on %s", (d) => {
  const skip = !dialectAvailable(d);
  let cliDb: Awaited<ReturnType<typeof freshStore>>;
  let apiDb: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    if (skip) return;
    cliDb = await freshStore(d);
    apiDb = await freshStore(d);
  });
  afterAll(async () => {
    await cliDb?.dispose();
    await apiDb?.dispose();
  });

  it.skipIf(skip)(
    "reads back identically whether made through the CLI or the API",
    async () => {
      const fromCli = buildThroughCli(cliDb.config);
      const fromApi = await buildThroughApi(await ownerClient(appContext(apiDb.store)));
      expect(normalizePlan(fromCli)).toEqual(normalizePlan(fromApi));

      // And each reads back the same through the other interface.
      const viaApi = await (await ownerClient(appContext(cliDb.store))).request(
        `/api/goals/${fromCli.goal.id}/plan`,
      );
      expect(normalizePlan(await viaApi.json())).toEqual(normalizePlan(fromCli));
      const viaCli = cliJson(["goal", "show", String(fromApi.goal.id)], apiDb.config);
      expect(normalizePlan(viaCli)).toEqual(normalizePlan(fromApi));

      const plan = fromCli as unknown as {
        goal: { why: string; values: string[] };
        keyResults: { currentValue: number }[];
        steps: { status: string }[];
        barriers: { status: string }[];
        checkins: unknown[];
        resources: unknown[];
      };
      expect(plan.goal.why).toBe(SAMPLE_PLAN.goal.why);
      expect(plan.keyResults.map((k) => k.currentValue)).toEqual([1480, 2.5]);
      expect(plan.steps.map((s) => s.status)).toEqual(["done", "done", "todo"]);
      expect(plan.barriers[0]?.status).toBe("hit");
      expect(plan.checkins).toHaveLength(2);
      expect(plan.resources).toHaveLength(1);
    },
    180_000,
  );

  it.skipIf(skip)("refuses a due-date move without a reason, and keeps the reason in the history", () => {
    const db = cliDb.config;
    const refused = cli(["goal", "edit", "1", "--due", "2027-04-30"], db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs a reason/);
    expect(refused.stderr).not.toMatch(/\bat .*\.js:\d+/);
    cliJson(["goal", "edit", "1", "--due", "2027-04-30", "--reason", "Sponsor moved the launch"], db);
    const dropped = cli(["goal", "drop", "1"], db);
    expect(dropped.code).toBe(1);
    const history = cliJson<{ field: string; oldValue: string; newValue: string; reason: string }[]>(
      ["goal", "history", "1"],
      db,
    );
    expect(history).toEqual([
      expect.objectContaining({
        field: "dueDate",
        oldValue: "2027-03-31",
        newValue: "2027-04-30",
        reason: "Sponsor moved the launch",
      }),
    ]);
  });
});
