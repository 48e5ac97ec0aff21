/** HTTP routes for check-ins, comments and kudos. */
import { createRoute, z } from "@hono/zod-openapi";
import * as checkins from "../../app/checkins/checkins.js";
import { router } from "../env.js";
import {
  CheckinSchema,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  PlanBSchema,
  StepSchema,
} from "./schemas.js";

const tags = ["check-ins"];

const FeedbackSchema = z.object({
  comments: z.array(
    z.object({
      id: z.number(),
      checkinId: z.number(),
      authorId: z.number(),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
  kudos: z.array(z.number()),
});

/** Registers /api/goals/{id}/checkins and /api/checkins/{id}/... */
export function checkinRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/checkins",
      operationId: "createCheckin",
      tags,
      summary: "Check in: key-result values, confidence, done, next, obstacles hit (their Plan B comes back)",
      request: { params: IdParam, body: jsonBody(checkins.CheckinCreateInput) },
      responses: {
        201: jsonResponse(
          CheckinSchema.extend({
            planB: z.array(PlanBSchema),
            nextStepTask: z.union([StepSchema, z.null()]).openapi({
              description:
                "The step the next step became when nextStepDue was given (due that day), or the open step of the same text; else null",
            }),
          }),
          "The check-in and Plan Bs",
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        // The route's validator parsed the body with the use case's own schema: not parsed again.
        await checkins.createValidCheckin(
          c.var.ctx,
          c.var.actor,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/checkins",
      operationId: "listCheckins",
      tags,
      summary: "Check-ins of a goal, oldest first",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(CheckinSchema) }), "Check-ins"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await checkins.listCheckins(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/checkins/{id}/comments",
      operationId: "createComment",
      tags,
      summary: "Comment on a check-in",
      request: { params: IdParam, body: jsonBody(checkins.CommentInput) },
      responses: {
        201: jsonResponse(FeedbackSchema.shape.comments.element, "The comment"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await checkins.addComment(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/checkins/{id}/kudos",
      operationId: "giveKudos",
      tags,
      summary: "Give kudos to a check-in (once per person)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(FeedbackSchema, "Comments and kudos"), ...errorResponses },
    }),
    async (c) => c.json(await checkins.giveKudos(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/checkins/{id}/feedback",
      operationId: "getFeedback",
      tags,
      summary: "Comments and kudos on a check-in",
      request: { params: IdParam },
      responses: { 200: jsonResponse(FeedbackSchema, "Comments and kudos"), ...errorResponses },
    }),
    async (c) => c.json(await checkins.feedbackOf(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  return r;
}
