/**
 * POST /api/import/csv: objectives, key results and check-in history from a spreadsheet or an OKR
 * tool's CSV (the file as the body), previewed (`preview=true`: the first rows as mapped, owners
 * matched and the coach's findings, nothing written) or imported; both end with the per-field report.
 * Registered before the other import routes so `/import/{source}` does not take `csv`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { today } from "../../app/context.js";
import { importOkrs } from "../../app/imports/okr.js";
import { timeZoneOf } from "../../app/people/settings.js";
import { OKR_FIELDS, parseMapping, parseOkrCsv } from "../../integrations/import/okr-csv.js";
import { router } from "../env.js";
import { errorResponses, jsonResponse } from "./schemas.js";

const CsvQuery = z.object({
  map: z
    .string()
    .max(4000)
    .optional()
    .openapi({
      description: `Which column holds each field, as comma-separated field=Column pairs. Fields: ${OKR_FIELDS.map((f) => f.field).join(", ")}. Fields not given map to the column named as in the template (Objective, Why, Key result, …).`,
      example: "title=Objective,kr=Key result",
    }),
  preview: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: answer what would be imported, and write nothing." }),
});

const FindingSchema = z.object({ code: z.string(), message: z.string(), suggestion: z.string() });

export const FieldReportSchema = z
  .object({
    source: z.string(),
    to: z.string().nullable(),
    kept: z.number().int(),
    mapped: z.number().int(),
    leftOut: z.number().int(),
    why: z.string().optional(),
  })
  .openapi("FieldReport");

const OkrImportResultSchema = z
  .object({
    preview: z.boolean(),
    columns: z.array(z.string()),
    mapping: z.record(z.string(), z.string()),
    rows: z.number().int(),
    sample: z.array(z.object({ row: z.number().int(), values: z.record(z.string(), z.string()) })),
    objectives: z.array(
      z.object({
        title: z.string(),
        row: z.number().int(),
        keyResults: z.number().int(),
        checkins: z.number().int(),
        owner: z.string().nullable(),
        ownerMatch: z.object({ userId: z.number().int(), name: z.string() }).nullable(),
        findings: z.array(FindingSchema),
        existing: z.boolean(),
      }),
    ),
    owners: z.object({ matched: z.array(z.string()), unmatched: z.array(z.string()) }),
    created: z.object({ goals: z.number().int(), keyResults: z.number().int(), checkins: z.number().int() }),
    existing: z.object({ goals: z.number().int() }),
    goalIds: z.array(z.number().int()),
    report: z.array(FieldReportSchema),
  })
  .openapi("OkrImportResult");

const fileBody = z.string().openapi({ format: "binary" });

/** Registers POST /api/import/csv. */
export function okrImportRoutes() {
  const r = router();
  r.openapi(
    createRoute({
      method: "post",
      path: "/import/csv",
      operationId: "importOkrCsv",
      tags: ["import and export"],
      summary:
        "Preview or import objectives, key results and check-in history from a CSV (one row per check-in of a key result); importing it again adds nothing",
      request: {
        query: CsvQuery,
        body: {
          required: true,
          description:
            "The CSV as it is, with a header row (docs/templates/okr-import.csv). Any content type.",
          content: {
            "text/csv": { schema: fileBody },
            "application/octet-stream": { schema: fileBody },
            "text/plain": { schema: fileBody },
          },
        },
      },
      responses: {
        200: jsonResponse(
          OkrImportResultSchema,
          "The columns and mapping, the first rows as mapped, the owners matched, the coach's findings per objective, what was created, and the per-field report",
        ),
        413: {
          description: "The file is too large.",
          content: { "application/json": { schema: errorResponses[400].content["application/json"].schema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { map, preview } = c.req.valid("query");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const timeZone = await timeZoneOf(c.var.ctx, c.var.actor);
      const ctx = { ...c.var.ctx, timeZone };
      const data = parseOkrCsv(bytes, { mapping: map ? parseMapping(map) : {}, today: today(ctx) });
      return c.json(await importOkrs(ctx, c.var.actor, data, { preview: preview === "true" }), 200);
    },
  );
  return r;
}
