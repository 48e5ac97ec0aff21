import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { fixedContext } from "../../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../../test/helpers/http.js";
import type { AppContext } from "../../app/context.js";
import { exportBackup } from "../../app/exports/exports.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "import");
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

describe.each(DIALECTS)("imports and exports over HTTP on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let app: Client;
  const upload = async (path: string, body: BodyInit, type = "application/octet-stream") => {
    const r = await app.request(path, { method: "POST", headers: { "content-type": type }, body });
    return {
      status: r.status,
      json: (await r.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  };
  const snapshot = async () => (await exportBackup(ctx)).tables;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    app = await ownerClient(ctx);
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("imports a file sent as the body, and adds nothing when it is sent again", async () => {
    const first = await upload("/api/import/trello", fixture("trello.json"), "application/json");
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ source: "trello", goals: { created: 2 }, steps: { created: 6 } });
    // "Improve the catering" names no end: the coach reads it as vague.
    expect((first.json.coach as { vague: number }).vague).toBeGreaterThanOrEqual(1);
    const again = await upload("/api/import/trello", fixture("trello.json"));
    expect(again.json).toMatchObject({
      goals: { created: 0, existing: 2 },
      steps: { created: 0, existing: 6 },
    });
  });

  it.skipIf(skip)("names a CSV file's goal from the query", async () => {
    const r = await upload(
      "/api/import/todoist?name=Get%20fit%20by%20spring",
      fixture("todoist.csv"),
      "text/csv",
    );
    expect(r.status).toBe(200);
    const goals = (await (await app.request("/api/goals?limit=50")).json()) as { items: { title: string }[] };
    expect(goals.items.map((g) => g.title)).toContain("Get fit by spring");
  });

  it.skipIf(skip)("refuses a bad file with 400 naming the line, writing nothing", async () => {
    const before = await snapshot();
    for (const [source, file, message] of [
      ["asana", "asana-short-row.csv", /^Line 4 of the Asana file/],
      ["todoist", "todoist-latin1.csv", /^Line 2 of the Todoist file is not UTF-8/],
      ["taskwarrior", "taskwarrior-truncated.json", /looks cut off/],
      ["trello", "binary.bin", /not UTF-8/],
    ] as const) {
      const r = await upload(`/api/import/${source}`, fixture(file));
      expect(r.status, file).toBe(400);
      expect(r.json.error?.code).toBe("invalid_import_file");
      expect(r.json.error?.message).toMatch(message);
    }
    expect((await upload("/api/import/wunderlist", "[]")).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it.skipIf(skip)("never answers 5xx to a malformed import and writes nothing when it refuses", async () => {
    const counts = async () => {
      const out: number[] = [];
      for (const t of ["goals", "steps", "import_keys", "events"] as const) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(ctx.store.db);
        out.push(Number(r.rows[0]?.n));
      }
      return out;
    };
    const before = await counts();
    const bodies = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom(
        "{",
        "[",
        "[{",
        '[{"uuid":"x"}]',
        '{"lists":[],"cards":[{}]}',
        "TYPE,CONTENT\ntask,",
        "Task ID,Name\n,\n",
        "\u0000",
      ),
      fc.uint8Array({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("taskwarrior", "trello", "todoist", "asana"),
        bodies,
        async (source, body) => {
          const r = await upload(`/api/import/${source}`, body as BodyInit);
          expect(r.status, `${source}: ${String(body).slice(0, 100)}`).toBeLessThan(500);
          if (r.status >= 400) {
            expect(r.json.error?.message.length).toBeGreaterThan(0);
            expect(await counts()).toEqual(before);
          }
        },
      ),
      { numRuns: d === "sqlite" ? 150 : 60 },
    );
  });

  it.skipIf(skip)("takes files over the usual 1 MiB body limit, up to 50 MB", async () => {
    const tasks = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({
        uuid: `big-${i}`,
        description: `Call supplier ${i} about the quote`,
        status: "pending",
        project: "Big",
      }),
    );
    const body = `[${tasks.join(",\n")}]`;
    expect(body.length).toBeGreaterThan((1024 * 1024) / 4);
    const padded = body + " ".repeat(1024 * 1024);
    const ok = await upload("/api/import/taskwarrior", padded);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ steps: { created: 6000 } });
    const huge = await upload("/api/import/taskwarrior", new Uint8Array(51 * 1024 * 1024).fill(32));
    expect(huge.status).toBe(413);
    expect(huge.json.error?.code).toBe("body_too_large");
    // Other routes keep the 1 MiB limit.
    const goal = await upload(
      "/api/goals",
      JSON.stringify({ title: "x".repeat(2 * 1024 * 1024) }),
      "application/json",
    );
    expect(goal.status).toBe(413);
  });

  it.skipIf(skip)(
    "takes an import with an Idempotency-Key, replays it, and still refuses a file too large",
    async () => {
      const send = (body: BodyInit, key: string) =>
        app.request("/api/import/todoist", {
          method: "POST",
          headers: { "content-type": "text/csv", "idempotency-key": key },
          body,
        });
      const first = await send(fixture("todoist.csv"), "import-once");
      expect(first.status).toBe(200);
      const again = await send(fixture("todoist.csv"), "import-once");
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      const huge = await send(new Uint8Array(51 * 1024 * 1024).fill(32), "import-huge");
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
      const goal = await app.request("/api/goals", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "goal-huge" },
        body: JSON.stringify({ title: "x".repeat(2 * 1024 * 1024) }),
      });
      expect(goal.status).toBe(413);
    },
  );

  it.skipIf(skip)("exports the plans as an iCalendar file, CSV and Markdown", async () => {
    const ics = await app.request("/api/export?format=ics");
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await ics.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text).toContain("RRULE:FREQ=DAILY;INTERVAL=7");
    const csv = await app.request("/api/export?format=csv");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="throughline.csv"');
    expect(await csv.text()).toMatch(/^goal_id,goal,/);
    const md = await app.request("/api/export?format=markdown");
    expect(await md.text()).toContain("## Spring meetup: Venue");
    expect((await app.request("/api/export?format=pdf")).status).toBe(400);
  });

  it.skipIf(skip)("reads a Taskwarrior due date in the importing person's time zone", async () => {
    const zone = (timeZone: string) =>
      app.request("/api/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone }),
      });
    expect((await zone("Asia/Tokyo")).status).toBe(200);
    try {
      const r = await upload("/api/import/taskwarrior", fixture("taskwarrior-tokyo.json"));
      expect(r.status).toBe(200);
      const steps = (await (
        await app.request("/api/steps?dueAfter=2026-12-03&dueBefore=2026-12-06&limit=100")
      ).json()) as {
        items: { text: string; dueDate: string | null }[];
      };
      const due = (text: string) => steps.items.find((s) => s.text === text)?.dueDate;
      // Both were typed as 5 December in Tokyo; the first is still the 4th in UTC.
      expect(due("Book the Shibuya venue")).toBe("2026-12-05");
      expect(due("Send the Osaka invitations")).toBe("2026-12-05");
    } finally {
      await zone("UTC");
    }
  });
});
