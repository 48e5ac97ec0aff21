import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { BACKSTOP_PAGES } from "./checkpointer.js";
import { openStore } from "./db.js";

describe("background WAL checkpoints (SQLite)", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("copies committed pages into the database file with no commit doing it, and cleans up on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "throughline-ckpt-"));
    dirs.push(dir);
    const file = join(dir, "t.db");
    const store = openStore({ file, backgroundCheckpoints: true });
    const pragma = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      store.db.withoutPlugins(),
    );
    // The server's own connection checkpoints only past the backstop...
    expect(pragma.rows[0]?.wal_autocheckpoint).toBe(BACKSTOP_PAGES);
    await sql`create table blobs (x blob)`.execute(store.db);
    // ...so ~8 MB of rows (about 2,000 pages, well under it) reach the file only through the worker.
    await sql`insert into blobs with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
      select randomblob(4000) from n`.execute(store.db);
    const before = statSync(file).size;
    expect(before).toBeLessThan(1_000_000);
    const deadline = Date.now() + 5000;
    while (statSync(file).size < 8_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(8_000_000);
    // Reads go on as usual, and closing ends the worker and leaves no log behind.
    const n = await sql<{ n: number }>`select count(*) as n from blobs`.execute(store.db);
    expect(n.rows[0]?.n).toBe(2000);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("lets a burst of commits past 10,000 pages of log run without one of them stopping to checkpoint", async () => {
    // Under continuous writes the worker's checkpoints never find the log fully copied, so SQLite
    // restarts the log only after the server's own connection checkpoints at the backstop: that
    // commit syncs the log and the file and holds every request queued behind it (issue 17,
    // tail22: 11.7 such commits per 10,000 check-ins at 10,000 pages). ~80 MB of log (20,000
    // pages in 200 commits) must reach the file through the worker, with the log never restarted.
    const dir = mkdtempSync(join(tmpdir(), "throughline-ckpt-"));
    dirs.push(dir);
    const file = join(dir, "t.db");
    const store = openStore({ file, backgroundCheckpoints: true });
    await sql`create table blobs (x blob)`.execute(store.db);
    for (let i = 0; i < 200; i++)
      await sql`insert into blobs with recursive n(i) as (select 1 union all select i + 1 from n where i < 100)
        select randomblob(4000) from n`.execute(store.db);
    // The log was written from its start once: its file holds all 20,000 pages (a restart at the
    // old backstop would have left it near 10,000 pages, ~41 MB).
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(20_000 * 4096);
    const n = await sql<{ n: number }>`select count(*) as n from blobs`.execute(store.db);
    expect(n.rows[0]?.n).toBe(20_000);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("leaves checkpoints to SQLite's default when off (the CLI)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "throughline-ckpt-"));
    dirs.push(dir);
    const store = openStore({ file: join(dir, "t.db") });
    const pragma = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      store.db.withoutPlugins(),
    );
    expect(pragma.rows[0]?.wal_autocheckpoint).toBe(1000);
    await store.close();
  });
});
