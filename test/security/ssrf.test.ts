/**
 * SSRF: webhooks and teams' Slack and Teams channels must not make the server call its own
 * network. A URL whose host is a non-public address written literally is refused when it is
 * saved; a name is resolved and checked at every send, and a refused delivery fails with a
 * readable reason. Only addresses on THROUGHLINE_OUTBOUND_ALLOW are reachable (that is how a
 * local receiver is reached), and the delivery log never carries what the receiver answered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app/context.js";
import { OUTBOUND_ALLOW_ENV } from "../../src/app/webhooks/outbound.js";
import type { Resolver } from "../../src/integrations/outbound.js";
import { dispatchWebhooks } from "../../src/integrations/webhooks.js";
import { readServerConfig } from "../../src/server/config.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { buildGoal, fixedContext } from "../helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: (text ? JSON.parse(text) : {}) as J & { items?: J[] } };
};

/** Hosts written literally that are not public: each refused when saved. */
const LITERAL_URLS = [
  "http://169.254.169.254/latest/meta-data/",
  "https://169.254.169.254/latest/meta-data/",
  "https://10.0.0.5/hook",
  "https://172.16.4.2/hook",
  "https://192.168.1.10/hook",
  "https://100.64.0.1/hook",
  "https://0.0.0.0/hook",
  "https://127.0.0.1/hook",
  "https://127.1/hook",
  "https://2130706433/hook",
  "https://0x7f000001/hook",
  "https://localhost/hook",
  "https://localhost./hook",
  "https://api.localhost/hook",
  "https://[::]/hook",
  "https://[::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://[::ffff:169.254.169.254]/hook",
  "https://[fd00::1]/hook",
  "https://[fe80::1]/hook",
];

/** What a name may resolve to that must never be connected to. */
const RESOLVED_ADDRESSES = [
  "127.0.0.1",
  "127.0.0.53",
  "10.1.2.3",
  "172.20.0.1",
  "192.168.0.7",
  "169.254.169.254",
  "100.64.0.1",
  "0.0.0.0",
  "::",
  "::1",
  "::ffff:127.0.0.1",
  "::ffff:10.0.0.1",
  "fd12:3456::1",
  "fe80::1",
];

const resolver: Resolver = async (host) => {
  const m = /^evil-(\d+)\.example\.com$/.exec(host);
  if (m) {
    const address = RESOLVED_ADDRESSES[Number(m[1])] as string;
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  }
  if (host === "mixed.example.com") {
    return [
      { address: "93.184.215.14", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
  }
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

describe.each(DIALECTS)("outgoing requests on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let app: ReturnType<typeof testApp>;
  let owner: Person;
  let teamId: number;
  let rx: Receiver;
  const allowBefore = process.env[OUTBOUND_ALLOW_ENV];

  beforeAll(async () => {
    if (skip) return;
    process.env[OUTBOUND_ALLOW_ENV] = "";
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    app = testApp(ctx);
    owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
    rx = await startReceiver();
  });
  afterEach(() => {
    process.env[OUTBOUND_ALLOW_ENV] = "";
  });
  afterAll(async () => {
    if (allowBefore === undefined) delete process.env[OUTBOUND_ALLOW_ENV];
    else process.env[OUTBOUND_ALLOW_ENV] = allowBefore;
    await rx?.close();
    await db?.dispose();
  });

  it.skipIf(skip)(
    "refuses a webhook or channel URL whose host is a non-public address, saying how to allow it",
    async () => {
      const urls = [...LITERAL_URLS, `${rx.url}/hook`];
      for (const url of urls) {
        const hook = await send(owner.api, "POST", "/api/webhooks", { url, events: ["goal.created"] });
        expect(hook.status, url).toBeGreaterThanOrEqual(400);
        expect(hook.status, url).toBeLessThan(500);
        expect(hook.text, url).toMatch(/THROUGHLINE_OUTBOUND_ALLOW/);
        for (const kind of ["slack", "teams"]) {
          const channel = await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/${kind}`, {
            webhookUrl: url,
          });
          expect(channel.status, `${kind} ${url}`).toBeGreaterThanOrEqual(400);
          expect(channel.status, `${kind} ${url}`).toBeLessThan(500);
          expect(channel.text, url).toMatch(/THROUGHLINE_OUTBOUND_ALLOW/);
        }
      }
      const list = await send(owner.api, "GET", "/api/webhooks");
      expect(list.json.items ?? list.json).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "refuses at send a name that resolves to a non-public address, failing the delivery with the reason",
    async () => {
      const hooks: number[] = [];
      for (let i = 0; i < RESOLVED_ADDRESSES.length; i++) {
        const made = await send(owner.api, "POST", "/api/webhooks", {
          url: `https://evil-${i}.example.com/hook`,
          events: ["goal.created"],
        });
        expect(made.status).toBe(201);
        hooks.push(made.json.id);
      }
      // A channel URL with a name is accepted when saved: it is checked when sent.
      const channel = await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/slack`, {
        webhookUrl: "https://mixed.example.com/services/T/B/x",
      });
      expect(channel.status).toBe(200);
      const mixed = await send(owner.api, "POST", "/api/webhooks", {
        url: "https://mixed.example.com/hook",
        events: ["goal.created"],
      });
      hooks.push(mixed.json.id);
      const before = rx.requests.length;
      await send(
        owner.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Hire a designer", teamId, visibility: "team" }),
      );
      const summary = await dispatchWebhooks(ctx, new Date(Date.parse("2026-11-21T11:00:00.000Z")), {
        resolver,
      });
      expect(summary.failed).toBe(RESOLVED_ADDRESSES.length + 1);
      expect(summary.delivered).toBe(0);
      expect(rx.requests.length).toBe(before);
      for (const [i, id] of hooks.entries()) {
        const log = await send(owner.api, "GET", `/api/webhooks/${id}/deliveries`);
        const entry = log.json.items?.[0];
        const name = i < RESOLVED_ADDRESSES.length ? `evil-${i}` : "mixed";
        expect(entry, name).toMatchObject({ state: "failed", statusCode: null, nextAttemptAt: null });
        expect(entry?.error as string).toMatch(new RegExp(`^Refused: ${name}\\.example\\.com resolves to `));
        expect(entry?.error as string).toMatch(/THROUGHLINE_OUTBOUND_ALLOW/);
      }
    },
  );

  it.skipIf(skip)("reaches an allow-listed receiver, and logs its status without its body", async () => {
    process.env[OUTBOUND_ALLOW_ENV] = "127.0.0.1/32, ::1";
    const hook = await send(owner.api, "POST", "/api/webhooks", {
      url: `${rx.url}/broken`,
      events: ["goal.created"],
    });
    expect(hook.status).toBe(201);
    rx.status = (path) => (path === "/broken" ? 500 : 200);
    const test = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(test.json).toMatchObject({ statusCode: 500, error: "HTTP 500" });
    rx.status = () => 200;
    const ok = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(ok.json).toMatchObject({ state: "delivered", statusCode: 200, error: null });
    const log = await send(owner.api, "GET", `/api/webhooks/${hook.json.id}/deliveries`);
    expect(log.json.items?.map((e) => e.statusCode)).toEqual([200, 500]);
    expect(log.text).not.toContain("receiver failed");

    // Taken off the allow-list, the saved receiver is refused at send.
    process.env[OUTBOUND_ALLOW_ENV] = "";
    const refused = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
    expect(refused.json).toMatchObject({ state: "failed", statusCode: null });
    expect(refused.json.error as string).toMatch(/^Refused: 127\.0\.0\.1 is a loopback address/);
  });
});

describe("the outbound allow-list", () => {
  it("is checked at start-up: a mistyped entry stops the server with how to write it", () => {
    const r = readServerConfig({ THROUGHLINE_OUTBOUND_ALLOW: "127.0.0.1, localhost, 10.0.0.0/33" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(2);
      expect(r.problems[0]).toMatch(/'localhost' is not an IP address or CIDR range/);
    }
    expect(readServerConfig({ THROUGHLINE_OUTBOUND_ALLOW: "127.0.0.1,::1,10.20.0.0/16" }).ok).toBe(true);
  });
});
