// pgrep20 (issue 17): the report in-process on a PostgreSQL copy, one build (ROOT: a worktree built with `npx tsc -p bench/tsconfig.json`).
// usage: node bench/report-pg-warm.mjs ROOT URL runs — per reader and window: sha1 of the answer, the first read in a new store (sums), then `runs` reads (tag + kept answer) and `runs` 304s
import { createHash } from "node:crypto";

const [root, url, runs = "10"] = process.argv.slice(2);
const B = `${root}/dist/bench-build`;
const { appContext } = await import(`${B}/src/app/context.js`);
const rr = await import(`${B}/src/app/reports/report-rows.js`);
const { openAndMigrate } = await import(`${B}/src/store/db.js`);
const { readers } = await import(`${B}/bench/report.js`);
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const s0 = await openAndMigrate({ databaseUrl: url });
const rd = await readers(s0);
await s0.close();
for (const who of ["leader", "member"])
  for (const weeks of [4, 12]) {
    const store = await openAndMigrate({ databaseUrl: url });
    const ctx = appContext(store);
    const actor = rd[who];
    let t = performance.now();
    const first = await rr.reportReplyFromRows(ctx, actor, { weeks }, null);
    const firstMs = performance.now() - t;
    const sha = createHash("sha1").update(JSON.stringify(first.body)).digest("hex").slice(0, 12);
    const kept = [],
      nm = [];
    for (let i = 0; i < Number(runs); i++) {
      t = performance.now();
      await rr.reportReplyFromRows(ctx, actor, { weeks }, null);
      kept.push(performance.now() - t);
      t = performance.now();
      const r = await rr.reportReplyFromRows(ctx, actor, { weeks }, first.etag);
      nm.push(performance.now() - t);
      if (r.body !== null) throw new Error("not 304");
    }
    console.log(
      `${who} ${weeks}w sha1 ${sha} first(sums) ${firstMs.toFixed(0)} ms | kept median ${med(kept).toFixed(1)} max ${Math.max(...kept).toFixed(1)} | 304 median ${med(nm).toFixed(1)} max ${Math.max(...nm).toFixed(1)}`,
    );
    await store.close();
  }
process.exit(0);
