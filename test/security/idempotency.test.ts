/**
 * Idempotent retries (issue 16, defect 6): a POST that creates, sent again with the same
 * Idempotency-Key and body, answers the first answer and stores nothing new; the same key with
 * another body is a 422; concurrent duplicates create once; the key holds across two instances
 * on one PostgreSQL database and for 24 hours. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, appContext } from "../../src/app/context.js";
import { createApiClient } from "../../src/client/client.js";
import { openAndMigrate, type Store } from "../../src/store/db.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";

if (!dialectAvailable("postgres") && process.env.CI === "true") {
  throw new Error("PostgreSQL is required in CI for the idempotency tests: apt-get install -y postgresql");
}

/** A clock the test moves. */
function movableClock(start: string) {
  let at = new Date(start).getTime();
  return { now: () => new Date(at), advanceHours: (h: number) => (at += h * 3_600_000) };
}

function post(who: Client, path: string, body: unknown, key?: string) {
  return who.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
  });
}

async function checkinCount(who: Person, goalId: number): Promise<number> {
  const res = await who.api.request(`/api/goals/${goalId}/checkins`);
  return ((await res.json()) as { items: unknown[] }).items.length;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`Idempotency-Key on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let ctx: AppContext;
    let clock: ReturnType<typeof movableClock>;
    let app: ReturnType<typeof testApp>;
    let owner: Person;
    let goalId: number;

    beforeAll(async () => {
      db = await freshStore(dialect);
      clock = movableClock("2026-11-21T10:00:00.000Z");
      ctx = appContext(db.store, clock.now);
      app = testApp(ctx);
      owner = await signUp(app, { email: "ada@example.com" });
      const goal = await post(owner.api, "/api/goals", {
        title: "Ship the spring newsletter",
        dueDate: "2030-06-30",
      });
      goalId = ((await goal.json()) as { id: number }).id;
    });

    afterAll(async () => {
      await db?.dispose();
    });

    it("stores one check-in for two POSTs with the same key, and replays the first answer", async () => {
      const before = await checkinCount(owner, goalId);
      const body = { doneText: "Wrote the intro", confidence: "on-track" };
      const unkeyed = await post(owner.api, `/api/goals/${goalId}/checkins`, body);
      const first = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-1");
      const second = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-1");
      expect([unkeyed.status, first.status, second.status]).toEqual([201, 201, 201]);
      const a = (await first.json()) as { id: number };
      const b = (await second.json()) as { id: number };
      expect(b).toEqual(a);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(await checkinCount(owner, goalId)).toBe(before + 2);
    });

    it("refuses the same key with another body with a 422 that says why", async () => {
      const before = await checkinCount(owner, goalId);
      await post(owner.api, `/api/goals/${goalId}/checkins`, { doneText: "Drafted the outline" }, "retry-2");
      const other = await post(
        owner.api,
        `/api/goals/${goalId}/checkins`,
        { doneText: "Something else" },
        "retry-2",
      );
      expect(other.status).toBe(422);
      const error = ((await other.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("idempotency_key_reused");
      expect(error.message).toMatch(/new key/i);
      expect(await checkinCount(owner, goalId)).toBe(before + 1);
    });

    it("creates once when the same key arrives many times at once", async () => {
      const before = await checkinCount(owner, goalId);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          post(owner.api, `/api/goals/${goalId}/checkins`, { doneText: "Sent the draft" }, "retry-3"),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(
        statuses.every((s) => s === 201 || s === 409),
        String(statuses),
      ).toBe(true);
      expect(statuses).toContain(201);
      expect(await checkinCount(owner, goalId)).toBe(before + 1);
    });

    it("keeps the key per person: the web app's session and the API token share it", async () => {
      const before = await checkinCount(owner, goalId);
      const body = { doneText: "Booked the printer" };
      const viaToken = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-4");
      const viaSession = await post(owner.browser, `/api/goals/${goalId}/checkins`, body, "retry-4");
      expect(viaSession.status).toBe(viaToken.status);
      expect(await checkinCount(owner, goalId)).toBe(before + 1);
    });

    it("replays a refusal too, and forgets the key after 24 hours", async () => {
      const before = await checkinCount(owner, goalId);
      const body = { doneText: "Proofread the issue" };
      await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-5");
      clock.advanceHours(23);
      const within = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-5");
      expect(within.headers.get("idempotent-replayed")).toBe("true");
      clock.advanceHours(2);
      const after = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "retry-5");
      expect(after.status).toBe(201);
      expect(after.headers.get("idempotent-replayed")).toBeNull();
      expect(await checkinCount(owner, goalId)).toBe(before + 2);
    });

    it("the shared API client (CLI and web app) sends one key per create and reuses it when the reply is lost", async () => {
      const before = await checkinCount(owner, goalId);
      const keys: string[] = [];
      let lose = true;
      const client = createApiClient({
        baseUrl: "http://throughline.test",
        headers: { authorization: `Bearer ${owner.token}` },
        fetch: async (request) => {
          keys.push(request.headers.get("idempotency-key") ?? "");
          const url = new URL(request.url);
          const answer = await app.request(`${url.pathname}${url.search}`, request);
          // The first answer is lost on the way back, after the server committed: the client retries.
          if (lose) {
            lose = false;
            throw new TypeError("fetch failed: the connection was reset");
          }
          return answer;
        },
      });
      const { data, response } = await client.POST("/api/goals/{id}/checkins", {
        params: { path: { id: goalId } },
        body: { doneText: "Sent the issue to the printer" },
      });
      expect(response.status).toBe(201);
      expect(data?.doneText).toBe("Sent the issue to the printer");
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(keys[1]).toBe(keys[0]);
      expect(await checkinCount(owner, goalId)).toBe(before + 1);
      // A second create is a new logical create: a new key.
      await client.POST("/api/goals/{id}/checkins", {
        params: { path: { id: goalId } },
        body: { doneText: "Sent the issue to the printer" },
      });
      expect(keys[2]).not.toBe(keys[0]);
      expect(await checkinCount(owner, goalId)).toBe(before + 2);
    });

    it("refuses a key that is not a short printable text", async () => {
      const res = await post(owner.api, `/api/goals/${goalId}/checkins`, { doneText: "x" }, "x".repeat(300));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_idempotency_key");
    });
  });
}

describe.skipIf(!dialectAvailable("postgres"))(
  "Idempotency-Key across two instances on one PostgreSQL",
  () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let second: Store;
    let owner: Person;
    let onB: Client;
    let goalId: number;

    beforeAll(async () => {
      db = await freshStore("postgres");
      second = await openAndMigrate({ databaseUrl: db.config.databaseUrl as string });
      const a = testApp(appContext(db.store));
      const b = testApp(appContext(second));
      owner = await signUp(a, { email: "ada@example.com" });
      onB = {
        request: (path, init) =>
          b.request(path, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${owner.token}` },
          }),
      };
      const goal = await post(owner.api, "/api/goals", {
        title: "Ship the spring newsletter",
        dueDate: "2030-06-30",
      });
      goalId = ((await goal.json()) as { id: number }).id;
    });

    afterAll(async () => {
      await second?.close();
      await db?.dispose();
    });

    it("replays on B what A answered, and creates once when A and B get the key at once", async () => {
      const body = { doneText: "Wrote the intro" };
      const onA = await post(owner.api, `/api/goals/${goalId}/checkins`, body, "two-1");
      const replay = await post(onB, `/api/goals/${goalId}/checkins`, body, "two-1");
      expect(replay.status).toBe(onA.status);
      expect(await replay.json()).toEqual(await onA.json());

      const both = await Promise.all([
        ...Array.from({ length: 4 }, () => post(owner.api, `/api/goals/${goalId}/checkins`, body, "two-2")),
        ...Array.from({ length: 4 }, () => post(onB, `/api/goals/${goalId}/checkins`, body, "two-2")),
      ]);
      expect(both.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(await checkinCount(owner, goalId)).toBe(2);
    });
  },
);
