import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { type Client, signUp, testApp } from "../../../test/helpers/http.js";
import { type Receiver, startReceiver } from "../../../test/helpers/receiver.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { CHANNEL_EVENTS } from "../../app/webhooks/channels.js";
import { dispatchWebhooks } from "../../integrations/webhooks.js";
import { migrate } from "../db.js";

/** What a team channel heard before check-ins, steps done and goal changes were added. */
const OLD_DEFAULT = ["goal.stalled", "commitment.kept", "commitment.missed"];

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J };
};
const at = (seconds: number) => new Date(new Date(NOW).getTime() + seconds * 1000);

describe.each(DIALECTS)("migration 0024 (channels hear the new events) on %s", (d) => {
  const db = suiteStore(d, { upTo: "0023-planner-state" });
  const { skip } = db;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => rx?.close());

  it.skipIf(skip)(
    "a channel connected with the old default hears a check-in; customised hooks and webhooks keep their lists",
    async () => {
      const ctx = fixedContext(db.store);
      const app = testApp(ctx);
      const owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
      const teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
      for (const kind of ["slack", "teams"]) {
        const put = await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/${kind}`, {
          webhookUrl: `${rx.url}/${kind}`,
        });
        expect(put.status).toBe(200);
      }
      const hook = await send(owner.api, "POST", "/api/webhooks", {
        url: `${rx.url}/hook`,
        events: OLD_DEFAULT,
      });
      expect(hook.status).toBe(201);
      // What the version before stored: Slack with the old default list; Teams narrowed by hand.
      // biome-ignore lint/suspicious/noExplicitAny: the raw row, as an older version wrote it
      const raw = db.store.db.withoutPlugins() as unknown as Kysely<any>;
      const setEvents = (kind: string, events: string[]) =>
        raw
          .updateTable("webhooks")
          .set({ events_json: JSON.stringify(events) })
          .where("team_id", "=", teamId)
          .where("kind", "=", kind)
          .execute();
      await setEvents("slack", OLD_DEFAULT);
      await setEvents("teams", ["goal.stalled"]);

      await migrate(db.store);

      const stored = async (where: [string, unknown]) =>
        JSON.parse(
          (
            await raw
              .selectFrom("webhooks")
              .select("events_json")
              .where(where[0], "=", where[1])
              .executeTakeFirstOrThrow()
          ).events_json as string,
        ) as string[];
      expect(await stored(["kind", "slack"])).toEqual([...CHANNEL_EVENTS]);
      expect(await stored(["kind", "teams"])).toEqual(["goal.stalled"]);
      expect(await stored(["id", hook.json.id])).toEqual(OLD_DEFAULT);

      const goal = await send(
        owner.api,
        "POST",
        "/api/goals",
        buildGoal({ title: "Launch the podcast", teamId, visibility: "team" }),
      );
      expect(goal.status).toBe(201);
      const checkin = await send(owner.api, "POST", `/api/goals/${goal.json.id}/checkins`, {
        confidence: "on-track",
        doneText: "Recorded the pilot",
      });
      expect(checkin.status).toBe(201);

      rx.requests.length = 0;
      await dispatchWebhooks(ctx, at(0));
      const paths = rx.requests.map((r) => r.path);
      expect(paths).toEqual(["/slack"]);
      const body = JSON.parse(rx.requests[0]?.body ?? "{}") as { blocks: { text?: { text: string } }[] };
      expect(JSON.stringify(body)).toContain("Olu checked in on");
      expect(JSON.stringify(body)).toContain("Launch the podcast");
    },
  );
});
