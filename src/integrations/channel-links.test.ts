/**
 * Issue 19, "messages that link back": a team's Slack and Teams channels hear of a check-in, a step
 * done and a goal change in one line (who, what, on which goal, why) that links to the goal or the
 * step under PUBLIC_URL. A real HTTP receiver on 127.0.0.1 gets what Slack and Teams would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore } from "../../test/helpers/dialects.js";
import { buildGoal, fixedContext, NOW } from "../../test/helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../../test/helpers/http.js";
import { type Receiver, startReceiver } from "../../test/helpers/receiver.js";
import type { AppContext } from "../app/context.js";
import { readJobsConfig } from "../jobs/config.js";
import { tick } from "../jobs/scheduler.js";
import { dispatchWebhooks } from "./webhooks.js";

const at = (seconds: number) => new Date(new Date(NOW).getTime() + seconds * 1000);
const PUBLIC = "https://throughline.example.com";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J };
};

describe("Slack and Teams messages link back to the goal or step", () => {
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let lead: Person;
  let mia: Person;
  let teamId: number;
  let rx: Receiver;

  beforeAll(async () => {
    db = await freshStore("sqlite");
    ctx = fixedContext(db.store);
    rx = await startReceiver();
    const app = testApp(ctx);
    const owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    const invite = async (email: string, role: string) =>
      (await send(owner.api, "POST", "/api/invitations", { teamId, role, email })).json.token as string;
    lead = await signUp(app, {
      email: "lena@example.com",
      name: "Lena",
      inviteToken: await invite("lena@example.com", "leader"),
    });
    mia = await signUp(app, {
      email: "mia@example.com",
      name: "Mia",
      inviteToken: await invite("mia@example.com", "member"),
    });
  });
  afterAll(async () => {
    await rx?.close();
    await db?.dispose();
  });

  const bodies = (path: string) =>
    rx.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, never>);

  it("a check-in, a step done and a goal change each say who, what and why, with the exact link", async () => {
    for (const kind of ["slack", "teams"]) {
      const put = await send(lead.api, "PUT", `/api/teams/${teamId}/integrations/${kind}`, {
        webhookUrl: `${rx.url}/${kind}`,
      });
      expect(put.status).toBe(200);
    }
    const goal = (
      await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Launch the podcast", teamId, visibility: "team" }),
      )
    ).json;
    const step = (
      await send(mia.api, "POST", `/api/goals/${goal.id}/steps`, {
        text: "Record episode one",
        dueDate: "2026-11-27",
      })
    ).json;
    expect(
      (
        await send(mia.api, "POST", `/api/goals/${goal.id}/checkins`, {
          date: "2026-11-21",
          confidence: "at-risk",
          doneText: "Booked the studio",
        })
      ).status,
    ).toBe(201);
    expect((await send(mia.api, "PATCH", `/api/steps/${step.id}`, { status: "done" })).status).toBe(200);
    expect(
      (
        await send(mia.api, "PATCH", `/api/goals/${goal.id}`, {
          dueDate: "2027-04-30",
          reason: "The studio is booked until March",
        })
      ).status,
    ).toBe(200);

    rx.requests.length = 0;
    const sum = await dispatchWebhooks(ctx, at(0), { publicUrl: `${PUBLIC}/` });
    expect(sum).toMatchObject({ attempted: 6, delivered: 6 });

    const goalLink = `${PUBLIC}/goals/${goal.id}`;
    const stepLink = `${PUBLIC}/goals/${goal.id}#step-${step.id}`;
    const slack = bodies("/slack").map((b) => b.text as string);
    expect(slack.sort()).toEqual(
      [
        `Mia changed the due date of <${goalLink}|Launch the podcast> — The studio is booked until March`,
        `Mia checked in on <${goalLink}|Launch the podcast> — at risk`,
        `Mia finished <${stepLink}|Record episode one> — a step of “Launch the podcast”`,
      ].sort(),
    );
    for (const b of bodies("/slack")) {
      const blocks = b.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
      // The line a phone shows first, under the header; the link again as "Open in Throughline".
      expect(blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: b.text } });
      const context = blocks.find((x) => x.type === "context");
      expect(context?.elements?.at(-1)?.text).toMatch(
        new RegExp(
          `^<${PUBLIC.replace(/\./g, "\\.")}/goals/${goal.id}(#step-${step.id})?\\|Open in Throughline>$`,
        ),
      );
    }

    const teams = bodies("/teams").map((b) => {
      const card = (
        b.attachments as unknown as {
          content: { body: { text?: string }[]; actions: { type: string; title: string; url: string }[] };
        }[]
      )[0]?.content;
      return { line: card?.body[1]?.text, actions: card?.actions };
    });
    expect(teams.sort((a, b) => String(a.line).localeCompare(String(b.line)))).toEqual([
      {
        line: "Mia changed the due date of Launch the podcast — The studio is booked until March",
        actions: [{ type: "Action.OpenUrl", title: "Open in Throughline", url: goalLink }],
      },
      {
        line: "Mia checked in on Launch the podcast — at risk",
        actions: [{ type: "Action.OpenUrl", title: "Open in Throughline", url: goalLink }],
      },
      {
        line: "Mia finished Record episode one — a step of “Launch the podcast”",
        actions: [{ type: "Action.OpenUrl", title: "Open in Throughline", url: stepLink }],
      },
    ]);
    // One short line each: nothing a phone has to scroll sideways for.
    for (const line of [...slack, ...teams.map((t) => String(t.line))]) {
      expect(line).not.toContain("\n");
      expect(line.replace(/<[^|]+\|([^>]+)>/g, "$1").length).toBeLessThanOrEqual(120);
    }
  });

  it("links to the server's own address when PUBLIC_URL is not set", async () => {
    const reading = readJobsConfig({}, { host: "0.0.0.0", port: 3000 });
    if (!reading.ok) throw new Error(reading.problems.join(" "));
    const goal = (
      await send(
        mia.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Hire a producer", teamId, visibility: "team" }),
      )
    ).json;
    await send(mia.api, "POST", `/api/goals/${goal.id}/checkins`, {
      date: "2026-11-21",
      confidence: "on-track",
    });
    rx.requests.length = 0;
    await tick(ctx, at(60), { intervalMs: 60_000, publicUrl: reading.config.publicUrl });
    const texts = bodies("/slack").map((b) => String(b.text));
    expect(texts).toContain(
      `Mia checked in on <http://localhost:3000/goals/${goal.id}|Hire a producer> — on track`,
    );
    // Whatever else the tick told the channel (a stalled goal, say) links under the same address.
    for (const t of texts) expect(t).toContain(`<http://localhost:3000/goals/${goal.id}|`);
  });
});
