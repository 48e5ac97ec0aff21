import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { parseMapping, parseOkrCsv } from "../../integrations/import/okr-csv.js";
import * as people from "../../store/repos/people.js";
import * as checkins from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { goalStatus } from "../evaluation/status.js";
import { exportBackup } from "../exports/exports.js";
import * as goals from "../plans/goals.js";
import { importOkrs } from "./okr.js";

const TEMPLATE = readFileSync(
  join(import.meta.dirname, "..", "..", "..", "docs", "templates", "okr-import.csv"),
);
const TODAY = "2026-11-21";
const csv = (s: string) => new TextEncoder().encode(s);

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("reading an OKR CSV", () => {
  it("maps the template's columns by name and groups rows into objectives, key results and check-ins", () => {
    const data = parseOkrCsv(TEMPLATE, { today: TODAY });
    expect(data.mapping).toMatchObject({
      title: "Objective",
      kr: "Key result",
      checkinDate: "Check-in date",
    });
    expect(data.objectives.map((o) => o.title)).toEqual([
      "Win back churned customers",
      "Ship the self-serve plan",
    ]);
    const [won, churn] = data.objectives[0]?.keyResults ?? [];
    expect(won).toMatchObject({
      title: "Customers won back",
      unit: "customers",
      startValue: 0,
      targetValue: 40,
    });
    expect(won?.checkins.map((c) => [c.date, c.value])).toEqual([
      ["2026-10-05", 4],
      ["2026-10-19", 9],
      ["2026-11-02", 12],
    ]);
    expect(churn).toMatchObject({ unit: "%", startValue: 6, targetValue: 3 });
    const dates = data.report.find((r) => r.source === "Check-in date");
    expect(dates).toMatchObject({ to: "checkin.date", mapped: 5, leftOut: 0 });
  });

  it("takes an explicit mapping and reports columns nobody mapped", () => {
    const file = csv("Goal,KR,From,To,Notes\nGrow the list,Subscribers,100,500,hello\n");
    const data = parseOkrCsv(file, {
      today: TODAY,
      mapping: parseMapping("title=Goal,kr=KR,start=From,target=To"),
    });
    expect(data.objectives[0]?.keyResults[0]).toMatchObject({
      title: "Subscribers",
      startValue: 100,
      targetValue: 500,
    });
    expect(data.report.find((r) => r.source === "Notes")).toMatchObject({ to: null, leftOut: 1 });
  });

  it("refuses an unknown field and a column the file lacks, saying how to fix it", () => {
    expect(refusal(() => parseMapping("titel=Objective")).message).toMatch(/does not know.*title, why, kr/);
    const e = refusal(() => parseOkrCsv(TEMPLATE, { today: TODAY, mapping: parseMapping("kr=Measure") }));
    expect(e.message).toMatch(/kr=Measure names a column the file does not have/);
  });

  it.each([
    [
      "a value that is not a number",
      "Objective,Key result,Start,Target\nGrow,Signups,0,12k\n",
      /Row 2, column 'Target': '12k' is not a number/,
    ],
    [
      "a date that is not a day",
      "Objective,Key result,Start,Target,Check-in date,Check-in value\nGrow,Signups,0,10,2026-02-31,3\n",
      /Row 2, column 'Check-in date': '2026-02-31' is not a day/,
    ],
    [
      "an empty objective",
      "Objective,Key result,Start,Target\nGrow,Signups,0,10\n,Leads,0,5\n",
      /Row 3, column 'Objective' is empty/,
    ],
    ["no rows", "Objective,Key result,Start,Target\n", /header but no rows/],
    ["a file that is not CSV", "\u0000\u0001binary", /NUL character/],
    [
      "a key result without a target",
      "Objective,Key result,Start,Target\nGrow,Signups,0,\n",
      /'Signups' \(row 2\) has no target/,
    ],
    [
      "a check-in in the future",
      "Objective,Key result,Start,Target,Check-in date,Check-in value\nGrow,Signups,0,10,2027-01-01,3\n",
      /Row 2.*in the future/,
    ],
  ])("refuses %s, naming the row and column", (_what, text, message) => {
    const e = refusal(() => parseOkrCsv(csv(text), { today: TODAY }));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(message);
  });
});

describe.each(DIALECTS)("importing OKRs on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let actor: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor } = await actorFor(db.store));
    await db.store.db
      .insertInto("users")
      .values({
        workspaceId: actor.workspaceId,
        name: "Dana Reyes",
        email: "dana@example.com",
        isLocal: 0,
        createdAt: TODAY,
      })
      .execute();
  });
  afterAll(async () => {
    if (!skip) await db.dispose();
  });

  it.skipIf(skip)(
    "previews without writing: the first rows as mapped, owners matched, the coach's findings",
    async () => {
      const before = await exportBackup(ctx);
      const r = await importOkrs(ctx, actor, parseOkrCsv(TEMPLATE, { today: TODAY }), { preview: true });
      expect(r.preview).toBe(true);
      expect(r.sample[0]?.values).toMatchObject({ title: "Win back churned customers", target: "40" });
      expect(r.owners).toEqual({ matched: ["dana@example.com"], unmatched: ["Raj Patel"] });
      expect(r.objectives[0]?.ownerMatch?.name).toBe("Dana Reyes");
      // "Ship the self-serve plan" names no number in its title, but has a key result: measurable.
      expect(r.objectives[1]?.findings.map((f) => f.code)).not.toContain("not-measurable");
      expect(r.created).toEqual({ goals: 0, keyResults: 0, checkins: 0 });
      expect((await exportBackup(ctx)).tables).toEqual(before.tables);
    },
  );

  it.skipIf(skip)(
    "imports goals, key results and dated check-ins, so pace and forecast work from day one",
    async () => {
      const r = await importOkrs(ctx, actor, parseOkrCsv(TEMPLATE, { today: TODAY }), { preview: false });
      expect(r.created).toEqual({ goals: 2, keyResults: 3, checkins: 3 });
      const [goalId] = r.goalIds as [number];
      const plan = await goals.getPlanOrThrow(ctx, actor, goalId);
      expect(plan.goal).toMatchObject({
        why: "Churn costs us a third of new revenue",
        dueDate: "2027-03-31",
        startDate: "2026-10-05",
      });
      expect(plan.keyResults.map((k) => [k.title, k.currentValue, k.direction])).toEqual([
        ["Customers won back", 12, "increase"],
        ["Monthly churn", 5.2, "decrease"],
      ]);
      const history = await checkins.listCheckins(ctx, actor, goalId);
      expect(history.map((c) => [c.date, c.krValues.length])).toEqual([
        ["2026-10-05", 2],
        ["2026-10-19", 1],
        ["2026-11-02", 2],
      ]);
      const st = await goalStatus(ctx, actor, goalId);
      expect(st.pace).toMatch(/ahead|on-track|behind/);
      expect(st.forecastDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The owner matched by email is told about the goal: it is shared with them and they follow it.
      const dana = await people.findUserByName(db.store.db, actor.workspaceId, "dana@example.com");
      const shares = await db.store.db
        .selectFrom("goalShares")
        .selectAll()
        .where("goalId", "=", goalId)
        .execute();
      expect(shares.map((s) => s.userId)).toEqual([dana?.id]);
      const owner = r.report.find((f) => f.source === "Owner");
      expect(owner).toMatchObject({ mapped: 1, leftOut: 1 });
      expect(owner?.why).toMatch(/'Raj Patel'/);
      // Made by the same writers as by hand: the same events.
      const events = await db.store.db
        .selectFrom("events")
        .select(["type"])
        .where("workspaceId", "=", actor.workspaceId)
        .execute();
      const types = events.map((e) => e.type);
      expect(types.filter((t) => t === "goal.created")).toHaveLength(2);
      expect(types.filter((t) => t === "kr.created")).toHaveLength(3);
      expect(types.filter((t) => t === "checkin.created")).toHaveLength(3);
    },
  );

  it.skipIf(skip)("adds nothing when the same file is imported again", async () => {
    const before = await exportBackup(ctx);
    const r = await importOkrs(ctx, actor, parseOkrCsv(TEMPLATE, { today: TODAY }), { preview: false });
    expect(r.created).toEqual({ goals: 0, keyResults: 0, checkins: 0 });
    expect(r.existing.goals).toBe(2);
    expect((await exportBackup(ctx)).tables).toEqual(before.tables);
  });

  it.skipIf(skip)("writes nothing when a later objective is refused", async () => {
    const before = await exportBackup(ctx);
    const long = "Grow ".repeat(70);
    const text = `Objective,Key result,Start,Target\nA brand new objective,Signups,0,10\n${long},Leads,5,9\n`;
    const e = await rejection(
      (async () => importOkrs(ctx, actor, parseOkrCsv(csv(text), { today: TODAY }), { preview: false }))(),
    );
    expect(e.message).toMatch(/^Row 3, objective 'Grow Grow/);
    expect((await exportBackup(ctx)).tables).toEqual(before.tables);
  });
});
