import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { fixedContext, NOW } from "../../../test/helpers/factories.js";
import { type Receiver, startReceiver } from "../../../test/helpers/receiver.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { listDeliveries } from "../../app/webhooks/hooks.js";
import { dispatchWebhooks } from "../../integrations/webhooks.js";
import { migrate } from "../db.js";
import { appendEvent } from "../repos/events.js";
import { createLocalWorkspace } from "../repos/people.js";

const at = (seconds: number) => new Date(new Date(NOW).getTime() + seconds * 1000).toISOString();

describe.each(DIALECTS)("migration 0011 (webhook deliveries as jobs) on %s", (d) => {
  const db = suiteStore(d, { upTo: "0009-team-view-answers", each: true });
  const { skip } = db;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => rx?.close());

  it.skipIf(skip)(
    "keeps every delivery as a job and every attempt in the log, and sends the pending ones on",
    async () => {
      const owner = await createLocalWorkspace(db.store.db, NOW);
      for (let i = 1; i <= 3; i++) {
        await appendEvent(db.store.db, {
          workspaceId: owner.workspaceId,
          type: "goal.created",
          actorId: owner.id,
          subjectType: "goal",
          subjectId: i,
          payload: { title: `Goal ${i}` },
          createdAt: NOW,
        });
      }
      // The rows version 0009 wrote: one delivery pending after two failures, one delivered, one
      // given up; the older error texts carry the receiver's answer.
      // biome-ignore lint/suspicious/noExplicitAny: these tables are not in today's schema type
      const old = db.store.db.withoutPlugins() as unknown as Kysely<any>;
      const hook = await old
        .insertInto("webhooks")
        .values({
          workspace_id: owner.workspaceId,
          kind: "webhook",
          team_id: null,
          url: `${rx.url}/hook`,
          secret: "a shared secret of ours",
          events_json: JSON.stringify(["goal.created"]),
          created_by: owner.id,
          event_cursor: 3,
          event_floor: 0,
          created_at: NOW,
          updated_at: NOW,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const delivery = (eventId: number, state: string, attempts: number, extra: Record<string, unknown>) =>
        old
          .insertInto("webhook_deliveries")
          .values({
            webhook_id: hook.id,
            event_id: eventId,
            delivery_key: `key-${eventId}`,
            state,
            attempts,
            next_attempt_at: at(0),
            locked_until: null,
            last_status: null,
            last_error: null,
            delivered_at: null,
            created_at: NOW,
            ...extra,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
      const pending = await delivery(1, "pending", 2, {
        next_attempt_at: at(150),
        last_status: 500,
        last_error: "HTTP 500: <h1>Internal secret stack trace</h1>",
      });
      const delivered = await delivery(2, "delivered", 1, { last_status: 200, delivered_at: at(1) });
      const failed = await delivery(3, "failed", 6, { last_status: 503, last_error: "HTTP 503: down" });
      const attempt = (
        deliveryId: number,
        n: number,
        status: number,
        error: string | null,
        next: string | null,
      ) =>
        old
          .insertInto("webhook_attempts")
          .values({
            delivery_id: deliveryId,
            attempt: n,
            status_code: status,
            error,
            next_attempt_at: next,
            attempted_at: at(n),
            duration_ms: 12,
          })
          .execute();
      await attempt(pending.id, 1, 500, "HTTP 500: <h1>Internal secret stack trace</h1>", at(30));
      await attempt(delivered.id, 1, 200, null, null);
      await attempt(pending.id, 2, 500, "HTTP 500: <h1>Internal secret stack trace</h1>", at(150));
      await attempt(failed.id, 6, 503, "HTTP 503: down", null);

      await migrate(db.store);

      const jobs = await db.store.db
        .selectFrom("jobs")
        .selectAll()
        .where("kind", "=", "webhook-delivery")
        .orderBy("id")
        .execute();
      expect(
        jobs.map((j) => [j.dedupeKey, j.state, j.attempts, j.runAt, j.lastError, JSON.parse(j.payloadJson)]),
      ).toEqual([
        [
          `webhook:${hook.id}:1`,
          "queued",
          2,
          at(150),
          "HTTP 500",
          { webhookId: hook.id, eventId: 1, deliveryId: "key-1" },
        ],
        [
          `webhook:${hook.id}:2`,
          "done",
          1,
          at(0),
          null,
          { webhookId: hook.id, eventId: 2, deliveryId: "key-2" },
        ],
        [
          `webhook:${hook.id}:3`,
          "failed",
          6,
          at(0),
          "HTTP 503",
          { webhookId: hook.id, eventId: 3, deliveryId: "key-3" },
        ],
      ]);
      for (const table of ["webhook_deliveries", "webhook_attempts"]) {
        await expect(sql`select count(*) from ${sql.table(table)}`.execute(db.store.db)).rejects.toThrow();
      }

      // The log reads as before, without the receivers' answers.
      const ctx = fixedContext(db.store, at(150));
      const actor = { userId: owner.id, workspaceId: owner.workspaceId };
      const log = await listDeliveries(ctx, actor, hook.id, {});
      expect(
        log.items.map((i) => [i.deliveryId, i.attempt, i.statusCode, i.error, i.deliveredAt, i.state]),
      ).toEqual([
        ["key-3", 6, 503, "HTTP 503", null, "failed"],
        ["key-1", 2, 500, "HTTP 500", null, "pending"],
        ["key-2", 1, 200, null, at(1), "delivered"],
        ["key-1", 1, 500, "HTTP 500", null, "pending"],
      ]);

      // The pending delivery goes out when it was due, with its old delivery id; nothing is queued twice.
      expect(await dispatchWebhooks(ctx, new Date(at(149)))).toMatchObject({ queued: 0, attempted: 0 });
      expect(await dispatchWebhooks(ctx, new Date(at(150)))).toMatchObject({ queued: 0, delivered: 1 });
      expect(rx.requests.map((r) => [r.path, r.headers["x-throughline-delivery"]])).toEqual([
        ["/hook", "key-1"],
      ]);
      const after = await listDeliveries(ctx, actor, hook.id, { limit: 1 });
      expect(after.items[0]).toMatchObject({
        deliveryId: "key-1",
        attempt: 3,
        statusCode: 200,
        state: "delivered",
      });
      // New log rows take ids after the kept ones.
      expect(after.items[0]?.id).toBeGreaterThan(log.items[0]?.id ?? Number.POSITIVE_INFINITY);
    },
  );
});
