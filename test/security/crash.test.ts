/**
 * Crash safety (issue 16): the real server (dist/server/main.js, as `npm start` runs it) is killed
 * with SIGKILL in the middle of concurrent check-ins, on SQLite and on PostgreSQL. After a restart
 * every check-in that was acknowledged (a 2xx reached the client) is there, SQLite's integrity
 * check is "ok", and the server starts clean. Needs `npm run build`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { dialectAvailable, freshStore } from "../helpers/dialects.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "dist", "server", "main.js");

if (!dialectAvailable("postgres") && process.env.CI === "true") {
  throw new Error("PostgreSQL is required in CI for the crash test: apt-get install -y postgresql");
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the built server on a free port against `db`, and waits until it answers. */
async function startServer(db: { file?: string; databaseUrl?: string }): Promise<Running> {
  if (!existsSync(MAIN)) throw new Error("The server is not built: run `npm run build` first.");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: "127.0.0.1",
    THROUGHLINE_SCHEDULER: "off",
  };
  delete env.DATABASE_URL;
  delete env.THROUGHLINE_DB;
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  if (db.file) env.THROUGHLINE_DB = db.file;
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (b) => {
    output += b;
  });
  child.stderr?.on("data", (b) => {
    output += b;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, output: () => output };
}

async function stop(s: Running, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once("exit", r));
  s.child.kill(signal);
  await exited;
}

/** Signs up the owner, makes an API token and a goal; returns the token and the goal's id. */
async function setUp(url: string): Promise<{ token: string; goalId: number }> {
  const signUp = await fetch(`${url}/api/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email: "ada@example.com", name: "Ada", password: "correct horse battery staple" }),
  });
  expect(signUp.status).toBe(201);
  const cookie = (signUp.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const { csrfToken } = (await signUp.json()) as { csrfToken: string };
  const made = await fetch(`${url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url, cookie, "x-csrf-token": csrfToken },
    body: JSON.stringify({ name: "crash test" }),
  });
  const { token } = (await made.json()) as { token: string };
  const goal = await fetch(`${url}/api/goals`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: "Ship the spring newsletter", dueDate: "2030-06-30" }),
  });
  return { token, goalId: ((await goal.json()) as { id: number }).id };
}

/**
 * Fires check-ins from `lanes` concurrent clients until the server dies (killed with SIGKILL once
 * `killAfter` were acknowledged); returns the texts acknowledged and how many were sent.
 */
async function checkInUntilKilled(
  s: Running,
  token: string,
  goalId: number,
  lanes: number,
  killAfter: number,
): Promise<{ acknowledged: string[]; sent: number; serverErrors: number }> {
  const acknowledged: string[] = [];
  let sent = 0;
  let serverErrors = 0;
  let dead = false;
  const lane = async (n: number) => {
    for (let i = 0; !dead; i++) {
      const text = `lane ${n} check-in ${i}`;
      sent++;
      try {
        const res = await fetch(`${s.url}/api/goals/${goalId}/checkins`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ doneText: text, confidence: "on-track" }),
        });
        if (res.status >= 500) serverErrors++;
        if (res.ok) acknowledged.push(text);
        await res.arrayBuffer();
        if (acknowledged.length >= killAfter && !dead) {
          dead = true;
          s.child.kill("SIGKILL");
        }
      } catch {
        dead = true; // the connection died with the server
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, n) => lane(n)));
  await new Promise((r) =>
    s.child.exitCode !== null || s.child.signalCode !== null ? r(null) : s.child.once("exit", r),
  );
  return { acknowledged, sent, serverErrors };
}

async function storedTexts(url: string, token: string, goalId: number): Promise<string[]> {
  const res = await fetch(`${url}/api/goals/${goalId}/checkins`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { doneText: string | null }[] }).items.map((c) => c.doneText ?? "");
}

describe("kill -9 during concurrent check-ins", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const dialect of ["sqlite", "postgres"] as const) {
    it.skipIf(!dialectAvailable(dialect))(
      `keeps every acknowledged check-in on ${dialect}, and restarts clean`,
      async () => {
        let db: { file?: string; databaseUrl?: string };
        if (dialect === "sqlite") {
          const dir = mkdtempSync(join(tmpdir(), "throughline-crash-"));
          cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
          db = { file: join(dir, "crash.db") };
        } else {
          const pg = await freshStore("postgres");
          await pg.store.close();
          cleanups.push(async () => pg.dispose().catch(() => {}));
          db = { databaseUrl: pg.config.databaseUrl as string };
        }
        const first = await startServer(db);
        cleanups.push(() => stop(first, "SIGKILL"));
        const { token, goalId } = await setUp(first.url);

        const run = await checkInUntilKilled(first, token, goalId, 8, 40);
        expect(first.child.signalCode).toBe("SIGKILL");
        expect(run.serverErrors).toBe(0);
        expect(run.acknowledged.length).toBeGreaterThanOrEqual(40);

        if (db.file) {
          const sqlite = new SQLite(db.file);
          expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
          sqlite.close();
        }

        const second = await startServer(db);
        cleanups.push(() => stop(second, "SIGTERM"));
        const stored = await storedTexts(second.url, token, goalId);
        const missing = run.acknowledged.filter((t) => !stored.includes(t));
        expect(missing).toEqual([]);
        // Nothing appears that was never sent, and each is stored once.
        expect(new Set(stored).size).toBe(stored.length);
        expect(stored.length).toBeLessThanOrEqual(run.sent);
        // It takes writes again at once, and said nothing alarming on the way up.
        const after = await fetch(`${second.url}/api/goals/${goalId}/checkins`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ doneText: "After the restart" }),
        });
        expect(after.status).toBe(201);
        expect(second.output()).not.toMatch(/Unexpected error|cannot open|failed/i);
        await stop(second, "SIGTERM");
        if (db.file) {
          const sqlite = new SQLite(db.file);
          expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
          sqlite.close();
        }
        console.log(
          `crash on ${dialect}: ${run.sent} sent, ${run.acknowledged.length} acknowledged, ${stored.length} stored after restart, 0 acknowledged lost`,
        );
      },
      120_000,
    );
  }
});
