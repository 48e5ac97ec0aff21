/**
 * Issue 17 (totals24): how much of a member's report, computed with no entity tag and no kept answer
 * (what `throughline report` does in every new process), reads the goals open to the whole
 * workspace, and so grows with it. `ROOT` is a checkout whose `dist/bench-build` was built (`npx tsc
 * -p bench/tsconfig.json`); COPY.db a copy of a SQLite bench file (it stores today's report rows on
 * a first pass of its own, as any report does). Then each pass runs as a NEW process (cold, as the
 * CLI: nothing of the report's code has run before it), ROUNDS times per mode, the modes alternated:
 *
 * - `all`: what the stored path reads today before it builds the answer: every counted goal the
 *   reader may see with its staleness (`countedVisibleGoals`), then `readSums` over all of them
 *   (commitments of those goals, promise and move counts, the wins cut, the circle's people).
 * - `reader`: what would be left if the workspace's open goals' part were stored per workspace
 *   (docs/architecture.md, "The report's totals and the workspace's open goals: designed and
 *   measured, not built (issue 17, totals24)"): the reader's goals that are not open to everyone
 *   (`countedClosedGoalStamps`, the tag's own query), the open goals of the reader's circle (by
 *   owner and team), and `readSums` over those only.
 *
 * It prints the CPU ms of each pass (the pass alone, after the imports and the store's opening) and
 * the median per mode.
 *
 *   node bench/report-open-part.mjs ROOT COPY.db USER_ID [ROUNDS=5] [WEEKS=4]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [root, file, userArg, roundsArg = "5", weeksArg = "4"] = process.argv.slice(2);
if (!root || !file || !userArg) {
  console.error("Usage: node bench/report-open-part.mjs ROOT COPY.db USER_ID [ROUNDS] [WEEKS]");
  process.exit(2);
}
const mode = process.env.REPORT_OPEN_PART_MODE;

if (mode === undefined) {
  const me = fileURLToPath(import.meta.url);
  const pass = (m) => {
    const r = spawnSync(process.execPath, [me, root, file, userArg, roundsArg, weeksArg], {
      env: { ...process.env, REPORT_OPEN_PART_MODE: m },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(r.stderr.trim());
    return JSON.parse(r.stdout);
  };
  pass("fill"); // stores today's rows first (as the day's first report does), in a process of its own
  const seen = { all: [], reader: [] };
  for (let i = 0; i < Number(roundsArg); i++) {
    for (const m of ["all", "reader"]) {
      const r = pass(m);
      seen[m].push(r.cpu);
      console.log(
        `${m.padEnd(7)} ${r.cpu.toFixed(1).padStart(7)} ms CPU  (${r.goals} goals read, ${r.commitments} commitments)`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`median: all ${median(seen.all).toFixed(1)} ms, reader ${median(seen.reader).toFixed(1)} ms`);
} else {
  const at = (p) => import(`${root}/dist/bench-build/src/${p}`);
  const { openAndMigrate } = await at("store/db.js");
  const { viewerOf, appContext } = await at("app/context.js");
  const rows = await at("store/repos/reportrows.js");
  const rr = await at("app/reports/report-rows.js");
  const { circleOf } = await at("app/reports/circle.js");
  const { addDays } = await at("core/engine/index.js");
  const store = await openAndMigrate({ file });
  const db = store.db;
  const actor = { userId: Number(userArg), workspaceId: 1 };
  const asOf = new Date().toISOString().slice(0, 10);
  const from = addDays(asOf, -(7 * Number(weeksArg) - 1));
  if (mode === "fill") {
    await rr.reportFromRows(appContext(store), actor, { weeks: Number(weeksArg) });
    console.log("{}");
    process.exit(0);
  }
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const viewer = await viewerOf(db, actor);
  let goals;
  let sums;
  if (mode === "all") {
    goals = await rows.countedVisibleGoals(db, viewer, asOf, rr.REPORT_ROWS_VERSION);
    sums = await rr.readSums(db, viewer, goals, asOf, from, true, false);
  } else {
    const closed = await rows.countedClosedGoalStamps(db, viewer);
    const circle = await circleOf(db, viewer);
    const owners = [viewer.userId, ...circle.teammates];
    const open = await db
      .selectFrom("goals")
      .select(["id", "ownerId", "teamId"])
      .where("workspaceId", "=", actor.workspaceId)
      .where("visibility", "=", "workspace")
      .where("status", "in", ["active", "done"])
      .where((eb) =>
        eb.or([
          eb("ownerId", "in", owners),
          ...(viewer.teamIds.length > 0 ? [eb("teamId", "in", viewer.teamIds)] : []),
        ]),
      )
      .execute();
    const ids = [...new Set([...closed.map(([id]) => id), ...open.map((g) => g.id)])].sort((a, b) => a - b);
    goals = ids.map((id) => ({ id, ownerId: 0, teamId: null, stall: null }));
    sums = await rr.readSums(db, viewer, goals, asOf, from, true, true);
  }
  const spent = cpu() - c0;
  console.log(JSON.stringify({ cpu: spent, goals: goals.length, commitments: sums.commitments.length }));
}
