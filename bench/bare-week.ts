/**
 * The floor under the My week benchmark (issue 17): `GET /api/week` with a bearer token on a bare
 * Hono route, written by hand against better-sqlite3 with statements prepared once. It reads what
 * the server's answer reads — the token, my teams, my open steps due by Sunday in goals I may see,
 * the active goals they are in and the ones I own with their modes, the open delegations asked of
 * me or by me, the names they mention, and each goal's stored roll-up, checked fresh by the
 * product's own stamp (`stampOf`, a pure function) — and answers the same fields. No query builder,
 * middleware, validation library or permission rules beyond the visibility filter in the SQL.
 * A roll-up that is not fresh is a 503 (the floor cannot evaluate a goal): run it after the
 * server has read the same weeks, as `npm run bench` does. Same connection settings as the server.
 *
 *   PORT=… THROUGHLINE_DB=./data/bench.db node dist/bench-build/bench/bare-week.js
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import type SQLite from "better-sqlite3";
import { Hono } from "hono";
import { ROLLUP_VERSION, stampOf } from "../src/app/evaluation/rollup.js";
import { toGoal } from "../src/store/mappers.js";
import { openLikeServer } from "./bare-db.js";

type Row = Record<string, unknown>;
const camel = (r: Row): Row =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]),
  );

/** A roll-up the floor would need is not fresh (the server has not read this week yet). */
export class Stale extends Error {}

/** The floor's statements on `db`, prepared once, and its read transaction. */
export function weekFloor(db: SQLite.Database) {
  const tokenOwner = db.prepare<[string], { userId: number; workspaceId: number; name: string }>(
    `select u.id as userId, u.workspace_id as workspaceId, u.name as name from api_tokens t
   join users u on u.id = t.user_id where t.token_hash = ? and t.revoked_at is null`,
  );
  const teamsOf = db.prepare<[number], { teamId: number }>(
    "select team_id as teamId from memberships where user_id = ?",
  );
  /** Goals a person may see: their own, the workspace's, shared with them, or their teams'. */
  const VISIBLE = `g.workspace_id = @ws and (g.owner_id = @me or g.visibility = 'workspace'
  or exists (select 1 from goal_shares s where s.goal_id = g.id and s.user_id = @me)
  or (g.visibility = 'team' and g.team_id in (select value from json_each(@teams))))`;
  const myOpenSteps = db.prepare(
    `select st.* from steps st join goals g on g.id = st.goal_id where ${VISIBLE}
   and (st.owner_id = @me or (st.owner_id is null and g.owner_id = @me)) and st.status in ('todo', 'doing')
   and st.due_date <= @to order by st.due_date, st.position, st.id limit 1000`,
  );
  const activeGoals = db.prepare(
    `select g.* from goals g where ${VISIBLE} and g.status = 'active'
   and (g.owner_id = @me or g.id in (select value from json_each(@ids))) order by g.id`,
  );
  const openDelegations = db.prepare(
    `select d.*, s.status as step_status, g.status as goal_status, g.title as goal_title from delegations d
   join goals g on g.id = d.goal_id left join steps s on s.id = d.step_id
   where d.workspace_id = ? and (d.assignee_id = ? or d.delegated_by = ?) order by d.id`,
  );
  const namesOf = db.prepare<[number, string], { id: number; name: string }>(
    "select id, name from users where workspace_id = ? and id in (select value from json_each(?))",
  );
  const rollupsOf = db.prepare<[string], Row>(
    `select g.id as goalId, g.revision, g.mode, g.mode_since as modeSince, g.micro_steps_done as microStepsDone,
   r.as_of as asOf, r.stamp, r.data_json as dataJson, r.recent_wins_json as recentWinsJson
   from goals g left join goal_rollups r on r.goal_id = g.id where g.id in (select value from json_each(?))`,
  );
  const stepsOfGoals = db.prepare<[string], Row>(
    "select * from steps where goal_id in (select value from json_each(?)) order by goal_id, position, id",
  );

  const addDays = (day: string, n: number) => {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };

  const read = db.transaction((userId: number, workspaceId: number, name: string) => {
    const day = new Date().toISOString().slice(0, 10);
    const from = addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
    const to = addDays(from, 6);
    const teams = JSON.stringify(teamsOf.all(userId).map((t) => t.teamId));
    const args = { ws: workspaceId, me: userId, teams, to };
    const steps = myOpenSteps.all(args).map((r) => camel(r as Row));
    const ids = JSON.stringify([...new Set(steps.map((s) => s.goalId))]);
    const rows = activeGoals.all({ ws: workspaceId, me: userId, teams, ids }).map((r) => camel(r as Row));
    const goals = rows.map((r) => toGoal(r as never));
    const mine = goals.filter((g) => g.ownerId === userId);
    const micro = rows.filter((r) => r.mode === "micro-goal").map((r) => Number(r.id));
    const microSteps = micro.length === 0 ? [] : stepsOfGoals.all(JSON.stringify(micro));
    const delegations = openDelegations
      .all(workspaceId, userId, userId)
      .map((r) => camel(r as Row))
      .filter((d) => !["done", "dropped"].includes(String(d.stepStatus ?? d.goalStatus)));
    const people = namesOf.all(
      workspaceId,
      JSON.stringify([userId, ...delegations.flatMap((d) => [d.delegatedBy, d.assigneeId])]),
    );
    const stored = new Map(rollupsOf.all(JSON.stringify(mine.map((g) => g.id))).map((r) => [r.goalId, r]));
    const items = mine.map((goal) => {
      const s = stored.get(goal.id) as never as Parameters<typeof stampOf>[1] & Row;
      if (!s?.dataJson || s.asOf !== day || s.stamp !== stampOf(goal, s, name, ROLLUP_VERSION))
        throw new Stale();
      const rollup = JSON.parse(String(s.dataJson)) as Row;
      const last = rollup.lastCheckin as { date: string } | null;
      return {
        goal,
        status: rollup,
        lastCheckin: last,
        checkinDue: addDays(last?.date ?? goal.startDate, goal.cadenceDays),
        wins: JSON.parse(String(s.recentWinsJson ?? "[]")) as { date: string }[],
      };
    });
    const weekSteps = steps.filter((s) => !micro.includes(Number(s.goalId)));
    return {
      from,
      to,
      asOf: day,
      steps: weekSteps,
      prompt: weekSteps.length === 0 && micro.length === 0 ? "Nothing is planned this week." : null,
      microGoals: micro.map((id) => ({
        goalId: id,
        steps: microSteps.filter((s) => s.goal_id === id).length,
      })),
      goals: items.map(({ wins: _, ...g }) => g),
      wins: items.flatMap((i) => i.wins).filter((w) => w.date >= from && w.date <= day),
      delegations: {
        askedOfMe: delegations.filter((d) => d.assigneeId === userId),
        askedByMe: delegations.filter((d) => d.delegatedBy === userId),
      },
      people,
    };
  });
  return { tokenOwner, read };
}

/** The floor's Hono app on `db` (bench/hot.ts runs it in-process). */
export function weekApp(db: SQLite.Database): Hono {
  const { tokenOwner, read } = weekFloor(db);
  const app = new Hono();
  app.get("/api/week", (c) => {
    const token = (c.req.header("authorization") ?? "").replace(/^Bearer /, "");
    const user = tokenOwner.get(createHash("sha256").update(token).digest("hex"));
    if (!user) return c.json({ error: "sign in" }, 401);
    try {
      return c.json(read(user.userId, user.workspaceId, user.name), 200);
    } catch (e) {
      if (e instanceof Stale)
        return c.json({ error: "a roll-up is not fresh: read the week on the server first" }, 503);
      throw e;
    }
  });
  app.get("/api/health", (c) => c.json({ status: "ok" }));
  return app;
}

function main(): void {
  const app = weekApp(openLikeServer());
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
    console.log(`bare week on ${info.port}`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
