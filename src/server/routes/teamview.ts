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
    moved: z.number().int(),
    byWeek: z.array(WeekRateSchema.extend({ moved: z.number().int() })),
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

const etagHeader = {
  description:
    "The answer's strong entity tag: send it back in If-None-Match to get 304 while nothing the answer shows has changed.",
  schema: { type: "string" as const },
};

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
      responses: {
        200: {
          ...jsonResponse(TeamOverviewSchema, "The team view"),
          headers: { ETag: etagHeader },
        },
        304: {
          description:
            "Not modified: the If-None-Match header holds the current entity tag, so the copy the reader has is the answer (no body).",
          headers: { ETag: etagHeader },
        },
        ...errorResponses,
      },
    }),
    // The answer is UTF-8 JSON made by the app (src/app/reports/teamview.ts) and sent as it is; the
    // cast says what it holds: a TeamOverview.
    async (c) => {
      const reply = await teamview.teamOverviewReply(
        c.var.ctx,
        c.var.actor,
        c.req.valid("param").id,
        c.req.valid("query"),
        c.req.header("if-none-match") ?? null,
      );
      // Private (it depends on who asks), and checked again on every use: the tag makes that cheap.
      const headers = { etag: reply.etag, "cache-control": "private, no-cache" };
      if (reply.body === null)
        // biome-ignore lint/complexity/noBannedTypes: `{}` is what zod-openapi types a body-less response as
        return c.body(null, 304, headers) as unknown as TypedResponse<{}, 304, string>;
      return c.body(reply.body, 200, {
        ...headers,
        "content-type": "application/json",
      }) as unknown as TypedResponse<teamview.TeamOverview, 200, "json">;
    },
  );
  return r;
}
