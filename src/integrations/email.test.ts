import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { fixedContext } from "../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../test/helpers/http.js";
import { startSmtp, type TestSmtp } from "../../test/helpers/smtp.js";
import type { AppContext } from "../app/context.js";
import type { NudgePayload } from "../app/delivery/nudges.js";
import { tick } from "../jobs/scheduler.js";
import { type Mailer, messageIdFor, renderNudgeEmail, smtpMailer } from "./email.js";

const NOW = "2026-11-21T10:00:00.000Z";
const PUBLIC_URL = "https://throughline.example.com";

describe("renderNudgeEmail", () => {
  const nudge: NudgePayload = {
    workspaceId: 1,
    userId: 1,
    kind: "obstacle-hit",
    subject: { type: "goal", id: 7 },
    title: "Sam hit an obstacle on <Launch>",
    message: `Plan B: if "approval" slips, ask Dana <script>alert(1)</script>`,
    lines: ["One & two"],
    link: "/goals/7",
    data: {},
  };

  it("escapes what people wrote in the HTML, and keeps it as written in the text", () => {
    const m = renderNudgeEmail(nudge, {
      publicUrl: PUBLIC_URL,
      unsubscribeUrl: `${PUBLIC_URL}/api/unsubscribe/t`,
      name: "Dana",
    });
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
    expect(m.html).toContain("One &amp; two");
    expect(m.text).toContain(`ask Dana <script>alert(1)</script>`);
    expect(m.text).toContain("Open it: https://throughline.example.com/goals/7");
    expect(m.text).toContain(
      "Stop all email from Throughline: https://throughline.example.com/api/unsubscribe/t",
    );
  });

  it("derives the same Message-ID from the same idempotency key", () => {
    expect(messageIdFor("job:1:email", PUBLIC_URL)).toBe(messageIdFor("job:1:email", PUBLIC_URL));
    expect(messageIdFor("job:1:email", PUBLIC_URL)).not.toBe(messageIdFor("job:2:email", PUBLIC_URL));
    expect(messageIdFor("job:1:email", PUBLIC_URL)).toMatch(/^<tl-[0-9a-f]{32}@throughline\.example\.com>$/);
  });
});

describe.each(DIALECTS)("email nudges over SMTP on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let ctx: AppContext;
  let api: Client;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    mailer = smtpMailer({
      url: smtp.url,
      from: "Throughline <nudges@throughline.example.com>",
      timeoutSeconds: 5,
    });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    smtp.messages.length = 0;
    db = await freshStore(d);
    ctx = fixedContext(db.store, NOW);
    api = await ownerClient(ctx);
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function call(method: string, path: string, body?: unknown, client: Client = api) {
    const res = await client.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text(), type: res.headers.get("content-type") ?? "" };
  }

  async function stepDueTomorrow(goalId: number, text: string): Promise<number> {
    const r = await call("POST", `/api/goals/${goalId}/steps`, { text, dueDate: "2026-11-22" });
    expect(r.status).toBe(201);
    return (JSON.parse(r.text) as { id: number }).id;
  }

  const run = () =>
    tick(ctx, new Date(NOW), { intervalMs: 60_000, mailer, publicUrl: PUBLIC_URL, worker: "w" });

  it.skipIf(skip)(
    "emails a nudge in text and HTML with an unsubscribe link that turns email off",
    async () => {
      expect((await call("PATCH", "/api/settings", { quietHours: null })).status).toBe(200);
      const goal = JSON.parse(
        (await call("POST", "/api/goals", { title: "Launch the newsletter", startDate: "2026-11-20" })).text,
      ) as { id: number };
      const stepId = await stepDueTomorrow(goal.id, "Email Raj the sponsorship deck");
      await run();
      const [mail] = await smtp.waitFor(1);
      expect(smtp.messages).toHaveLength(1);
      expect(mail?.subject).toBe("Due tomorrow: Email Raj the sponsorship deck");
      expect(mail?.to && "text" in mail.to ? mail.to.text : "").toBe("owner@example.com");
      expect(mail?.text).toContain("Hi Olu Owner,");
      expect(mail?.text).toContain(
        "“Email Raj the sponsorship deck” for Launch the newsletter is due tomorrow.",
      );
      // The link lands on the step on its goal's page.
      expect(mail?.text).toContain(`Open it: ${PUBLIC_URL}/goals/${goal.id}#step-${stepId}`);
      expect(mail?.html).toContain(
        "“Email Raj the sponsorship deck” for Launch the newsletter is due tomorrow.",
      );
      expect(mail?.html).toContain(`href="${PUBLIC_URL}/goals/${goal.id}#step-${stepId}"`);
      const link = /Stop all email from Throughline: (\S+)/.exec(mail?.text ?? "")?.[1] ?? "";
      expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/api/unsubscribe/un_[A-Za-z0-9_-]{43}$`));
      expect(mail?.html).toContain(`href="${link}"`);
      expect(mail?.headerLines.find((h) => h.key === "list-unsubscribe")?.line.replace(/\s+/g, " ")).toBe(
        `List-Unsubscribe: <${link}>`,
      );
      expect(mail?.messageId).toMatch(/^<tl-[0-9a-f]{32}@throughline\.example\.com>$/);

      // The link works without signing in, and answers a small page.
      const anonymous = await ownerlessRequest(new URL(link).pathname);
      expect(anonymous.status).toBe(200);
      expect(anonymous.type).toContain("text/html");
      expect(anonymous.text).toContain("You are unsubscribed");
      const settings = JSON.parse((await call("GET", "/api/settings")).text) as {
        channels: { email: boolean };
      };
      expect(settings.channels.email).toBe(false);

      // No further email; the inbox still gets the nudge.
      await stepDueTomorrow(goal.id, "Call Dana about the podcast");
      await run();
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.messages).toHaveLength(1);
      const items = JSON.parse((await call("GET", "/api/inbox")).text) as
        | { items?: { message: string }[] }
        | { message: string }[];
      const list = Array.isArray(items) ? items : (items.items ?? []);
      expect(list.some((i) => i.message.includes("Call Dana about the podcast"))).toBe(true);

      const unknown = await ownerlessRequest("/api/unsubscribe/un_nope");
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain("Link not recognised");
    },
  );

  it.skipIf(skip)("emails in-app notices too, once, to people who want them", async () => {
    await db.store.db
      .insertInto("notifications")
      .values({
        workspaceId: 1,
        userId: 1,
        type: "goal.changed",
        subjectType: "goal",
        subjectId: 1,
        message: "Olu moved the due date of Launch to 2027-04-01: the sponsor asked for April",
        payloadJson: "{}",
        createdAt: NOW,
        readAt: null,
      })
      .execute();
    await call("PATCH", "/api/settings", { quietHours: null });
    await run();
    await run();
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      "Olu moved the due date of Launch to 2027-04-01: the sponsor asked for April",
    ]);
  });

  /** A request with no credentials at all, as a mail client following the link makes it. */
  async function ownerlessRequest(path: string) {
    const { testApp } = await import("../../test/helpers/http.js");
    const res = await testApp(ctx).request(path);
    return { status: res.status, text: await res.text(), type: res.headers.get("content-type") ?? "" };
  }
});
