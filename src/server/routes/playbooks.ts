/** HTTP routes for playbooks: versions and diffs, links from goals and steps, plans from templates. */
import { createRoute, z } from "@hono/zod-openapi";
import * as playbooks from "../../app/playbooks/playbooks.js";
import { router } from "../env.js";
import {
  ErrorSchema,
  errorResponses,
  FindingSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  PlanSchema,
  PlaybookSchema,
} from "./schemas.js";

const tags = ["playbooks"];

/** What a plan started from the playbook would get, read from its Markdown. */
const PlaybookTemplateSchema = z
  .object({
    keyResults: z.array(
      z.object({
        title: z.string(),
        startValue: z.number(),
        targetValue: z.number(),
        unit: z.string().nullable(),
      }),
    ),
    steps: z.array(
      z.object({
        text: z.string(),
        keyResult: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "The key result the step serves: its position in keyResults, from 1." }),
      }),
    ),
    barriers: z.array(z.object({ obstacle: z.string(), planB: z.string() })),
    notes: z.array(z.object({ step: z.number().int(), text: z.string(), message: z.string() })).openapi({
      description: "Steps whose '(KR …)' ending stays part of their text, with why and how to change it.",
    }),
  })
  .openapi("PlaybookTemplate");

/** A playbook with its Markdown rendered to sanitized HTML. */
const RenderedPlaybookSchema = PlaybookSchema.extend({
  html: z.string().openapi({ description: "The body rendered to HTML and sanitized (safe to insert)." }),
  template: PlaybookTemplateSchema,
}).openapi("RenderedPlaybook");

/** One saved version of a playbook, its Markdown rendered like the current one's. */
const PlaybookVersionSchema = z
  .object({
    version: z.number(),
    body: z.string(),
    html: z.string().openapi({ description: "The body rendered to HTML and sanitized (safe to insert)." }),
    authorId: z.number(),
    authorName: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("PlaybookVersion");

/** Unsaved Markdown rendered as a saved playbook would be. */
const PlaybookPreviewSchema = z
  .object({
    html: z.string().openapi({ description: "The body rendered to HTML and sanitized (safe to insert)." }),
  })
  .openapi("PlaybookPreview");

const PlaybookLinkSchema = z
  .object({
    playbookId: z.number().int(),
    goalId: z.number().int(),
    stepId: z.number().int().nullable(),
    title: z.string(),
    version: z.number().int(),
    teamId: z.number().int().nullable(),
  })
  .openapi("PlaybookLink");

const GoalPlaybookParam = z.object({
  id: IdParam.shape.id,
  playbookId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: "playbookId", in: "path", required: true }, example: 1 }),
});

const DiffQuery = z.object({
  from: playbooks.PlaybookDiffQuery.shape.from.openapi({
    param: { name: "from", in: "query", required: true },
    example: 1,
  }),
  to: playbooks.PlaybookDiffQuery.shape.to.openapi({
    param: { name: "to", in: "query", required: true },
    example: 2,
  }),
});

/** 403: the playbook belongs to a team the caller is not in. */
const readOnlyResponse = {
  403: {
    description: "A team's playbook, and the caller is neither in the team nor the workspace owner.",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;

/** Registers /api/playbooks. */
export function playbookRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/playbooks",
      operationId: "createPlaybook",
      tags,
      summary: "Create a playbook (Markdown)",
      request: { body: jsonBody(playbooks.PlaybookCreateInput) },
      responses: {
        201: jsonResponse(RenderedPlaybookSchema, "The playbook at version 1"),
        ...errorResponses,
        ...readOnlyResponse,
      },
    }),
    async (c) => c.json(await playbooks.createPlaybook(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/playbooks",
      operationId: "listPlaybooks",
      tags,
      summary: "List playbooks",
      responses: {
        200: jsonResponse(
          z.object({
            items: z.array(
              z.object({
                id: z.number(),
                teamId: z.number().nullable(),
                title: z.string(),
                version: z.number(),
                updatedAt: z.string(),
              }),
            ),
          }),
          "Playbooks",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await playbooks.listPlaybooks(c.var.ctx, c.var.actor) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/playbooks/preview",
      operationId: "previewPlaybook",
      tags,
      summary: "Render unsaved Markdown as a saved playbook is rendered (the editor's preview)",
      request: { body: jsonBody(playbooks.PlaybookPreviewInput) },
      responses: {
        200: jsonResponse(PlaybookPreviewSchema, "The rendering"),
        ...errorResponses,
        429: {
          description: "Too many previews this minute: wait Retry-After seconds.",
          content: { "application/json": { schema: ErrorSchema } },
        },
      },
    }),
    async (c) =>
      c.json(await playbooks.previewPlaybook(c.var.ctx, c.var.actor, c.req.valid("json"), c.var.limits), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/playbooks/{id}",
      operationId: "getPlaybook",
      tags,
      summary: "A playbook at its current version",
      request: { params: IdParam },
      responses: { 200: jsonResponse(RenderedPlaybookSchema, "The playbook"), ...errorResponses },
    }),
    async (c) =>
      c.json(await playbooks.getPlaybookOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "put",
      path: "/playbooks/{id}",
      operationId: "updatePlaybook",
      tags,
      summary: "Save a new version of a playbook",
      request: { params: IdParam, body: jsonBody(playbooks.PlaybookUpdateInput) },
      responses: {
        200: jsonResponse(RenderedPlaybookSchema, "The playbook at its new version"),
        ...errorResponses,
        ...readOnlyResponse,
      },
    }),
    async (c) =>
      c.json(
        await playbooks.updatePlaybook(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/playbooks/{id}/versions",
      operationId: "listPlaybookVersions",
      tags,
      summary: "Every version of a playbook: who saved it, when, their note, and its rendering",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(PlaybookVersionSchema) }), "Versions, oldest first"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        { items: await playbooks.playbookHistory(c.var.ctx, c.var.actor, c.req.valid("param").id) },
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/playbooks/{id}/diff",
      operationId: "getPlaybookDiff",
      tags,
      summary: "What changed between two versions: a unified diff and the lines added and removed",
      request: { params: IdParam, query: DiffQuery },
      responses: {
        200: jsonResponse(
          z.object({
            from: z.number().int(),
            to: z.number().int(),
            authorId: z.number().int(),
            authorName: z.string(),
            patch: z.string(),
            added: z.number().int(),
            removed: z.number().int(),
          }),
          "The diff; authorId is who saved the `to` version",
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await playbooks.playbookDiff(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("query")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/playbooks/{id}/plans",
      operationId: "createPlanFromPlaybook",
      tags,
      summary: "Start a plan from a playbook template (task items become steps, if-then lines barriers)",
      request: { params: IdParam, body: jsonBody(playbooks.PlanFromPlaybookInput) },
      responses: {
        201: jsonResponse(
          PlanSchema.extend({ warnings: z.array(FindingSchema) }),
          "The new plan, with the coach's findings on it",
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await playbooks.startPlanFromPlaybook(
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
      method: "post",
      path: "/goals/{id}/playbooks",
      operationId: "linkPlaybook",
      tags,
      summary: "Link a playbook to a goal, or to one of its steps",
      request: { params: IdParam, body: jsonBody(playbooks.PlaybookLinkInput) },
      responses: {
        201: jsonResponse(PlaybookLinkSchema, "The link"),
        ...errorResponses,
        409: {
          description: "The playbook is already linked there.",
          content: { "application/json": { schema: ErrorSchema } },
        },
      },
    }),
    async (c) =>
      c.json(
        await playbooks.linkPlaybook(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/playbooks",
      operationId: "listGoalPlaybooks",
      tags,
      summary: "Playbooks linked to a goal (stepId set when linked to one of its steps)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(PlaybookLinkSchema) }), "Linked playbooks"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await playbooks.goalPlaybooks(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );

  r.openapi(
    createRoute({
      method: "delete",
      path: "/goals/{id}/playbooks/{playbookId}",
      operationId: "unlinkPlaybook",
      tags,
      summary: "Unlink a playbook from a goal and its steps",
      request: { params: GoalPlaybookParam },
      responses: { 200: jsonResponse(z.object({ unlinked: z.boolean() }), "Unlinked"), ...errorResponses },
    }),
    async (c) => {
      const { id, playbookId } = c.req.valid("param");
      await playbooks.unlinkPlaybook(c.var.ctx, c.var.actor, id, playbookId);
      return c.json({ unlinked: true }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/save-as-playbook",
      operationId: "savePlanAsPlaybook",
      tags,
      summary:
        "Save a goal's plan as a new playbook: key results, steps with '(KR n)' naming their key result, if-then barriers",
      request: { params: IdParam, body: jsonBody(playbooks.PlaybookFromPlanInput) },
      responses: {
        201: jsonResponse(RenderedPlaybookSchema, "The playbook at version 1"),
        ...errorResponses,
        ...readOnlyResponse,
      },
    }),
    async (c) =>
      c.json(
        await playbooks.savePlanAsPlaybook(
          c.var.ctx,
          c.var.actor,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        201,
      ),
  );

  return r;
}
