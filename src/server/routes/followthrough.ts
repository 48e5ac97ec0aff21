/** HTTP routes for the follow-through engine: a goal's status, the follow-through report, the wins feed. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import * as status from "../../app/evaluation/status.js";
import { StatusQuery } from "../../app/evaluation/status-query.js";
import { OPEN_LIST_CAP } from "../../app/reports/circle.js";
import * as report from "../../app/reports/report.js";
import * as review from "../../app/reports/review.js";
import { type Env, router } from "../env.js";
import { errorResponses, IdParam, jsonBody, jsonResponse, StepSchema } from "./schemas.js";

// biome-ignore lint/complexity/noBannedTypes: `{}` is what zod-openapi types a body-less response as
type NotModified = TypedResponse<{}, 304, string>;

/**
 * A tagged reply (report, wins, review) as HTTP: no tag (a past day) the answer as JSON; with one,
 * private and checked again on every use (the tag makes that cheap), a 304 when the reader holds it,
 * else the JSON kept with the answer under its tag (report19), not encoded again per request. The
 * casts say what the bodies hold.
 */
function sendTagged<T>(
  c: Context<Env>,
  reply: { etag: string | null; body: T | null },
): TypedResponse<T, 200, "json"> | NotModified {
  if (reply.etag === null) return c.json(reply.body, 200) as unknown as TypedResponse<T, 200, "json">;
  const headers = { etag: reply.etag, "cache-control": "private, no-cache" };
  if (reply.body === null) return c.body(null, 304, headers) as unknown as NotModified;
  return c.body(report.replyJson(c.var.ctx, { etag: reply.etag, body: reply.body }), 200, {
    ...headers,
    "content-type": "application/json",
  }) as unknown as TypedResponse<T, 200, "json">;
}

const tags = ["follow-through"];

const day = z.string().openapi({ example: "2026-11-21" });
const rate = z
  .number()
  .nullable()
  .openapi({ description: "kept / (kept + missed); null when nothing was due" });
const STALL_REASONS = ["behind", "silent", "carried-over"] as const;
const MODES = ["normal", "micro-goal"] as const;
const PACES = ["ahead", "on-track", "behind"] as const;

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
    pace: z.enum(PACES),
    bufferDays: z.number().int().nullable(),
    forecastDate: day.nullable(),
    stalled: z.boolean(),
    stallReasons: z.array(z.enum(STALL_REASONS)),
    mode: z.enum(MODES),
    modeSince: day.nullable(),
    microStepsDone: z.number().int(),
    nextSteps: z.array(NextStepSchema).openapi({ description: "exactly one entry in micro-goal mode" }),
    leaderPrompt: z.string().nullable().openapi({
      description:
        "In micro-goal mode, the prompt to agree one micro-goal with the owner: only for a reader who leads the owner (an owner or leader of a team the owner is in, or of the goal's team); null for the owner and everyone else",
    }),
    lastMovement: day.nullable(),
  })
  .openapi("GoalStatus");

const winBase = {
  date: day,
  goalId: z.number().int(),
  userId: z.number().int(),
  text: z.string(),
};

/** One entry of the wins feed; the fields after `text` depend on `type`. */
export const WinSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("step-done"), ...winBase, stepId: z.number().int() }).openapi("StepDoneWin"),
    z.object({ type: z.literal("streak"), ...winBase, weeks: z.number().int() }).openapi("StreakWin"),
    z
      .object({
        type: z.literal("milestone"),
        ...winBase,
        keyResultId: z.number().int(),
        milestone: z.number().int().openapi({ description: "Percent of the way: 25, 50, 75 or 100" }),
      })
      .openapi("MilestoneWin"),
    z
      .object({
        type: z.literal("buffer-gained"),
        ...winBase,
        bufferDays: z.number().int(),
        previousBufferDays: z.number().int(),
      })
      .openapi("BufferGainedWin"),
  ])
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

/** report22: how many entries of a list were left out (goals outside the reader's circle past the first `OPEN_LIST_CAP`). */
const omittedCount = (list: string) =>
  z
    .number()
    .int()
    .openapi({
      description: `How many ${list} of goals outside the reader's circle (their own, shared with them, their teams' and their teams' people's goals) were left out after the first ${OPEN_LIST_CAP}; 0 when asked with all=true. The totals count them all.`,
    });

/** The follow-through report of a window of weeks. */
export const ReportSchema = z
  .object({
    asOf: day,
    from: day,
    to: day,
    weeks: z.number().int(),
    ...rateFields,
    pending: z.number().int(),
    moved: z
      .number()
      .int()
      .openapi({ description: "How many times steps due in the window were moved to another day" }),
    mostMoved: z.array(
      z.object({
        stepId: z.number().int(),
        goalId: z.number().int(),
        text: z.string(),
        ownerId: z.number().int(),
        moves: z.number().int(),
      }),
    ),
    wins: z.array(WinSchema),
    stalled: z.array(StalledGoalSchema),
    byUser: z.array(
      z.object({
        userId: z.number().int(),
        name: z.string().nullable(),
        ...rateFields,
        moved: z.number().int(),
      }),
    ),
    byWeek: z.array(z.object({ weekStart: day, ...rateFields, moved: z.number().int() })),
    omitted: z
      .object({
        wins: omittedCount("wins"),
        stalled: omittedCount("stalled goals"),
        byUser: omittedCount("people (byUser)"),
      })
      .openapi("ReportOmitted"),
  })
  .openapi("FollowThroughReport");

/** The wins feed of a window. */
export const WinsFeedSchema = z
  .object({ asOf: day, from: day, to: day, items: z.array(WinSchema), omitted: omittedCount("wins") })
  .openapi("WinsFeed");

/** A step or commitment that was missed, with what it said. */
const MissSchema = z
  .object({
    kind: z.enum(["step", "commitment"]),
    id: z.number().int(),
    goalId: z.number().int().nullable(),
    userId: z.number().int(),
    text: z.string(),
    dueDate: day,
    doneOn: day.nullable().openapi({ description: "The day it was done, late; null when not done" }),
  })
  .openapi("Miss");

/** The weekly review: last week's wins, misses and rate, stalled goals, and what to plan next. */
export const WeeklyReviewSchema = z
  .object({
    asOf: day,
    from: day,
    to: day,
    ...rateFields,
    pending: z.number().int(),
    wins: z.array(WinSchema),
    misses: z.array(MissSchema),
    stalled: z.array(StalledGoalSchema),
    nextWeek: z.object({ from: day, to: day }).openapi({ description: "The 7 days after asOf" }),
    plan: z
      .array(
        z.object({
          goalId: z.number().int(),
          title: z.string(),
          pace: z.enum(PACES),
          progress: z.number(),
          mode: z.enum(MODES),
          nextSteps: z.array(NextStepSchema),
          question: z.string().openapi({ description: "The weekly question for this goal" }),
        }),
      )
      .openapi({ description: "My active goals, each asking for one small step next week" }),
    omitted: z.object({
      wins: omittedCount("wins"),
      misses: omittedCount("misses"),
      stalled: omittedCount("stalled goals"),
    }),
  })
  .openapi("WeeklyReview");

const reportEtagHeader = {
  description:
    "Today's answer (up to 12 weeks) has a strong entity tag: send it back in If-None-Match to get 304 while nothing it shows has changed. A past day or a longer window has none.",
  schema: { type: "string" as const },
};

const reviewEtagHeader = {
  description:
    "Today's review has a strong entity tag: send it back in If-None-Match to get 304 while nothing it shows has changed. A past day's has none.",
  schema: { type: "string" as const },
};

const notModified = {
  description:
    "Not modified: the If-None-Match header holds the current entity tag, so the copy the reader has is the answer (no body).",
  headers: { ETag: reportEtagHeader },
};

/** Registers /api/goals/{id}/status, /api/report, /api/wins, /api/review and /api/review/steps. */
export function followThroughRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/status",
      operationId: "getGoalStatus",
      tags,
      summary:
        "A goal's status on a day (default today): progress, pace, buffer, forecast, stall, micro-goal mode, next steps",
      request: { params: IdParam, query: StatusQuery },
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
      operationId: "getReport",
      tags,
      summary:
        "The follow-through rate for the weeks (default 4) ending on a day, per person and week, with the wins and the stalled goals",
      request: { query: report.ReportQuery },
      responses: {
        200: { ...jsonResponse(ReportSchema, "The report"), headers: { ETag: reportEtagHeader } },
        304: notModified,
        ...errorResponses,
      },
    }),
    async (c) => {
      const reply = await report.followThroughReportReply(
        c.var.ctx,
        c.var.actor,
        c.req.valid("query"),
        c.req.header("if-none-match") ?? null,
      );
      return sendTagged<report.FollowThroughReportView>(c, reply);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/wins",
      operationId: "getWins",
      tags,
      summary: "The wins feed for the weeks (default 1) ending on a day, newest first",
      request: { query: report.WinsQuery },
      responses: {
        200: { ...jsonResponse(WinsFeedSchema, "The wins"), headers: { ETag: reportEtagHeader } },
        304: notModified,
        ...errorResponses,
      },
    }),
    async (c) => {
      const reply = await report.winsFeedReply(
        c.var.ctx,
        c.var.actor,
        c.req.valid("query"),
        c.req.header("if-none-match") ?? null,
      );
      return sendTagged<report.WinsFeed>(c, reply);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/review",
      operationId: "getReview",
      tags,
      summary:
        "The weekly review: last week's wins and misses, stalled goals, the rate, and one question per active goal",
      request: { query: review.ReviewQuery },
      responses: {
        200: { ...jsonResponse(WeeklyReviewSchema, "The review"), headers: { ETag: reviewEtagHeader } },
        304: notModified,
        ...errorResponses,
      },
    }),
    async (c) => {
      // review21: tagged and kept as the report is (review.ts, `weeklyReviewReplyFromRows`).
      const reply = await review.weeklyReviewReply(
        c.var.ctx,
        c.var.actor,
        c.req.valid("query"),
        c.req.header("if-none-match") ?? null,
      );
      return sendTagged<review.WeeklyReview>(c, reply);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/review/steps",
      operationId: "createReviewSteps",
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
