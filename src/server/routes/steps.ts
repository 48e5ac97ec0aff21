/** HTTP routes for steps. */
import { createRoute, z } from "@hono/zod-openapi";
import * as steps from "../../app/plans/steps.js";
import * as weekview from "../../app/plans/weekview.js";
import { router } from "../env.js";
import { DelegationSchema } from "./collaboration.js";
import { WinSchema } from "./followthrough.js";
import {
  errorResponses,
  GoalSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  pageSchema,
  StepSchema,
  StepWithWarningsSchema,
} from "./schemas.js";

const tags = ["steps"];

/** A goal in micro-goal mode in my week: its one step, or the prompt to write one. */
const MicroGoalWeekSchema = z
  .object({
    goalId: z.number().int(),
    title: z.string(),
    step: StepSchema.nullable().openapi({
      description:
        "The one step micro-goal mode shows (smallest estimate, then earliest due date, then position; at most 60 minutes), due this week or not; null when no open step fits.",
    }),
    prompt: z
      .string()
      .nullable()
      .openapi({ description: "When step is null, the prompt to write one step of at most 60 minutes." }),
  })
  .openapi("MicroGoalWeek");

/** What "my week" answers. */
const WeekSchema = z
  .object({
    from: z.string().openapi({ description: "The Monday of the week" }),
    to: z.string().openapi({ description: "The Sunday of the week" }),
    steps: z.array(StepSchema).openapi({
      description:
        "Open steps I own due by Sunday, overdue included, in due order; none of a goal in micro-goal mode.",
    }),
    microGoals: z.array(MicroGoalWeekSchema).openapi({
      description:
        "Goals in micro-goal mode, one step at a time: each of mine, and others' goals whose one step is mine.",
    }),
    prompt: z
      .string()
      .nullable()
      .openapi({ description: "The question to ask when nothing is planned (no steps and no micro-goals)." }),
  })
  .openapi("Week");

// --- Issue 15: My week in one answer (the fields after `prompt` are new; the others are kept). ---
const day = z.string().openapi({ example: "2026-11-21" });
const WeekGoalSchema = z
  .object({
    goal: GoalSchema,
    status: z.object({
      mode: z.enum(["normal", "micro-goal"]),
      stalled: z.boolean(),
      stallReasons: z.array(z.enum(["behind", "silent", "carried-over"])),
      progress: z.number().openapi({ description: "0..1" }),
      expected: z.number().nullable().openapi({ description: "0..1 on the line to the due date" }),
      pace: z.enum(["ahead", "on-track", "behind"]),
      nextStep: z
        .union([StepSchema, z.object({ prompt: z.string() })])
        .nullable()
        .openapi({ description: "In micro-goal mode the one step, or the prompt to write one; else null" }),
    }),
    lastCheckin: z.object({ date: day, confidence: z.string().nullable() }).nullable(),
    checkinDue: day.openapi({ description: "The last check-in (else the start) plus the cadence" }),
  })
  .openapi("WeekGoal");
const WeekViewSchema = WeekSchema.extend({
  asOf: day.openapi({ description: "The day the week was read for" }),
  goals: z.array(WeekGoalSchema).openapi({ description: "The active goals I own, in id order" }),
  wins: z.array(WinSchema).openapi({ description: "Wins of my goals from Monday to asOf, newest first" }),
  delegations: z.object({
    askedOfMe: z.array(DelegationSchema).openapi({ description: "Open delegations assigned to me" }),
    askedByMe: z.array(DelegationSchema).openapi({ description: "Open delegations I made" }),
  }),
  people: z
    .array(z.object({ id: z.number().int(), name: z.string() }))
    .openapi({ description: "Names of the people the answer mentions" }),
}).openapi("WeekView");

/** Registers /api/steps and /api/goals/{id}/steps. */
export function stepRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/steps",
      operationId: "createStep",
      tags,
      summary: "Add a micro-step to a goal",
      request: { params: IdParam, body: jsonBody(steps.StepCreateInput) },
      responses: {
        201: jsonResponse(StepWithWarningsSchema, "The step, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await steps.addStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/steps",
      operationId: "listSteps",
      tags,
      summary: "List steps (open ones unless all=true; filter by goal, owner, status, due)",
      request: { query: steps.StepListQuery },
      responses: { 200: jsonResponse(pageSchema(StepSchema), "A page of steps"), ...errorResponses },
    }),
    async (c) => c.json(await steps.listSteps(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/steps/{id}",
      operationId: "getStep",
      tags,
      summary: "A step",
      request: { params: IdParam },
      responses: { 200: jsonResponse(StepSchema, "The step"), ...errorResponses },
    }),
    async (c) => c.json(await steps.getStepOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/steps/{id}",
      operationId: "updateStep",
      tags,
      summary: "Change a step",
      request: { params: IdParam, body: jsonBody(steps.StepUpdateInput) },
      responses: {
        200: jsonResponse(StepWithWarningsSchema, "The step, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await steps.updateStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/steps/{id}/done",
      operationId: "completeStep",
      tags,
      summary: "Mark a step done (today, or a past date to backfill)",
      request: { params: IdParam, body: jsonBody(steps.StepDoneInput) },
      responses: { 200: jsonResponse(StepSchema, "The step"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await steps.completeStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/week",
      operationId: "getWeek",
      tags,
      summary: "My week: open steps due by Sunday, overdue included; one step per goal in micro-goal mode",
      request: { query: weekview.WeekQuery },
      responses: {
        200: jsonResponse(
          WeekViewSchema,
          "My week, with each goal's status, check-ins due, this week's wins and open delegations",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await weekview.myWeekView(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  return r;
}
