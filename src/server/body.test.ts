/**
 * Issue 17 (http21): over a real socket the API reads a body straight from Node's request (not
 * through a web `Request`) and leaves a GET's alone. What a client sees must not change: the body
 * as sent (UTF-8, a chunked body too), a malformed or oversized body refused with its code and
 * nothing written, and an Idempotency-Key retry answered from the first answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../test/helpers/factories.js";
import { type Client, type Person, serveApp, signUp } from "../../test/helpers/http.js";
import { MAX_BODY_BYTES } from "./app.js";

type Answer = Record<string, unknown> & { id: number; error?: { code: string } };

describe.each(DIALECTS)("request bodies over a socket on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let ada: Person;
  let goalId: number;

  const post = (c: Client, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    c.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      // A stream body needs it (fetch sends it chunked, without Content-Length).
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
  const checkins = async () => {
    const r = await ada.api.request(`/api/goals/${goalId}/checkins`);
    expect(r.status).toBe(200);
    return ((await r.json()) as { items: Answer[] }).items;
  };

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    server = await serveApp(fixedContext(db.store));
    ada = await signUp(server.http, { email: "ada@example.com", name: "Ada" });
    const goal = await post(ada.api, "/api/goals", JSON.stringify(buildGoal()));
    expect(goal.status).toBe(201);
    goalId = ((await goal.json()) as Answer).id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  it.skipIf(skip)("stores a check-in's text as sent, in UTF-8", async () => {
    const r = await post(
      ada.api,
      `/api/goals/${goalId}/checkins`,
      JSON.stringify({ doneText: "Café with Zoë ✓ — sent the deck 📨" }),
    );
    expect(r.status).toBe(201);
    expect(((await r.json()) as Answer).doneText).toBe("Café with Zoë ✓ — sent the deck 📨");
  });

  it.skipIf(skip)("reads a chunked body (no Content-Length) the same way", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ doneText: "Chunked ✓" }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const r = await post(ada.api, `/api/goals/${goalId}/checkins`, body);
    expect(r.status).toBe(201);
    expect(((await r.json()) as Answer).doneText).toBe("Chunked ✓");
  });

  it.skipIf(skip)("refuses malformed JSON with invalid_json and writes nothing", async () => {
    const before = (await checkins()).length;
    const r = await post(ada.api, `/api/goals/${goalId}/checkins`, '{"doneText": "half');
    expect(r.status).toBe(400);
    expect(((await r.json()) as Answer).error?.code).toBe("invalid_json");
    expect((await checkins()).length).toBe(before);
  });

  it.skipIf(skip)("refuses a body over the limit with body_too_large and writes nothing", async () => {
    const before = (await checkins()).length;
    const r = await post(
      ada.api,
      `/api/goals/${goalId}/checkins`,
      JSON.stringify({ doneText: "x".repeat(MAX_BODY_BYTES) }),
    );
    expect(r.status).toBe(413);
    expect(((await r.json()) as Answer).error?.code).toBe("body_too_large");
    expect((await checkins()).length).toBe(before);
  });

  it.skipIf(skip)("answers a retry with the same Idempotency-Key from the first answer", async () => {
    const before = (await checkins()).length;
    const body = JSON.stringify({ doneText: "Once only ✓" });
    const headers = { "idempotency-key": "http21-retry-1" };
    const first = await post(ada.api, `/api/goals/${goalId}/checkins`, body, headers);
    expect(first.status).toBe(201);
    const again = await post(ada.api, `/api/goals/${goalId}/checkins`, body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    const other = await post(
      ada.api,
      `/api/goals/${goalId}/checkins`,
      JSON.stringify({ doneText: "Other" }),
      headers,
    );
    expect(other.status).toBe(422);
    expect((await checkins()).length).toBe(before + 1);
  });
});
