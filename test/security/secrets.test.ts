/**
 * Secrets at rest: webhook secrets and Slack/Teams channel URLs (the URL is the credential) are
 * never in clear in the SQLite file or PostgreSQL's rows; the key is made on first start into the
 * data folder (owner-only) when THROUGHLINE_SECRET_KEY is unset; older rows are sealed by
 * migration 0018; backups and exports are written owner-only (0600).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { backupDatabase } from "../../src/app/exports/exports.js";
import { createWebhook, listWebhooks } from "../../src/app/webhooks/hooks.js";
import { openAndMigrate } from "../../src/store/db.js";
import { migration as m0018 } from "../../src/store/migrations/0018-sealed-hook-secrets.js";
import { SECRET_KEY_ENV, SECRET_KEY_FILE } from "../../src/store/secret-box.js";
import { cli } from "../helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { actorFor, fixedContext } from "../helpers/factories.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";

const SECRET = "whsec-marker-do-not-store-in-clear-0001";
const HOOK_URL = "https://hooks.example.com/in/MARKERHOOKPATH0002";
const CHANNEL_URL = "https://hooks.slack.com/services/T000/B000/MARKERCHANNEL0003";

type J = Record<string, unknown> & { id: number };
const send = async (c: Client, method: string, path: string, body?: unknown) => {
  const r = await c.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as J & { items?: J[] } };
};

function withoutKeyEnv<T>(body: () => Promise<T>): Promise<T> {
  const before = process.env[SECRET_KEY_ENV];
  delete process.env[SECRET_KEY_ENV];
  return body().finally(() => {
    if (before !== undefined) process.env[SECRET_KEY_ENV] = before;
  });
}

describe.each(DIALECTS)("secrets at rest on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof testApp>;
  let owner: Person;
  let teamId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
    owner = await signUp(app, { email: "owner@example.com", name: "Olu" });
    teamId = (await send(owner.api, "POST", "/api/teams", { name: "Growth" })).json.id;
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "stores webhook secrets and channel URLs encrypted, and still shows and uses them",
    async () => {
      const hook = await send(owner.api, "POST", "/api/webhooks", {
        url: HOOK_URL,
        events: ["goal.created"],
        secret: SECRET,
      });
      expect(hook.status).toBe(201);
      expect(hook.json.secret).toBe(SECRET);
      const channel = await send(owner.api, "PUT", `/api/teams/${teamId}/integrations/slack`, {
        webhookUrl: CHANNEL_URL,
      });
      expect(channel.status).toBe(200);
      expect(channel.json.url).toBe("https://hooks.slack.com/…0003");
      const list = await send(owner.api, "GET", "/api/webhooks");
      expect(JSON.stringify(list.json)).toContain(HOOK_URL);

      const rows = await sql<{
        url: string;
        secret: string | null;
      }>`select url, secret from webhooks`.execute(db.store.db);
      expect(rows.rows).toHaveLength(2);
      for (const r of rows.rows) {
        expect(r.url).toMatch(/^tl1:/);
        if (r.secret !== null) expect(r.secret).toMatch(/^tl1:/);
      }
      const dumped = JSON.stringify(rows.rows);
      for (const marker of ["MARKERHOOKPATH0002", "MARKERCHANNEL0003", SECRET, "hooks.example.com"]) {
        expect(dumped).not.toContain(marker);
      }
      if (d === "sqlite") {
        const file = db.config.file as string;
        const bytes = [file, `${file}-wal`]
          .map((f) => {
            try {
              return readFileSync(f).toString("latin1");
            } catch {
              return "";
            }
          })
          .join("");
        for (const marker of ["MARKERHOOKPATH0002", "MARKERCHANNEL0003", SECRET]) {
          expect(bytes).not.toContain(marker);
        }
      }
    },
  );

  it.skipIf(skip)("seals rows stored in clear by an older version (migration 0018)", async () => {
    const { ctx, actor } = await actorFor(db.store);
    const made = await createWebhook(ctx, actor, {
      url: "https://old.example.com/hook",
      events: ["step.done"],
      secret: "an-old-secret-in-clear-0004",
    });
    await sql`update webhooks set url = ${"https://old.example.com/hook"}, secret = ${"an-old-secret-in-clear-0004"} where id = ${made.id}`.execute(
      db.store.db,
    );
    await m0018.up(db.store.db.withoutPlugins(), db.store.dialect, db.store.secrets);
    const row = await sql<{
      url: string;
      secret: string;
    }>`select url, secret from webhooks where id = ${made.id}`.execute(db.store.db);
    expect(row.rows[0]?.url).toMatch(/^tl1:/);
    expect(row.rows[0]?.secret).toMatch(/^tl1:/);
    expect(JSON.stringify(row.rows)).not.toContain("old.example.com");
    const listed = await listWebhooks(ctx, actor);
    expect(listed.find((h) => h.id === made.id)?.url).toBe("https://old.example.com/hook");
  });

  it.skipIf(skip)(
    "gives a person a JSON export of their plans without any account's hashes, tokens or hook secrets",
    async () => {
      const goal = await send(owner.api, "POST", "/api/goals", { title: "Grow the newsletter to 2,000" });
      await send(owner.api, "POST", `/api/goals/${goal.json.id}/steps`, { text: "Email Raj the deck" });
      const res = await owner.api.request("/api/export?format=json");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="throughline.json"');
      const text = await res.text();
      const data = JSON.parse(text) as { plans: { goal: { title: string }; steps: { text: string }[] }[] };
      const mine = data.plans.find((p) => p.goal.title === "Grow the newsletter to 2,000");
      expect(mine?.steps.map((s) => s.text)).toEqual(["Email Raj the deck"]);

      const users = await sql<{
        passwordHash: string;
      }>`select password_hash as "passwordHash" from users`.execute(db.store.db);
      const sessions = await sql<{ tokenHash: string; csrfToken: string }>`
        select token_hash as "tokenHash", csrf_token as "csrfToken" from sessions`.execute(db.store.db);
      const forbidden = [
        ...users.rows.map((u) => u.passwordHash),
        ...sessions.rows.flatMap((r) => [r.tokenHash, r.csrfToken]),
        SECRET,
        "MARKERHOOKPATH0002",
        "MARKERCHANNEL0003",
      ].filter(Boolean);
      expect(forbidden.length).toBeGreaterThan(3);
      for (const value of forbidden) expect(text).not.toContain(value);
      for (const key of ["passwordHash", "tokenHash", "csrfToken", "secret"])
        expect(text).not.toContain(`"${key}"`);
    },
  );
});

describe("the secret key", () => {
  const dir = mkdtempSync(join(tmpdir(), "throughline-secrets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is made on first start into the data folder, owner-only, and used again on the next", async () => {
    await withoutKeyEnv(async () => {
      const file = join(dir, "first.db");
      const first = await openAndMigrate({ file });
      const keyFile = join(dir, SECRET_KEY_FILE);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64")).toHaveLength(32);
      const { ctx, actor } = await actorFor(first);
      await createWebhook(ctx, actor, { url: HOOK_URL, events: ["goal.created"], secret: SECRET });
      await first.close();

      const again = await openAndMigrate({ file });
      const listed = await listWebhooks(appContext(again), actor);
      expect(listed[0]?.url).toBe(HOOK_URL);
      await again.close();
    });
  });

  it("refuses a key that is not 32 bytes, saying how to make one", async () => {
    const before = process.env[SECRET_KEY_ENV];
    process.env[SECRET_KEY_ENV] = "too-short";
    try {
      await expect(openAndMigrate({ file: join(dir, "bad.db") })).rejects.toThrow(
        /THROUGHLINE_SECRET_KEY is not a 32-byte key.*randomBytes\(32\)/,
      );
    } finally {
      process.env[SECRET_KEY_ENV] = before;
    }
  });

  it("writes backups and exports owner-only (0600)", async () => {
    const file = join(dir, "exports.db");
    const store = await openAndMigrate({ file });
    const { ctx } = await actorFor(store);
    const copy = join(dir, "copy.db");
    await backupDatabase(ctx, copy);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    await store.close();

    for (const format of ["json", "csv", "markdown"]) {
      const out = join(dir, `export.${format}`);
      const r = cli(["export", "--format", format, "--output", out], { file });
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(out).mode & 0o777, format).toBe(0o600);
    }
  });
});
