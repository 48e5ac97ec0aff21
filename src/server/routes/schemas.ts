/**
 * Response shapes and shared parameters for the OpenAPI document. Request bodies come from the
 * app layer's schemas, so one schema validates and documents each request.
 */
import { z } from "@hono/zod-openapi";
import {
  BARRIER_STATUSES,
  CHANGE_ENTITIES,
  COMMITMENT_STATUSES,
  CONFIDENCES,
  DELEGATION_STATES,
  DIRECTIONS,
  GOAL_STATUSES,
  LIKELIHOODS,
  PRIORITIES,
  RESOURCE_KINDS,
  STEP_STATUSES,
  VISIBILITIES,
} from "../../core/types.js";

/** A numeric id in the path. */
export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: "id", in: "path", required: true }, example: 1 }),
});

/** Two numeric ids in the path (a goal and a child). */
export const GoalChildParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: "id", in: "path", required: true }, example: 1 }),
  childId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: "childId", in: "path", required: true }, example: 1 }),
});

const nullableString = z.string().nullable();

/** The error body every failure answers with. */
export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
  })
  .openapi("Error");

/** A finding of the coach, returned as a warning on writes. */
export const FindingSchema = z
  .object({ code: z.string(), message: z.string(), suggestion: z.string() })
  .openapi("Finding");

export const GoalSchema = z
  .object({
    id: z.number().int(),
    workspaceId: z.number().int(),
    title: z.string(),
    why: nullableString,
    values: z.array(z.string()),
    ownerId: z.number().int(),
    teamId: z.number().int().nullable(),
    parentId: z.number().int().nullable(),
    visibility: z.enum(VISIBILITIES),
    status: z.enum(GOAL_STATUSES),
    priority: z.enum(PRIORITIES),
    startDate: z.string(),
    dueDate: nullableString,
    cadenceDays: z.number().int(),
    successLooksLike: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
    archivedAt: nullableString.optional().openapi({
      description:
        "When the finished goal was archived (it leaves the goals list and still counts in every report); null if not",
    }),
  })
  .openapi("Goal");

export const KeyResultSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    title: z.string(),
    unit: nullableString,
    startValue: z.number(),
    targetValue: z.number(),
    currentValue: z.number(),
    direction: z.enum(DIRECTIONS),
    dueDate: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
    retiredAt: nullableString.optional().openapi({
      description: "When it was retired (it no longer counts towards progress); null while it counts",
    }),
  })
  .openapi("KeyResult");

export const StepSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    text: z.string(),
    ownerId: z.number().int().nullable(),
    dueDate: nullableString,
    status: z.enum(STEP_STATUSES),
    position: z.number().int(),
    estimateMinutes: z.number().int().nullable(),
    doneAt: nullableString,
    delegatedBy: z.number().int().nullable(),
    doneLooksLike: nullableString,
    delegationState: z.enum(DELEGATION_STATES).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    recurrence: nullableString.openapi({
      description:
        "How the step repeats: an RFC 5545 RRULE whose first occurrence is dueDate; null for a one-off step",
    }),
    // A step's time of day
    dueTime: nullableString.optional().openapi({
      description:
        "The time of day on the due day, 24-hour HH:MM on the owner's wall clock (nudges come then); null when none",
    }),
    // The key result a step moves
    keyResultId: z.number().int().nullable().optional().openapi({
      description: "The key result of the same goal this step moves; null when it belongs to the goal only",
    }),
  })
  .openapi("Step");

export const ResourceSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    stepId: z.number().int().nullable(),
    kind: z.enum(RESOURCE_KINDS),
    name: z.string(),
    ask: nullableString,
    createdAt: z.string(),
  })
  .openapi("Resource");

export const BarrierSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    obstacle: z.string(),
    likelihood: z.enum(LIKELIHOODS),
    planB: z.string(),
    status: z.enum(BARRIER_STATUSES),
    hitAt: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Barrier");

export const CheckinSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    authorId: z.number().int(),
    date: z.string(),
    confidence: z.enum(CONFIDENCES).nullable(),
    doneText: nullableString,
    nextStep: nullableString,
    note: nullableString,
    krValues: z.array(z.object({ keyResultId: z.number().int(), value: z.number() })),
    stepsDone: z.array(z.number().int()),
    barriersHit: z.array(z.number().int()),
    createdAt: z.string(),
  })
  .openapi("Checkin");

export const PlanBSchema = z
  .object({
    barrierId: z.number().int(),
    obstacle: z.string(),
    planB: z.string(),
    askPeople: z.array(z.object({ name: z.string(), ask: nullableString })),
  })
  .openapi("PlanB");

export const CommitmentSchema = z
  .object({
    id: z.number().int(),
    workspaceId: z.number().int(),
    userId: z.number().int(),
    stepId: z.number().int().nullable(),
    goalId: z.number().int().nullable(),
    text: z.string(),
    dueDate: z.string(),
    witnessTeamId: z.number().int().nullable(),
    witnessUserIds: z.array(z.number().int()),
    status: z.enum(COMMITMENT_STATUSES),
    resolvedAt: nullableString,
    createdAt: z.string(),
  })
  .openapi("Commitment");

export const ChangeSchema = z
  .object({
    id: z.number().int(),
    goalId: z.number().int(),
    entity: z.enum(CHANGE_ENTITIES),
    entityId: z.number().int(),
    field: z.string(),
    oldValue: nullableString,
    newValue: nullableString,
    reason: nullableString,
    userId: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Change");

export const PlaybookSchema = z
  .object({
    id: z.number().int(),
    workspaceId: z.number().int(),
    teamId: z.number().int().nullable(),
    title: z.string(),
    version: z.number().int(),
    body: z.string(),
    createdBy: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Playbook");

/** A goal with everything its plan holds. */
export const PlanSchema = z
  .object({
    goal: GoalSchema,
    keyResults: z.array(KeyResultSchema),
    steps: z.array(StepSchema),
    resources: z.array(ResourceSchema),
    barriers: z.array(BarrierSchema),
    checkins: z.array(CheckinSchema),
  })
  .openapi("Plan");

/** A page of items and the cursor for the next page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** The standard error responses of a route. */
export const errorResponses = {
  400: {
    description: "The request is malformed: the message names the field.",
    content: { "application/json": { schema: ErrorSchema } },
  },
  404: {
    description: "Not found, or not yours to see.",
    content: { "application/json": { schema: ErrorSchema } },
  },
  422: {
    description: "Well-formed but breaks a rule (for example reason_required).",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;

/** A JSON request body for the OpenAPI route definition. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } } as const;
}

/** A JSON response for the OpenAPI route definition. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** A goal as written, with the coach's findings (never blocking the write). */
export const GoalWithWarningsSchema = GoalSchema.extend({ warnings: z.array(FindingSchema) }).openapi(
  "GoalWithWarnings",
);

/** A step as written, with the coach's findings (never blocking the write). */
export const StepWithWarningsSchema = StepSchema.extend({ warnings: z.array(FindingSchema) }).openapi(
  "StepWithWarnings",
);
