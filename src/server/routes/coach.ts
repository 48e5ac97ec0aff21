/** HTTP route for the coach: lint any texts as steps or goals. */
import { createRoute, z } from "@hono/zod-openapi";
import { CoachLintInput, lintTexts } from "../../app/plans/coach.js";
import { router } from "../env.js";
import { errorResponses, FindingSchema, jsonBody, jsonResponse } from "./schemas.js";

const MeasureSchema = z
  .object({ from: z.number().nullable(), to: z.number(), unit: z.string().nullable() })
  .nullable();

const LintItemSchema = z
  .object({
    text: z.string(),
    kind: z.enum(["action", "outcome"]).optional().openapi({ description: "For steps" }),
    findings: z.array(FindingSchema),
    due: z.string().nullable(),
    measure: MeasureSchema,
    smart: z
      .object({
        specific: z.boolean(),
        measurable: z.boolean(),
        timeBound: z.boolean(),
        achievable: z.boolean().nullable().openapi({
          description: "Judged from the plan (pace of check-ins, steps' estimates); null for bare text",
        }),
        relevant: z
          .boolean()
          .nullable()
          .openapi({ description: "A why or a parent goal; null for bare text" }),
      })
      .optional()
      .openapi({ description: "For goals: the SMART letters" }),
    score: z.number().optional().openapi({ description: "For goals: the plan score 0-100" }),
  })
  .openapi("LintItem");

/** Registers POST /api/coach/lint. */
export function coachRoutes() {
  const r = router();
  r.openapi(
    createRoute({
      method: "post",
      path: "/coach/lint",
      operationId: "lintTexts",
      tags: ["coach"],
      summary: "Check texts as steps or goals: outcome vs action, vague verbs, size, dates, measures",
      request: { body: jsonBody(CoachLintInput) },
      responses: {
        200: jsonResponse(z.object({ items: z.array(LintItemSchema) }), "One item per text, in order"),
        ...errorResponses,
      },
    }),
    (c) => c.json(lintTexts(c.var.ctx, c.req.valid("json")), 200),
  );
  return r;
}
