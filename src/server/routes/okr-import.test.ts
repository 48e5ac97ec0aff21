import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { fixedContext } from "../../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../../test/helpers/http.js";
import type { AppContext } from "../../app/context.js";
import { exportBackup } from "../../app/exports/exports.js";
import type { OkrImportResult } from "../../app/imports/okr.js";

const TEMPLATE = readFileSync(
  join(import.meta.dirname, "..", "..", "..", "docs", "templates", "okr-import.csv"),
);

describe.each(DIALECTS)("the CSV and OKR import over HTTP on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let app: Client;
  const upload = async (query: string, body: BodyInit, headers: Record<string, string> = {}) => {
    const r = await app.request(`/api/import/csv${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv", ...headers },
      body,
    });
    return {
      status: r.status,
      json: (await r.json()) as OkrImportResult & { error?: { code: string; message: string } },
    };
  };
  const snapshot = async () => (await exportBackup(ctx)).tables;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    app = await ownerClient(ctx);
    // The token's first use is recorded once; the snapshots below are taken after it.
    await app.request("/api/goals");
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "previews the mapped rows and the coach's findings without writing, then imports",
    async () => {
      const before = await snapshot();
      const preview = await upload("?preview=true", TEMPLATE);
      expect(preview.status).toBe(200);
      expect(preview.json).toMatchObject({ preview: true, rows: 6, created: { goals: 0 } });
      expect(preview.json.columns).toContain("Check-in value");
      expect(preview.json.sample).toHaveLength(6);
      expect(preview.json.objectives.map((o) => o.title)).toEqual([
        "Win back churned customers",
        "Ship the self-serve plan",
      ]);
      expect(await snapshot()).toEqual(before);

      const done = await upload("", TEMPLATE, { "idempotency-key": "okr-1" });
      expect(done.status, JSON.stringify(done.json)).toBe(200);
      expect(done.json.created).toEqual({ goals: 2, keyResults: 3, checkins: 3 });
      expect(done.json.report.find((r) => r.source === "Check-in value")).toMatchObject({
        to: "checkin.value",
        mapped: 5,
      });
      const status = (await (await app.request(`/api/goals/${done.json.goalIds[0]}/status`)).json()) as {
        forecastDate: string | null;
      };
      expect(status.forecastDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // A retry with the same key replays the answer; the same file again adds nothing.
      const retry = await app.request("/api/import/csv", {
        method: "POST",
        headers: { "content-type": "text/csv", "idempotency-key": "okr-1" },
        body: TEMPLATE,
      });
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      const again = await upload("", TEMPLATE);
      expect(again.json).toMatchObject({
        created: { goals: 0, keyResults: 0, checkins: 0 },
        existing: { goals: 2 },
      });
    },
  );

  it.skipIf(skip)("maps columns from the query", async () => {
    const r = await upload(
      `?map=${encodeURIComponent("title=Goal,kr=Measure,start=From,target=To")}&preview=true`,
      "Goal,Measure,From,To\nGrow the newsletter,Subscribers,100,500\n",
    );
    expect(r.status).toBe(200);
    expect(r.json.mapping).toEqual({ title: "Goal", kr: "Measure", start: "From", target: "To" });
  });

  it.skipIf(skip)("refuses bad input with a 4xx naming the row and column, writing nothing", async () => {
    const before = await snapshot();
    const cases: [string, string, RegExp][] = [
      [
        "",
        "Objective,Key result,Start,Target\nGrow,Signups,0,ten\n",
        /Row 2, column 'Target': 'ten' is not a number/,
      ],
      [
        "",
        "Objective,Key result,Start,Target,Check-in date,Check-in value\nGrow,Signups,0,10,31/10/2026,4\n",
        /Row 2, column 'Check-in date': '31\/10\/2026' is not a day/,
      ],
      ["", "Objective,Key result,Start,Target\n,Signups,0,10\n", /Row 2, column 'Objective' is empty/],
      ["", "Objective,Key result\n", /header but no rows/],
      ["", "%PDF-1.4\u0000\u0001", /NUL character/],
      [
        "?map=owner%3DBoss",
        "Objective,Key result\nA,B\n",
        /owner=Boss names a column the file does not have/,
      ],
      [
        "?map=boss%3DOwner",
        "Objective,Key result\nA,B\n",
        /the field 'boss', which the CSV import does not know/,
      ],
    ];
    for (const [query, body, message] of cases) {
      const r = await upload(query, body);
      expect(r.status, body).toBe(400);
      expect(r.json.error?.message).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });
});
