/**
 * Factories for the engine's tests: whole rows with sensible defaults, overridden per test.
 * Not used by production code.
 */
import type { Barrier, Checkin, Commitment, Goal, KeyResult, Resource, Step } from "../types.js";

let nextId = 1000;
const id = () => nextId++;

/**
 * A goal that started on 2024-01-01, is due 2024-04-10 (100 days), with a weekly cadence.
 *
 * @example
 * buildGoal({ dueDate: null });
 */
export function buildGoal(overrides: Partial<Goal> = {}): Goal {
  return {
    id: 1,
    workspaceId: 1,
    title: "Launch the newsletter",
    why: "Readers hear from us every week",
    values: [],
    ownerId: 10,
    teamId: null,
    parentId: null,
    visibility: "team",
    status: "active",
    priority: "medium",
    startDate: "2024-01-01",
    dueDate: "2024-04-10",
    cadenceDays: 7,
    successLooksLike: null,
    createdAt: "2024-01-01T09:00:00Z",
    updatedAt: "2024-01-01T09:00:00Z",
    ...overrides,
  };
}

/**
 * A key result of goal 1 from 0 to 100, still at 0.
 *
 * @example
 * buildKeyResult({ startValue: 10, targetValue: 2, direction: "decrease" });
 */
export function buildKeyResult(overrides: Partial<KeyResult> = {}): KeyResult {
  return {
    id: 7,
    goalId: 1,
    title: "Subscribers",
    unit: null,
    startValue: 0,
    targetValue: 100,
    currentValue: 0,
    direction: "increase",
    dueDate: null,
    createdAt: "2024-01-01T09:00:00Z",
    updatedAt: "2024-01-01T09:00:00Z",
    ...overrides,
  };
}

/**
 * An open step of goal 1 with no owner, date or estimate. `doneOn` marks it done that day at noon,
 * whatever else is overridden.
 *
 * @example
 * buildStep({ dueDate: "2024-01-10", doneOn: "2024-01-09" });
 */
export function buildStep(overrides: Partial<Step> & { doneOn?: string } = {}): Step {
  const { doneOn, ...rest } = overrides;
  const stepId = rest.id ?? id();
  return {
    id: stepId,
    goalId: 1,
    text: `Step ${stepId}`,
    ownerId: null,
    dueDate: null,
    status: "todo",
    position: 0,
    estimateMinutes: null,
    doneAt: null,
    delegatedBy: null,
    doneLooksLike: null,
    delegationState: null,
    createdAt: "2024-01-01T09:00:00Z",
    updatedAt: "2024-01-01T09:00:00Z",
    recurrence: null,
    ...rest,
    ...(doneOn ? { status: "done", doneAt: `${doneOn}T12:00:00Z`, updatedAt: `${doneOn}T12:00:00Z` } : {}),
  };
}

/**
 * A check-in on goal 1 by its owner on a day, reporting nothing unless told.
 *
 * @example
 * buildCheckin("2024-01-08", { krValues: [{ keyResultId: 7, value: 10 }] });
 */
export function buildCheckin(date: string, overrides: Partial<Checkin> = {}): Checkin {
  return {
    id: id(),
    goalId: 1,
    authorId: 10,
    date,
    confidence: null,
    doneText: null,
    nextStep: null,
    note: null,
    krValues: [],
    stepsDone: [],
    barriersHit: [],
    createdAt: `${date}T17:00:00Z`,
    ...overrides,
  };
}

/**
 * An open commitment of user 10 due on a day.
 *
 * @example
 * buildCommitment("2024-01-10", { status: "kept", resolvedAt: "2024-01-09T10:00:00Z" });
 */
export function buildCommitment(dueDate: string, overrides: Partial<Commitment> = {}): Commitment {
  return {
    id: id(),
    workspaceId: 1,
    userId: 10,
    stepId: null,
    goalId: 1,
    text: "Send the first issue",
    dueDate,
    witnessTeamId: null,
    witnessUserIds: [],
    status: "open",
    resolvedAt: null,
    createdAt: "2024-01-01T09:00:00Z",
    ...overrides,
  };
}

/**
 * An anticipated barrier of goal 1.
 *
 * @example
 * buildBarrier({ id: 3, planB: "If ..., then ..." });
 */
export function buildBarrier(overrides: Partial<Barrier> = {}): Barrier {
  return {
    id: id(),
    goalId: 1,
    obstacle: "Approval slips",
    likelihood: "medium",
    planB: "If the approval slips past Friday, then I ask Dana to sign as deputy",
    status: "anticipated",
    hitAt: null,
    createdAt: "2024-01-01T09:00:00Z",
    updatedAt: "2024-01-01T09:00:00Z",
    ...overrides,
  };
}

/**
 * A "person" resource of goal 1.
 *
 * @example
 * buildResource({ name: "Dana", ask: "Sign as deputy" });
 */
export function buildResource(overrides: Partial<Resource> = {}): Resource {
  return {
    id: id(),
    goalId: 1,
    stepId: null,
    kind: "person",
    name: "Dana",
    ask: "Sign as deputy",
    createdAt: "2024-01-01T09:00:00Z",
    ...overrides,
  };
}
