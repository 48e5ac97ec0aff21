/**
 * A step's time of day (issue 19, "Reminders at a chosen time"): set, changed and cleared over
 * HTTP on both databases, each change kept in the goal's history, bad times refused with how to
 * write one and nothing written.
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

describe.each(DIALECTS)("a step's time of day on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ana: Person;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ana = await signUp(testApp(fixedContext(db.store)), { email: "ana@example.com", name: "Ana" });
    goalId = (await send(ana.api, "POST", "/api/goals", buildGoal())).json.id;
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("keeps the time given when a step is added, written as HH:MM", async () => {
    const added = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
      text: "Call the venue about the date",
      dueDate: "2026-11-25",
      dueTime: "9:05",
    });
    expect(added.status).toBe(201);
    expect(added.json.dueTime).toBe("09:05");
    const read = await send(ana.api, "GET", `/api/steps/${added.json.id}`);
    expect(read.json.dueTime).toBe("09:05");
    const plain = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
      text: "Email the venue the guest list",
      dueDate: "2026-11-26",
    });
    expect(plain.json.dueTime).toBeNull();
  });

  it.skipIf(skip)("keeps every change of time in the history: who, when, from, to and why", async () => {
    const { id } = (
      await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Book the room for the workshop",
        dueDate: "2026-11-27",
        dueTime: "15:30",
      })
    ).json;
    const moved = await send(ana.api, "PATCH", `/api/steps/${id}`, {
      dueTime: "16:45",
      reason: "The venue opens late on Fridays",
    });
    expect(moved.status).toBe(200);
    expect(moved.json.dueTime).toBe("16:45");
    const cleared = await send(ana.api, "PATCH", `/api/steps/${id}`, { dueTime: null });
    expect(cleared.status).toBe(200);
    expect(cleared.json.dueTime).toBeNull();
    const history = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items as J[];
    const times = history.filter((c) => c.entityId === id && c.field === "dueTime");
    expect(times.map((c) => [c.oldValue, c.newValue, c.reason, c.userId])).toEqual([
      ["15:30", "16:45", "The venue opens late on Fridays", ana.userId],
      ["16:45", null, null, ana.userId],
    ]);
    expect(times.every((c) => typeof c.createdAt === "string")).toBe(true);
  });

  it.skipIf(skip)("refuses a time that is not one, saying how to write it, and writes nothing", async () => {
    const { id } = (
      await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Send the agenda",
        dueDate: "2026-11-28",
        dueTime: "08:00",
      })
    ).json;
    const before = (await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items.length;
    for (const bad of ["25:00", "3pm-ish", "12:60", ""]) {
      const r = await send(ana.api, "PATCH", `/api/steps/${id}`, { dueTime: bad });
      expect(r.status, bad).toBe(400);
      expect(JSON.stringify(r.json.error), bad).toContain("HH:MM");
      const added = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
        text: "Never stored",
        dueDate: "2026-11-28",
        dueTime: bad,
      });
      expect(added.status, bad).toBe(400);
    }
    expect((await send(ana.api, "GET", `/api/steps/${id}`)).json.dueTime).toBe("08:00");
    expect((await send(ana.api, "GET", `/api/goals/${goalId}/history`)).json.items.length).toBe(before);
    const steps = (await send(ana.api, "GET", `/api/steps?goal=${goalId}&all=true`)).json.items as J[];
    expect(steps.some((s) => s.text === "Never stored")).toBe(false);
  });

  it.skipIf(skip)("refuses a time without a due day", async () => {
    const r = await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
      text: "Someday tidy the shared drive",
      dueTime: "10:00",
    });
    expect(r.status).toBe(422);
    expect(r.json.error.message).toMatch(/due date/);
  });

  it.skipIf(skip)(
    "puts a timed step in my calendar feed at its time, with an alarm and a UID under the host",
    async () => {
      const { id } = (
        await send(ana.api, "POST", `/api/goals/${goalId}/steps`, {
          text: "Ring the caterer",
          dueDate: "2026-12-03",
          dueTime: "15:30",
        })
      ).json;
      const path = (await send(ana.api, "POST", "/api/calendar/token")).json.path as string;
      const app = testApp(fixedContext(db.store));
      const feed = (await (await app.request(path)).text()).replace(/\r\n[ \t]/g, "");
      const event = feed.split("BEGIN:VEVENT").find((e) => e.includes(`UID:step-${id}@127.0.0.1`)) ?? "";
      expect(event).toContain("DTSTART:20261203T153000Z");
      expect(event).toContain("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=START:PT0S");
      expect(event).toContain(`URL;VALUE=URI:http://127.0.0.1:3000/goals/${goalId}#step-${id}`);
      const exported = await (await ana.api.request("/api/export?format=ics")).text();
      expect(exported.replace(/\r\n[ \t]/g, "")).toBe(feed);
    },
  );
});
