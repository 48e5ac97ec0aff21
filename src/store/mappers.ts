/**
 * Row ↔ domain conversions. Rows hold text for enums and JSON; the domain holds typed values.
 */
import type { Selectable } from "kysely";
import type {
  Barrier,
  BarrierStatus,
  ChangeRecord,
  ClosedHow,
  Confidence,
  DelegationState,
  Direction,
  Goal,
  GoalStatus,
  KeyResult,
  Likelihood,
  Priority,
  Resource,
  ResourceKind,
  Step,
  StepOccurrence,
  StepStatus,
  User,
  Visibility,
} from "../core/types.js";
import type {
  BarriersTable,
  ChangeRecordsTable,
  GoalsTable,
  KeyResultsTable,
  ResourcesTable,
  StepOccurrencesTable,
  StepsTable,
  UsersTable,
} from "./schema.js";

/** Reads a JSON list column, tolerating a damaged value as empty. */
export function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** A goal row as a Goal. */
export function toGoal(r: Selectable<GoalsTable>): Goal {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    title: r.title,
    why: r.why,
    values: parseList(r.valuesJson),
    ownerId: r.ownerId,
    teamId: r.teamId,
    parentId: r.parentId,
    visibility: r.visibility as Visibility,
    status: r.status as GoalStatus,
    priority: r.priority as Priority,
    startDate: r.startDate,
    dueDate: r.dueDate,
    cadenceDays: r.cadenceDays,
    successLooksLike: r.successLooksLike,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt ?? null,
  };
}

/** A key-result row as a KeyResult. */
export function toKeyResult(r: Selectable<KeyResultsTable>): KeyResult {
  return {
    id: r.id,
    goalId: r.goalId,
    title: r.title,
    unit: r.unit,
    startValue: Number(r.startValue),
    targetValue: Number(r.targetValue),
    currentValue: Number(r.currentValue),
    direction: r.direction as Direction,
    dueDate: r.dueDate,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    retiredAt: r.retiredAt ?? null,
  };
}

/** A step row as a Step. */
export function toStep(r: Selectable<StepsTable>): Step {
  return {
    id: r.id,
    goalId: r.goalId,
    text: r.text,
    ownerId: r.ownerId,
    dueDate: r.dueDate,
    status: r.status as StepStatus,
    position: r.position,
    estimateMinutes: r.estimateMinutes,
    doneAt: r.doneAt,
    delegatedBy: r.delegatedBy,
    doneLooksLike: r.doneLooksLike,
    delegationState: r.delegationState as DelegationState | null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    recurrence: r.recurrence ?? null,
    dueTime: r.dueTime ?? null,
    keyResultId: r.keyResultId ?? null,
  };
}

/** A step occurrence row as a StepOccurrence. */
export function toOccurrence(r: Selectable<StepOccurrencesTable>): StepOccurrence {
  return {
    stepId: r.stepId,
    dueDate: r.dueDate,
    doneAt: r.doneAt,
    closedAt: r.closedAt,
    closedHow: r.closedHow as ClosedHow | null,
    createdAt: r.createdAt,
  };
}

/** A resource row as a Resource. */
export function toResource(r: Selectable<ResourcesTable>): Resource {
  return {
    id: r.id,
    goalId: r.goalId,
    stepId: r.stepId,
    kind: r.kind as ResourceKind,
    name: r.name,
    ask: r.ask,
    createdAt: r.createdAt,
  };
}

/** A barrier row as a Barrier. */
export function toBarrier(r: Selectable<BarriersTable>): Barrier {
  return {
    id: r.id,
    goalId: r.goalId,
    obstacle: r.obstacle,
    likelihood: r.likelihood as Likelihood,
    planB: r.planB,
    status: r.status as BarrierStatus,
    hitAt: r.hitAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** A change-record row as a ChangeRecord. */
export function toChange(r: Selectable<ChangeRecordsTable>): ChangeRecord {
  return {
    id: r.id,
    goalId: r.goalId,
    entity: r.entity as ChangeRecord["entity"],
    entityId: r.entityId,
    field: r.field,
    oldValue: r.oldValue,
    newValue: r.newValue,
    reason: r.reason,
    userId: r.userId,
    createdAt: r.createdAt,
  };
}

/** A user row as a User. */
export function toUser(r: Selectable<UsersTable>): User {
  return { id: r.id, workspaceId: r.workspaceId, name: r.name, email: r.email, createdAt: r.createdAt };
}

/** Narrows a confidence column. */
export function toConfidence(v: string | null): Confidence | null {
  return v as Confidence | null;
}
