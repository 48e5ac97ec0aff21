/** HTTP routes for playbooks and their versions. */
import { createRoute, z } from "@hono/zod-openapi";
import * as playbooks from "../../app/playbooks.js";
import { router } from "../env.js";
import { errorResponses, IdParam, jsonBody, jsonResponse, PlaybookSchema } from "./schemas.js";

const tags = ["playbooks"];

/** Registers /api/playbooks. */
export function playbookRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/playbooks",
      tags,
      summary: "Create a playbook (Markdown)",
      request: { body: jsonBody(playbooks.PlaybookCreateInput) },
      responses: { 201: jsonResponse(PlaybookSchema, "The playbook at version 1"), ...errorResponses },
    }),
    async (c) => c.json(await playbooks.createPlaybook(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/playbooks",
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
      method: "get",
      path: "/playbooks/{id}",
      tags,
      summary: "A playbook at its current version",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PlaybookSchema, "The playbook"), ...errorResponses },
    }),
    async (c) =>
      c.json(await playbooks.getPlaybookOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "put",
      path: "/playbooks/{id}",
      tags,
      summary: "Save a new version of a playbook",
      request: { params: IdParam, body: jsonBody(playbooks.PlaybookUpdateInput) },
      responses: { 200: jsonResponse(PlaybookSchema, "The playbook at its new version"), ...errorResponses },
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
      tags,
      summary: "Every version of a playbook",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({
            items: z.array(
              z.object({
                version: z.number(),
                body: z.string(),
                authorId: z.number(),
                note: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          "Versions, oldest first",
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        { items: await playbooks.playbookHistory(c.var.ctx, c.var.actor, c.req.valid("param").id) },
        200,
      ),
  );

  return r;
}
