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
