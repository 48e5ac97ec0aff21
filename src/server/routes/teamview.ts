/** HTTP route for the leader's team view: one answer instead of a request per goal. */
import { createRoute, z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import * as teamview from "../../app/reports/teamview.js";
import { router } from "../env.js";
import { WinSchema } from "./followthrough.js";
import { errorResponses, IdParam, jsonResponse } from "./schemas.js";

const day = z.string().openapi({ example: "2026-11-21" });
const rateFields = {
  followThroughRate: z
    .number()
    .nullable()
    .openapi({ description: "kept / (kept + missed); null when nothing was due" }),
  kept: z.number().int(),
  missed: z.number().int(),
};
const WeekRateSchema = z.object({ weekStart: day, ...rateFields });
const goalRef = {
  goalId: z.number().int(),
  title: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string().nullable(),
};

/** The team view. */
export const TeamOverviewSchema = z
  .object({
    team: z.object({ id: z.number().int(), name: z.string() }),
    asOf: day,
    from: day,
    to: day,
    weeks: z.number().int(),
    ...rateFields,
    pending: z.number().int(),
    byWeek: z.array(WeekRateSchema),
    people: z.array(
      z.object({
        userId: z.number().int(),
        name: z.string(),
        role: z.string(),
        ...rateFields,
        pending: z.number().int(),
        trend: z.array(WeekRateSchema),
        activeGoals: z.number().int(),
      }),
    ),
    stalled: z.array(
      z.object({
        ...goalRef,
        reasons: z.array(z.enum(["behind", "silent", "carried-over"])),
        mode: z.enum(["normal", "micro-goal"]),
        leaderPrompt: z.string().nullable(),
      }),
    ),
    missedCheckins: z.array(
      z.object({ ...goalRef, lastCheckin: day.nullable(), dueOn: day, cadenceDays: z.number().int() }),
    ),
    atRisk: z.array(
      z.object({
        ...goalRef,
        progress: z.number(),
        expected: z.number().nullable(),
        pace: z.enum(["ahead", "on-track", "behind"]),
        confidence: z.enum(["on-track", "at-risk", "off-track"]).nullable(),
      }),
    ),
    obstacles: z.array(
      z.object({
        ...goalRef,
        barrierId: z.number().int(),
        obstacle: z.string(),
        planB: z.string(),
        hitOn: day.nullable(),
      }),
    ),
    wins: z.array(WinSchema),
    alignment: z.object({
      goals: z.array(
        z.object({
          ...goalRef,
          parentId: z.number().int().nullable(),
          status: z.string(),
          progress: z.number(),
        }),
      ),
      orphans: z.array(z.number().int()),
    }),
  })
  .openapi("TeamOverview");

/** Registers /api/teams/{id}/overview. */
export function teamViewRoutes() {
  const r = router();
  r.openapi(
    createRoute({
      method: "get",
      path: "/teams/{id}/overview",
      operationId: "getTeamOverview",
      tags: ["teams"],
      summary:
        "A team at a glance for the weeks (default 4) ending on a day: follow-through and trend per person, stalled goals, missed check-ins, goals at risk, obstacles hit, wins, alignment",
      request: { params: IdParam, query: teamview.TeamOverviewQuery },
      responses: { 200: jsonResponse(TeamOverviewSchema, "The team view"), ...errorResponses },
    }),
    // The answer is stored as JSON (src/app/reports/teamview.ts) and sent as it is; the cast says
    // what the text holds: a TeamOverview.
    async (c) => {
      const json = await teamview.teamOverviewBytes(
        c.var.ctx,
        c.var.actor,
        c.req.valid("param").id,
        c.req.valid("query"),
      );
      return c.body(json, 200, { "content-type": "application/json" }) as unknown as TypedResponse<
        teamview.TeamOverview,
        200,
        "json"
      >;
    },
  );
  return r;
}
