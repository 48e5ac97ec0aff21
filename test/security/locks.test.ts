/**
 * Lock contention on the SQLite file (issue 16, defect 5): another process writing to the file
 * (the CLI, `backup`, a bare ANALYZE, here a child holding BEGIN IMMEDIATE) must never turn a
 * check-in into a 500. Short locks are waited out; a lock that outlasts the wait is a 503 with
 * Retry-After and a sentence. The CLI's writes succeed while the server writes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { openAndMigrate, type Store } from "../../src/store/db.js";
import { cliAsync } from "../helpers/cli.js";
import { type Person, signUp, testApp } from "../helpers/http.js";

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * A second process that takes the write lock (BEGIN IMMEDIATE), writes, holds it for `holdMs`,
 * then commits: what the CLI, `backup` or ANALYZE do to a running server.
 */
function holdWriteLock(
  file: string,
  holdMs: number,
): { child: ChildProcess; locked: Promise<void>; done: Promise<void> } {
  const code = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.pragma("busy_timeout = 10000");
    db.exec("BEGIN IMMEDIATE");
    db.exec("UPDATE workspaces SET name = name");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ["-e", code, file, String(holdMs)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("locked")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the lock holder ended early (${code})`)));
  });
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, locked, done };
}

describe("another writer on the SQLite file", () => {
  let dir: string;
  let store: Store | undefined;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const c of children) if (c.exitCode === null) c.kill();
    children.length = 0;
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function server(busyTimeoutMs?: number) {
    dir = mkdtempSync(join(tmpdir(), "throughline-locks-"));
    const file = join(dir, "t.db");
    store = await openAndMigrate(busyTimeoutMs === undefined ? { file } : { file, busyTimeoutMs });
    const app = testApp(appContext(store));
    const owner = await signUp(app, { email: "ada@example.com" });
    const goal = await json(owner, "/api/goals", {
      title: "Ship the spring newsletter",
      dueDate: "2030-06-30",
    });
    return { file, app, owner, goalId: goal.body.id as number };
  }

  async function json(p: Person, path: string, body: unknown) {
    const res = await p.api.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it("waits out a short write lock: every check-in is stored, none is a 500", async () => {
    const { file, owner, goalId } = await server();
    const holder = holdWriteLock(file, 600);
    children.push(holder.child);
    await holder.locked;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        json(owner, `/api/goals/${goalId}/checkins`, { doneText: `Draft ${i}` }),
      ),
    );
    await holder.done;
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    const list = await owner.api.request(`/api/goals/${goalId}/checkins`);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(8);
  });

  it("answers 503 with Retry-After and a sentence when the lock outlasts the wait, never 500", async () => {
    const { file, owner, goalId } = await server(150);
    const holder = holdWriteLock(file, 1500);
    children.push(holder.child);
    await holder.locked;
    const busy = await json(owner, `/api/goals/${goalId}/checkins`, { doneText: "Outline the issue" });
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
    const error = busy.body.error as { code: string; message: string };
    expect(error.code).toBe("database_busy");
    expect(error.message).toMatch(/try again/i);
    await holder.done;
    // Nothing half-written: the refused check-in is not there, and the next one goes through.
    const again = await json(owner, `/api/goals/${goalId}/checkins`, { doneText: "Outline the issue" });
    expect(again.status).toBe(201);
    const list = await owner.api.request(`/api/goals/${goalId}/checkins`);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it("lets the CLI write while the server writes", async () => {
    const { file, owner, goalId } = await server();
    let serving = true;
    const statuses: number[] = [];
    const load = (async () => {
      let i = 0;
      while (serving) {
        const r = await json(owner, `/api/goals/${goalId}/checkins`, { doneText: `Server check-in ${i++}` });
        statuses.push(r.status);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const runs = [];
    for (let i = 0; i < 2; i++)
      runs.push(await cliAsync(["goal", "add", `Call the printer about issue ${i}`], { file }));
    serving = false;
    await load;
    for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
  });
});
