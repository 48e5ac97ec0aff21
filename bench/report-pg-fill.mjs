// pgrep20 (issue 17): DELETES every stored report row of the database at URL (use a copy), then times the first report of the day statement by statement.
// usage: node bench/report-pg-fill.mjs ROOT URL leader|member   — clears the stored report rows, then times one report (the fill) statement by statement
import { createRequire } from "node:module";

const [root, url, who = "leader", weeks = "4"] = process.argv.slice(2);
const require = createRequire(`${root}/package.json`);
const pg = require("pg");
const B = `${root}/dist/bench-build`;
const { appContext } = await import(`${B}/src/app/context.js`);
const rr = await import(`${B}/src/app/reports/report-rows.js`);
const { openAndMigrate } = await import(`${B}/src/store/db.js`);
const { readers } = await import(`${B}/bench/report.js`);
const store = await openAndMigrate({ databaseUrl: url });
const ctx = appContext(store);
const actor = (await readers(store))[who];
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query("delete from report_goal_items; delete from report_goal_wins; delete from report_goal_rows");
await c.end();
const stats = new Map();
const orig = pg.Client.prototype.query;
pg.Client.prototype.query = function (cfg, values, cb) {
  const text = (typeof cfg === "string" ? cfg : cfg.text)
    .replace(/\s+/g, " ")
    .replace(/(\$\d+, )+\$\d+/g, "…")
    .slice(0, 150);
  const t = performance.now();
  const p = orig.call(this, cfg, values, cb);
  const done = () => {
    const s = stats.get(text) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += performance.now() - t;
    stats.set(text, s);
  };
  if (p && typeof p.then === "function") p.then(done, done);
  return p;
};
const t = performance.now();
const cpu = process.cpuUsage();
await rr.reportReplyFromRows(ctx, actor, { weeks: Number(weeks) }, null);
const u = process.cpuUsage(cpu);
console.log(
  `${who} fill: ${(performance.now() - t).toFixed(0)} ms wall, node CPU ${((u.user + u.system) / 1000).toFixed(0)} ms`,
);
const list = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
let total = 0;
for (const [, s] of list) total += s.ms;
console.log(`statements: ${list.reduce((n, [, s]) => n + s.n, 0)}, their wall sum ${total.toFixed(0)} ms`);
for (const [k, s] of list.slice(0, 25))
  console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(5)}×  ${k}`);
await store.close();
process.exit(0);
