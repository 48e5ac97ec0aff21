/** HTTP routes for commitments. */
import { createRoute } from "@hono/zod-openapi";
import * as commitments from "../../app/collaboration/commitments.js";
import { router } from "../env.js";
import { CommitmentSchema, errorResponses, IdParam, jsonBody, jsonResponse, pageSchema } from "./schemas.js";

const tags = ["commitments"];

/** Registers /api/commitments. */
export function commitmentRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/commitments",
      operationId: "createCommitment",
      tags,
      summary: "Commit to a step or goal by a date, in front of witnesses",
      request: { body: jsonBody(commitments.CommitmentCreateInput) },
      responses: { 201: jsonResponse(CommitmentSchema, "The commitment"), ...errorResponses },
    }),
    async (c) => c.json(await commitments.createCommitment(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/commitments",
      operationId: "listCommitments",
      tags,
      summary: "List commitments",
      request: { query: commitments.CommitmentListQuery },
      responses: {
        200: jsonResponse(pageSchema(CommitmentSchema), "A page of commitments"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await commitments.listCommitments(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/commitments/{id}/resolve",
      operationId: "resolveCommitment",
      tags,
      summary: "Mark a commitment kept or missed",
      request: { params: IdParam, body: jsonBody(commitments.CommitmentResolveInput) },
      responses: { 200: jsonResponse(CommitmentSchema, "The commitment"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await commitments.resolveCommitment(
          c.var.ctx,
          c.var.actor,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        200,
      ),
  );

  return r;
}
