/**
 * Webhook replay: deliveries are signed with the Standard Webhooks scheme (webhook-id,
 * webhook-timestamp, webhook-signature), so a receiver verifying with the standardwebhooks
 * package refuses a captured delivery sent again later, one whose body was altered, and one whose
 * timestamp was moved forward; retries carry the same webhook-id for it to drop duplicates.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppContext } from "../../src/app/context.js";
import { dispatchWebhooks } from "../../src/integrations/webhooks.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { buildGoal, fixedContext } from "../helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";
import { type Received, type Receiver, startReceiver } from "../helpers/receiver.js";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J };
};

/** The Standard Webhooks headers of a request the receiver got. */
function standard(got: Received): Record<string, string> {
  return {
    "webhook-id": String(got.headers["webhook-id"]),
    "webhook-timestamp": String(got.headers["webhook-timestamp"]),
    "webhook-signature": String(got.headers["webhook-signature"]),
  };
}

describe.each(DIALECTS)("webhook signatures on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let app: ReturnType<typeof testApp>;
  let owner: Person;
  let rx: Receiver;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    app = testApp(ctx);
    owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    rx = await startReceiver();
  });
  afterEach(() => {
    vi.useRealTimers();
    rx.status = () => 200;
  });
  afterAll(async () => {
    await rx?.close();
    await db?.dispose();
  });

  it.skipIf(skip)(
    "verifies with standardwebhooks, and refuses a replay, an altered body or a moved timestamp",
    async () => {
      const hook = await send(owner.api, "POST", "/api/webhooks", {
        url: `${rx.url}/std`,
        events: ["goal.created"],
      });
      expect(hook.status).toBe(201);
      const secret = hook.json.secret as string;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const test = await send(owner.api, "POST", `/api/webhooks/${hook.json.id}/test`);
      expect(test.json).toMatchObject({ state: "delivered" });
      const got = rx.requests.at(-1) as Received;
      const headers = standard(got);
      expect(headers["webhook-id"]).toBe(test.json.deliveryId);

      const receiver = new Webhook(secret);
      expect(receiver.verify(got.body, headers)).toMatchObject({ type: "hook.test" });

      const altered = got.body.replace("hook.test", "goal.created");
      expect(() => receiver.verify(altered, headers)).toThrow(/No matching signature/);

      const moved = { ...headers, "webhook-timestamp": String(Math.floor(Date.now() / 1000) + 60) };
      expect(() => receiver.verify(got.body, moved)).toThrow(/No matching signature/);

      const wrongKey = new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`);
      expect(() => wrongKey.verify(got.body, headers)).toThrow(/No matching signature/);

      // The same captured request, sent again six minutes later.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 6 * 60_000);
      expect(() => receiver.verify(got.body, headers)).toThrow(/timestamp too old/);
    },
  );

  it.skipIf(skip)(
    "signs with a secret the owner chose, as raw bytes, and keeps the id across retries",
    async () => {
      const secret = "our shared secret, not base64!";
      const hook = await send(owner.api, "POST", "/api/webhooks", {
        url: `${rx.url}/chosen`,
        events: ["goal.created"],
        secret,
      });
      expect(hook.status).toBe(201);
      rx.status = (path) => (path === "/chosen" ? 503 : 200);
      await send(owner.api, "POST", "/api/goals", buildGoal({ title: "Ship the beta" }));
      await dispatchWebhooks(ctx, new Date(Date.parse("2026-11-21T11:00:00.000Z")));
      rx.status = () => 200;
      await dispatchWebhooks(ctx, new Date(Date.parse("2026-11-21T12:00:00.000Z")));
      const attempts = rx.requests.filter((r) => r.path === "/chosen");
      expect(attempts).toHaveLength(2);
      const [first, second] = attempts.map(standard) as [Record<string, string>, Record<string, string>];
      expect(second["webhook-id"]).toBe(first["webhook-id"]);
      const receiver = new Webhook(secret, { format: "raw" });
      for (const [i, a] of attempts.entries()) {
        expect(receiver.verify(a.body, standard(a)), `attempt ${i + 1}`).toMatchObject({
          type: "goal.created",
        });
      }
    },
  );
});
