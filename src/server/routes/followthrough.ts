/** HTTP routes for the follow-through engine: a goal's status, the follow-through report, the wins feed. */
import { createRoute, z } from "@hono/zod-openapi";
import * as status from "../../app/evaluation/status.js";
import * as report from "../../app/reports/report.js";
import * as review from "../../app/reports/review.js";
import { router } from "../env.js";
import { errorResponses, IdParam, jsonBody, jsonResponse, StepSchema } from "./schemas.js";

const tags = ["follow-through"];

const day = z.string().openapi({ example: "2026-11-21" });
const rate = z
  .number()
  .nullable()
  .openapi({ description: "kept / (kept + missed); null when nothing was due" });
const STALL_REASONS = ["behind", "silent", "carried-over"] as const;
const MODES = ["normal", "micro-goal"] as const;

/** One entry of a goal's next steps: a step, or in micro-goal mode a prompt to write a small one. */
const NextStepSchema = z.union([StepSchema, z.object({ prompt: z.string() })]).openapi("NextStep");

/** A goal's status on a day. */
export const GoalStatusSchema = z
  .object({
    goalId: z.number().int(),
    title: z.string(),
    asOf: day,
    progress: z.number().openapi({ description: "0..1" }),
    expected: z.number().nullable().openapi({ description: "0..1 on the line to the due date" }),
    pace: z.enum(["ahead", "on-track", "behind"]),
    bufferDays: z.number().int().nullable(),
    forecastDate: day.nullable(),
    stalled: z.boolean(),
    stallReasons: z.array(z.enum(STALL_REASONS)),
    mode: z.enum(MODES),
    modeSince: day.nullable(),
    microStepsDone: z.number().int(),
    nextSteps: z.array(NextStepSchema).openapi({ description: "exactly one entry in micro-goal mode" }),
    leaderPrompt: z.string().nullable(),
    lastMovement: day.nullable(),
  })
  .openapi("GoalStatus");

/** One entry of the wins feed; the fields after `text` depend on `type`. */
export const WinSchema = z
  .object({
    type: z.enum(["step-done", "streak", "milestone", "buffer-gained"]),
    date: day,
    goalId: z.number().int(),
    userId: z.number().int(),
    text: z.string(),
    stepId: z.number().int().optional(),
    weeks: z.number().int().optional(),
    keyResultId: z.number().int().optional(),
    milestone: z.number().int().optional(),
    bufferDays: z.number().int().optional(),
    previousBufferDays: z.number().int().optional(),
  })
  .openapi("Win");

const StalledGoalSchema = z
  .object({
    goalId: z.number().int(),
    title: z.string(),
    ownerId: z.number().int(),
    reasons: z.array(z.enum(STALL_REASONS)),
    mode: z.enum(MODES),
    leaderPrompt: z.string().nullable(),
  })
  .openapi("StalledGoal");

const rateFields = { followThroughRate: rate, kept: z.number().int(), missed: z.number().int() };

/** The follow-through report of a window of weeks. */
export const ReportSchema = z
  .object({
    asOf: day,
    from: day,
    to: day,
    weeks: z.number().int(),
    ...rateFields,
    pending: z.number().int(),
    wins: z.array(WinSchema),
    stalled: z.array(StalledGoalSchema),
    byUser: z.array(z.object({ userId: z.number().int(), name: z.string().nullable(), ...rateFields })),
    byWeek: z.array(z.object({ weekStart: day, ...rateFields })),
  })
  .openapi("FollowThroughReport");

/** The wins feed of a window. */
export const WinsFeedSchema = z
  .object({ asOf: day, from: day, to: day, items: z.array(WinSchema) })
  .openapi("WinsFeed");

/** Registers /api/goals/{id}/status, /api/report and /api/wins. */
export function followThroughRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/status",
      tags,
      summary:
        "A goal's status on a day (default today): progress, pace, buffer, forecast, stall, micro-goal mode, next steps",
      request: { params: IdParam, query: status.StatusQuery },
      responses: { 200: jsonResponse(GoalStatusSchema, "The status"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await status.goalStatus(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("query")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/report",
      tags,
      summary:
        "The follow-through rate for the weeks (default 4) ending on a day, per person and week, with the wins and the stalled goals",
      request: { query: report.ReportQuery },
      responses: { 200: jsonResponse(ReportSchema, "The report"), ...errorResponses },
    }),
    async (c) => c.json(await report.followThroughReport(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/wins",
      tags,
      summary: "The wins feed for the weeks (default 1) ending on a day, newest first",
      request: { query: report.WinsQuery },
      responses: { 200: jsonResponse(WinsFeedSchema, "The wins"), ...errorResponses },
    }),
    async (c) => c.json(await report.winsFeed(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/review",
      tags,
      summary:
        "The weekly review: last week's wins and misses, stalled goals, the rate, and one question per active goal",
      request: { query: review.ReviewQuery },
      responses: {
        // The review's full shape is WeeklyReview in src/app/reports/review.ts.
        200: jsonResponse(z.record(z.string(), z.unknown()), "The review"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await review.weeklyReview(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/review/steps",
      tags,
      summary: "Add next week's one small step per goal from the review, in one transaction",
      request: { body: jsonBody(review.ReviewStepsInput) },
      responses: {
        201: jsonResponse(z.object({ items: z.array(StepSchema) }), "The steps added"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await review.addReviewSteps(c.var.ctx, c.var.actor, c.req.valid("json")) }, 201),
  );

  return r;
}
