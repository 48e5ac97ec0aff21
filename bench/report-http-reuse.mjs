// growth26: what the member's repeated GET /api/report does in the growth run, counted in-process
// (ReportStats): the first read, repeated reads (as autocannon sends them: no If-None-Match), and
// the first read after a write to the goal the growth run's check-ins go to.
//   node bench/report-http-reuse.mjs COPY.db MEMBER_ID WRITER_GOAL_ID
import { appContext } from "../dist/app/context.js";
import { followThroughReportReply } from "../dist/app/reports/report.js";
import { reportStats } from "../dist/app/reports/report-rows.js";
import { openAndMigrate } from "../dist/store/db.js";

const [file, member, goal] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const store = await openAndMigrate({ file });
const ctx = appContext(store);
const { workspaceId } = await store.db
  .selectFrom("users")
  .select("workspaceId")
  .where("id", "=", member)
  .executeTakeFirstOrThrow();
const actor = { userId: member, workspaceId };
const delta = async (label, n, fn) => {
  const a = reportStats(ctx);
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const ms = (performance.now() - t) / n;
  const b = reportStats(ctx);
  const d = Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - a[k]]));
  console.log(label.padEnd(34), `${ms.toFixed(2)} ms each`, JSON.stringify(d));
};
const read = () => followThroughReportReply(ctx, actor, {}, "");
await delta("first read", 1, read);
await delta("200 repeated reads", 200, read);
await store.db
  .updateTable("goals")
  .set((eb) => ({ title: eb.ref("title") }))
  .where("id", "=", goal)
  .execute();
await delta("first read after a write to it", 1, read);
await delta("200 repeated reads", 200, read);
await store.close();
