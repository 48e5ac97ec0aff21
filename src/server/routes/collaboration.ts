/** HTTP routes for sharing, following, delegation and the inbox of notices. */
import { createRoute, z } from "@hono/zod-openapi";
import * as collab from "../../app/collaboration/collaboration.js";
import * as notices from "../../app/delivery/notices.js";
import { router } from "../env.js";
import { errorResponses, GoalChildParam, IdParam, jsonBody, jsonResponse } from "./schemas.js";

/** A delegation as the API answers it. */
export const DelegationSchema = z
  .object({
    id: z.number(),
    goalId: z.number(),
    stepId: z.number().nullable(),
    delegatedBy: z.number(),
    assigneeId: z.number(),
    what: z.string(),
    why: z.string().nullable(),
    dueDate: z.string().nullable(),
    doneLooksLike: z.string(),
    cadenceDays: z.number(),
    how: z.string(),
    state: z.enum(["proposed", "accepted", "clarification-asked"]),
    question: z.string().nullable(),
    answer: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    done: z.boolean().openapi({ description: "The delegated step (or goal) is done" }),
    open: z.boolean().openapi({ description: "Still to do: neither done nor dropped" }),
    doneAt: z.string().nullable().openapi({ description: "When the step was done" }),
  })
  .openapi("Delegation");
/** An open delegation on the team page. */
const TeamDelegationSchema = DelegationSchema.extend({
  goalTitle: z.string(),
  assigneeName: z.string(),
  delegatorName: z.string(),
}).openapi("TeamDelegation");
const PeopleSchema = z.object({
  items: z.array(z.object({ userId: z.number(), name: z.string(), role: z.string().optional() })),
});
const NoticeSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    subjectType: z.string(),
    subjectId: z.number(),
    message: z.string(),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi("Notice");

/** Registers the collaboration routes. */
export function collaborationRoutes() {
  const r = router();
  const share = ["sharing"];
  const deleg = ["delegation"];

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/shares",
      operationId: "shareGoal",
      tags: share,
      summary: "Share a goal with an accountability partner or coach (its owner)",
      request: { params: IdParam, body: jsonBody(collab.ShareInput) },
      responses: {
        201: jsonResponse(z.object({ goalId: z.number(), userId: z.number(), role: z.string() }), "Shared"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await collab.shareGoal(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/shares",
      operationId: "listShares",
      tags: share,
      summary: "Who a goal is shared with",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PeopleSchema, "People"), ...errorResponses },
    }),
    async (c) =>
      c.json({ items: await collab.sharesOf(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/goals/{id}/shares/{childId}",
      operationId: "unshareGoal",
      tags: share,
      summary: "Stop sharing a goal with a person",
      request: { params: GoalChildParam },
      responses: { 200: jsonResponse(z.object({ removed: z.boolean() }), "Removed"), ...errorResponses },
    }),
    async (c) => {
      const { id, childId } = c.req.valid("param");
      await collab.unshareGoal(c.var.ctx, c.var.actor, id, childId);
      return c.json({ removed: true }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/follow",
      operationId: "followGoal",
      tags: share,
      summary: "Follow a goal: its changes and their reasons reach you",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PeopleSchema, "Followers"), ...errorResponses },
    }),
    async (c) => c.json({ items: await collab.follow(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/goals/{id}/follow",
      operationId: "unfollowGoal",
      tags: share,
      summary: "Stop following a goal",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PeopleSchema, "Followers"), ...errorResponses },
    }),
    async (c) =>
      c.json({ items: await collab.unfollow(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/followers",
      operationId: "listFollowers",
      tags: share,
      summary: "Followers of a goal",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PeopleSchema, "Followers"), ...errorResponses },
    }),
    async (c) =>
      c.json({ items: await collab.followers(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/steps/{id}/delegate",
      operationId: "delegateStep",
      tags: deleg,
      summary:
        "Delegate a step: what, by when, why, what done looks like, cadence; the how is the assignee's",
      request: { params: IdParam, body: jsonBody(collab.DelegateInput) },
      responses: { 201: jsonResponse(DelegationSchema, "The delegation"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await collab.delegateStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/delegate",
      operationId: "delegateGoal",
      tags: deleg,
      summary: "Delegate a whole goal (it changes owner when accepted)",
      request: { params: IdParam, body: jsonBody(collab.DelegateInput) },
      responses: { 201: jsonResponse(DelegationSchema, "The delegation"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await collab.delegateGoal(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/delegations",
      operationId: "listDelegations",
      tags: deleg,
      summary: "Delegations I gave or received",
      responses: { 200: jsonResponse(z.object({ items: z.array(DelegationSchema) }), "Delegations") },
    }),
    async (c) => c.json({ items: await collab.listDelegations(c.var.ctx, c.var.actor) }, 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/delegations/{id}",
      operationId: "getDelegation",
      tags: deleg,
      summary: "One delegation",
      request: { params: IdParam },
      responses: { 200: jsonResponse(DelegationSchema, "The delegation"), ...errorResponses },
    }),
    async (c) => c.json(await collab.getDelegation(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/delegations/{id}/accept",
      operationId: "acceptDelegation",
      tags: deleg,
      summary: "Accept a delegation (the assignee)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(DelegationSchema, "Accepted"), ...errorResponses },
    }),
    async (c) => c.json(await collab.acceptDelegation(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/delegations/{id}/clarify",
      operationId: "askClarification",
      tags: deleg,
      summary: "Ask the delegator a question (the assignee)",
      request: { params: IdParam, body: jsonBody(collab.ClarifyInput) },
      responses: { 200: jsonResponse(DelegationSchema, "Question sent"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await collab.askClarification(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/delegations/{id}/answer",
      operationId: "answerClarification",
      tags: deleg,
      summary: "Answer the assignee's question (the delegator)",
      request: { params: IdParam, body: jsonBody(collab.AnswerInput) },
      responses: { 200: jsonResponse(DelegationSchema, "Answered"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await collab.answerClarification(
          c.var.ctx,
          c.var.actor,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        200,
      ),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/inbox",
      operationId: "listInbox",
      tags: ["inbox"],
      summary: "My notices, newest first (unread=true for only unread)",
      request: { query: notices.InboxQuery },
      responses: {
        200: jsonResponse(z.object({ items: z.array(NoticeSchema) }), "Notices"),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await notices.inbox(c.var.ctx, c.var.actor, c.req.valid("query")) }, 200),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/inbox/read",
      operationId: "markInboxRead",
      tags: ["inbox"],
      summary: "Mark my notices read (all, or up to an id)",
      request: {
        body: jsonBody(z.strictObject({ upToId: z.number().int().positive().max(2_147_483_647).optional() })),
      },
      responses: { 200: jsonResponse(z.object({ marked: z.number() }), "How many"), ...errorResponses },
    }),
    async (c) =>
      c.json({ marked: await notices.markRead(c.var.ctx, c.var.actor, c.req.valid("json").upToId) }, 200),
  );

  // --- Issue 15 (delegation loop and inbox). ---
  r.openapi(
    createRoute({
      method: "post",
      path: "/inbox/{id}/read",
      operationId: "markNoticeRead",
      tags: ["inbox"],
      summary: "Mark one of my notices read (when I open what it names)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ id: z.number() }), "Read"), ...errorResponses },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      await notices.markOneRead(c.var.ctx, c.var.actor, id);
      return c.json({ id }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/teams/{id}/delegations",
      operationId: "listTeamDelegations",
      tags: deleg,
      summary:
        "Open delegations of a team's members, on goals I may see (for whoever may see the team's overview)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(TeamDelegationSchema) }), "Open delegations"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await collab.teamDelegations(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );
  return r;
}
