/** HTTP routes for imports (a file as the request body) and exports (CSV, Markdown, iCalendar). */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { today } from "../../app/context.js";
import { calendarOf } from "../../app/exports/calendar.js";
import { exportPlans } from "../../app/exports/exports.js";
import * as imports from "../../app/imports/imports.js";
import { auditExport } from "../../app/people/accounts.js";
import { timeZoneOf } from "../../app/people/settings.js";
import { calendarOptions, formatPlans, MEDIA_TYPES, PLAN_FORMATS } from "../../integrations/export/index.js";
import { parseImportFile } from "../../integrations/import/index.js";
import { router } from "../env.js";
import { errorResponses, jsonResponse } from "./schemas.js";

const tags = ["import and export"];

/** The path prefix of the import routes, whose bodies may be larger than other requests'. */
export const IMPORT_PATH = "/api/import/";

/** The largest import body accepted over HTTP, in bytes. */
export const MAX_IMPORT_BODY_BYTES = 50 * 1024 * 1024;

/**
 * The API's body limit with the import routes' larger one: one middleware, run before anything
 * reads a body (the Idempotency-Key check reads it too), so no request is read past its limit and
 * no route-level limit meets a body already read.
 */
export function withImportLimit(limit: MiddlewareHandler): MiddlewareHandler {
  const importLimit = bodyLimit({
    maxSize: MAX_IMPORT_BODY_BYTES,
    onError: (c) =>
      c.json(
        {
          error: {
            code: "body_too_large",
            message: `The file is larger than ${MAX_IMPORT_BODY_BYTES / (1024 * 1024)} MB. Split it, or import it with the command line (throughline import).`,
            details: {},
          },
        },
        413,
      ),
  });
  return (c, next) => (c.req.path.startsWith(IMPORT_PATH) ? importLimit(c, next) : limit(c, next));
}

const SourceParam = z.object({
  source: z.enum(imports.IMPORT_SOURCES).openapi({
    param: { name: "source", in: "path", required: true },
    example: "trello",
  }),
});

const ImportQuery = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .openapi({ description: "The goal's title when the file does not name it (Todoist, Asana)." }),
});

const FindingSchema = z.object({ code: z.string(), message: z.string(), suggestion: z.string() });

const ImportResultSchema = z
  .object({
    source: z.string(),
    goals: z.object({ created: z.number().int(), existing: z.number().int() }),
    steps: z.object({ created: z.number().int(), existing: z.number().int() }),
    goalIds: z.array(z.number().int()),
    skipped: z.array(z.string()),
    fields: z
      .array(
        z.object({
          source: z
            .string()
            .openapi({ description: "The field as the source names it", example: "DURATION" }),
          to: z.string().nullable().openapi({
            description: "Where it went in Throughline, or null",
            example: "step.estimateMinutes",
          }),
          kept: z.number().int().openapi({ description: "Values carried as they were" }),
          mapped: z.number().int().openapi({ description: "Values converted or matched on the way" }),
          leftOut: z.number().int().openapi({ description: "Values not carried" }),
          why: z.string().optional().openapi({ description: "Why some were left out" }),
        }),
      )
      .openapi({ description: "What became of each field of the file: kept, mapped, left out and why" }),
    coach: z.object({
      checked: z.number().int(),
      outcomes: z.number().int(),
      vague: z.number().int(),
      tooBig: z.number().int(),
      worst: z.array(
        z.object({
          stepId: z.number().int(),
          goalId: z.number().int(),
          text: z.string(),
          findings: z.array(FindingSchema),
        }),
      ),
    }),
  })
  .openapi("ImportResult");

const fileBody = z.string().openapi({ format: "binary" });

const ExportQuery = z.object({
  format: z.enum(PLAN_FORMATS).openapi({ example: "ics" }),
});

const EXTENSIONS = { csv: "csv", markdown: "md", ics: "ics", json: "json" } as const;

/** Registers POST /api/import/{source} and GET /api/export. */
export function importRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/import/{source}",
      operationId: "importPlans",
      tags,
      summary:
        "Import a Taskwarrior, Trello, Todoist or Asana export (the file as the body, up to 50 MB); importing it again adds nothing",
      request: {
        params: SourceParam,
        query: ImportQuery,
        body: {
          required: true,
          description:
            "The exported file as it is: `task export` JSON, a Trello board's JSON, Todoist's CSV template or Asana's CSV. Any content type.",
          content: {
            "application/octet-stream": { schema: fileBody },
            "text/csv": { schema: fileBody },
            "text/plain": { schema: fileBody },
          },
        },
      },
      responses: {
        200: jsonResponse(ImportResultSchema, "What was imported, and the coach's report on the new steps"),
        413: {
          description: "The file is too large.",
          content: { "application/json": { schema: errorResponses[400].content["application/json"].schema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { source } = c.req.valid("param");
      const { name } = c.req.valid("query");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      // Due dates are read in the importing person's time zone, and "today" is theirs.
      const timeZone = await timeZoneOf(c.var.ctx, c.var.actor);
      const ctx = { ...c.var.ctx, timeZone };
      const data = parseImportFile(source, bytes, {
        today: today(ctx),
        timeZone,
        name: name ?? `${source} import`,
      });
      return c.json(await imports.importPlans(ctx, c.var.actor, source, data), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/export",
      operationId: "exportPlans",
      tags,
      summary:
        "Your plans as CSV (steps with their goal), Markdown, an iCalendar file, or JSON (your plans only: no account's password or token hashes, no hook secrets)",
      request: { query: ExportQuery },
      responses: {
        200: {
          description: "The file",
          content: {
            "text/csv": { schema: z.string() },
            "text/markdown": { schema: z.string() },
            "text/calendar": { schema: z.string() },
            "application/json": {
              schema: z
                .object({ exportedAt: z.string(), today: z.string(), plans: z.array(z.unknown()) })
                .openapi({
                  description: "Each plan: goal, ownerName, keyResults, steps, resources, barriers, checkins",
                }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { format } = c.req.valid("query");
      const plans = await exportPlans(c.var.ctx, c.var.actor);
      // Issue 19: the .ics export is the same calendar as the person's feed.
      const text =
        format === "ics"
          ? formatPlans(
              format,
              plans,
              calendarOptions(
                c.var.accountMail.publicUrl,
                await calendarOf(c.var.ctx, c.var.actor.userId, plans),
              ),
            )
          : formatPlans(format, plans);
      await auditExport(c.var.ctx, c.var.actor, format, c.var.meta);
      return c.body(text, 200, {
        "content-type": MEDIA_TYPES[format],
        "content-disposition": `attachment; filename="throughline.${EXTENSIONS[format]}"`,
      });
    },
  );
  return r;
}
