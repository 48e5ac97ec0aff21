import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { openStore, SERVER_PAGE_CACHE_KIB } from "./db.js";

// Issue 17, mem20: the server's SQLite page cache is bounded to SERVER_PAGE_CACHE_KIB instead of
// better-sqlite3's 16 MB; reads past the bound still answer right (the pages come from the file).
describe.each(DIALECTS)("the page cache bound on %s", (d) => {
  it.skipIf(!dialectAvailable(d))(
    "holds the bound it is given, and reads far more than it still answer right",
    async () => {
      const { store, config, dispose } = await freshStore(d);
      const bounded = openStore({ ...config, pageCacheKib: SERVER_PAGE_CACHE_KIB });
      try {
        await sql`create table pc_rows (id integer primary key, body text not null)`.execute(store.db);
        // About 6 MB of rows: three times the bound.
        await sql`insert into pc_rows (id, body)
          select i, repeat('x', 3000) || i from generate_series(1, 2000) as g(i)`
          .execute(store.db)
          .catch(async () => {
            // SQLite has no generate_series in better-sqlite3's build: a recursive CTE instead.
            await sql`insert into pc_rows (id, body)
              with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
              select i, printf('%.3000c', 'x') || i from n`.execute(store.db);
          });
        const r = await sql<{ n: number; total: number; last: string }>`
          select count(*) as n, sum(length(body)) as total, max(id) as last from pc_rows`.execute(bounded.db);
        expect(Number(r.rows[0]?.n)).toBe(2000);
        expect(Number(r.rows[0]?.last)).toBe(2000);
        // 3,000 characters each plus the id's digits (9 of 1 digit, 90 of 2, 900 of 3, 1,001 of 4).
        expect(Number(r.rows[0]?.total)).toBe(2000 * 3000 + 9 + 180 + 2700 + 4004);
        const one = await sql<{ body: string }>`select body from pc_rows where id = 1234`.execute(bounded.db);
        expect(one.rows[0]?.body).toBe(`${"x".repeat(3000)}1234`);
        if (d === "sqlite") {
          const size = await sql<{ cache_size: number }>`pragma cache_size`.execute(
            bounded.db.withoutPlugins(),
          );
          expect(size.rows[0]?.cache_size).toBe(-SERVER_PAGE_CACHE_KIB);
          // Unset (the CLI), SQLite keeps better-sqlite3's own default.
          const other = await sql<{ cache_size: number }>`pragma cache_size`.execute(
            store.db.withoutPlugins(),
          );
          expect(other.rows[0]?.cache_size).toBe(-16000);
        }
      } finally {
        await bounded.close();
        await dispose();
      }
    },
  );
});
