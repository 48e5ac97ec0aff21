// growth26: the queries of the report's entity tag (report-rows.ts, `tagOf`: what every repeated
// GET /api/report costs besides the kept answer), timed in-process on two SQLite files, the files
// alternated in the same minutes (read-only), with the report's reader of each.
//   node bench/report-tag-parts.mjs SMALL.db MEMBER LARGE.db MEMBER [ROUNDS]
import SQLite from "better-sqlite3";
import { CamelCasePlugin, Kysely, SqliteDialect } from "kysely";
import { actorFactsOf } from "../dist/store/repos/people.js";
import * as rows from "../dist/store/repos/reportrows.js";

const [fa, ua, fb, ub, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 5);
const asOf = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 27 * 864e5).toISOString().slice(0, 10);
function side(file, userId) {
  const raw = new SQLite(file, { readonly: true });
  const db = new Kysely({ dialect: new SqliteDialect({ database: raw }), plugins: [new CamelCasePlugin()] });
  const ws = raw.prepare("select workspace_id w from users where id = ?").get(userId).w;
  const teamIds = raw
    .prepare("select team_id t from memberships where user_id = ?")
    .all(userId)
    .map((r) => r.t);
  const viewer = { userId, workspaceId: ws, teamIds };
  return {
    file,
    parts: {
      actorFactsOf: () => actorFactsOf(db, userId),
      namesStampOfWorkspace: () => rows.namesStampOfWorkspace(db, ws),
      commitmentsDueFor: () => rows.commitmentsDueFor(db, viewer, from, asOf, []),
      membersOfTeams: () => rows.membersOfTeams(db, teamIds),
      workspaceOpenStamp: () => rows.workspaceOpenStamp(db, ws),
      sharedGoalIdsOf: () => rows.sharedGoalIdsOf(db, userId),
      countedClosedGoalStamps: () => rows.countedClosedGoalStamps(db, viewer),
    },
  };
}
const sides = [side(fa, Number(ua)), side(fb, Number(ub))];
const us = new Map();
for (let r = 0; r < rounds; r++)
  for (const name of Object.keys(sides[0].parts))
    for (const [i, s] of r % 2 ? [...sides].reverse().entries() : sides.entries()) {
      const k = r % 2 ? 1 - i : i;
      const f = s.parts[name];
      const n = 200;
      const t = performance.now();
      for (let j = 0; j < n; j++) await f();
      const x = ((performance.now() - t) / n) * 1000;
      if (!us.has(name)) us.set(name, [[], []]);
      us.get(name)[k].push(x);
    }
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`part: median µs ${fa} / ${fb} (${rounds} rounds alternated), ratio`);
for (const [name, [a, b]] of us)
  console.log(
    `${name.padEnd(26)} ${med(a).toFixed(0).padStart(6)} / ${med(b).toFixed(0).padStart(6)}  ${(med(b) / med(a)).toFixed(2)}`,
  );
