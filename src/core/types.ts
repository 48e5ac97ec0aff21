/**
 * The plan model: the shapes every layer shares. Plain data, no behaviour.
 * Dates without a time ("YYYY-MM-DD") are calendar days; timestamps are ISO-8601 UTC strings.
 */

/** A calendar day written as YYYY-MM-DD. */
export type IsoDate = string;
/** An instant written as an ISO-8601 UTC timestamp. */
export type IsoTimestamp = string;

export const ROLES = ["owner", "leader", "member"] as const;
/** A person's role in a team. */
export type Role = (typeof ROLES)[number];

export const VISIBILITIES = ["private", "team", "workspace"] as const;
/** Who may see a goal. */
export type Visibility = (typeof VISIBILITIES)[number];

export const GOAL_STATUSES = ["draft", "active", "done", "dropped"] as const;
/** Where a goal is in its life. */
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
/** How much a goal matters relative to others. */
export type Priority = (typeof PRIORITIES)[number];

export const STEP_STATUSES = ["todo", "doing", "done", "dropped"] as const;
/** Where a step is in its life. */
export type StepStatus = (typeof STEP_STATUSES)[number];

export const DELEGATION_STATES = ["proposed", "accepted", "clarification-asked"] as const;
/** Where a delegated step stands between delegator and assignee. */
export type DelegationState = (typeof DELEGATION_STATES)[number];

export const DIRECTIONS = ["increase", "decrease"] as const;
/** Whether a key result moves up or down towards its target. */
export type Direction = (typeof DIRECTIONS)[number];

export const RESOURCE_KINDS = ["person", "tool", "system", "playbook", "other"] as const;
/** What kind of help a resource is. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const LIKELIHOODS = ["low", "medium", "high"] as const;
/** How likely an anticipated obstacle is. */
export type Likelihood = (typeof LIKELIHOODS)[number];

export const BARRIER_STATUSES = ["anticipated", "hit", "resolved"] as const;
/** Whether an obstacle is still only anticipated, was hit, or is behind us. */
export type BarrierStatus = (typeof BARRIER_STATUSES)[number];

export const CONFIDENCES = ["on-track", "at-risk", "off-track"] as const;
/** How the author of a check-in feels about the goal. */
export type Confidence = (typeof CONFIDENCES)[number];

export const COMMITMENT_STATUSES = ["open", "kept", "missed"] as const;
/** Whether a commitment is pending, was kept by its due date, or was missed. */
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

/** A person in a workspace; may or may not have an account. */
export interface User {
  id: number;
  workspaceId: number;
  name: string;
  email: string | null;
  createdAt: IsoTimestamp;
}

/** A goal with its why. */
export interface Goal {
  id: number;
  workspaceId: number;
  title: string;
  why: string | null;
  values: string[];
  ownerId: number;
  teamId: number | null;
  parentId: number | null;
  visibility: Visibility;
  status: GoalStatus;
  priority: Priority;
  startDate: IsoDate;
  dueDate: IsoDate | null;
  cadenceDays: number;
  successLooksLike: string | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  /** When the finished goal was archived: out of the goals list, still counted in every report. */
  archivedAt?: IsoTimestamp | null;
}

/** A measurable key result of a goal: from start to target. */
export interface KeyResult {
  id: number;
  goalId: number;
  title: string;
  unit: string | null;
  startValue: number;
  targetValue: number;
  currentValue: number;
  direction: Direction;
  dueDate: IsoDate | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  /** When it was retired: from that day it no longer counts towards progress. Null (or absent) while it counts. */
  retiredAt?: IsoTimestamp | null;
}

/** A micro-step: one concrete action with an owner and a date. */
export interface Step {
  id: number;
  goalId: number;
  text: string;
  ownerId: number | null;
  dueDate: IsoDate | null;
  status: StepStatus;
  position: number;
  estimateMinutes: number | null;
  doneAt: IsoTimestamp | null;
  delegatedBy: number | null;
  doneLooksLike: string | null;
  delegationState: DelegationState | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  /** How the step repeats: an RFC 5545 RRULE whose first occurrence is `dueDate`; null when it doesn't. */
  recurrence: string | null;
  /** The time of day on its due day, "HH:MM" on the owner's wall clock; null when the day is enough. */
  dueTime?: string | null;
  /** The key result of the same goal this step moves; null when it belongs to the goal only (issue 18). */
  keyResultId?: number | null;
}

/** How a promise was closed without being done: its step moved to another day, or dropped. */
export type ClosedHow = "moved" | "dropped";

/**
 * One promise a step made: to be done by `dueDate`. A step's current due date is its open
 * promise; moving or dropping the step closes it, so what was promised stays on the record.
 */
export interface StepOccurrence {
  stepId: number;
  dueDate: IsoDate;
  doneAt: IsoTimestamp | null;
  closedAt: IsoTimestamp | null;
  closedHow: ClosedHow | null;
  createdAt: IsoTimestamp;
}

/** Who or what can move a goal forward, and what to ask of them. */
export interface Resource {
  id: number;
  goalId: number;
  stepId: number | null;
  kind: ResourceKind;
  name: string;
  ask: string | null;
  createdAt: IsoTimestamp;
}

/** An anticipated obstacle with its Plan B written as an if-then. */
export interface Barrier {
  id: number;
  goalId: number;
  obstacle: string;
  likelihood: Likelihood;
  planB: string;
  status: BarrierStatus;
  hitAt: IsoTimestamp | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
}

/** A key-result value reported in a check-in. */
export interface CheckinKrValue {
  keyResultId: number;
  value: number;
}

/** A periodic check-in on a goal. */
export interface Checkin {
  id: number;
  goalId: number;
  authorId: number;
  date: IsoDate;
  confidence: Confidence | null;
  doneText: string | null;
  nextStep: string | null;
  note: string | null;
  krValues: CheckinKrValue[];
  stepsDone: number[];
  barriersHit: number[];
  createdAt: IsoTimestamp;
}

/** A promise made in front of witnesses: a step or a goal by a date. */
export interface Commitment {
  id: number;
  workspaceId: number;
  userId: number;
  stepId: number | null;
  goalId: number | null;
  text: string;
  dueDate: IsoDate;
  witnessTeamId: number | null;
  witnessUserIds: number[];
  status: CommitmentStatus;
  resolvedAt: IsoTimestamp | null;
  createdAt: IsoTimestamp;
}

export const CHANGE_ENTITIES = ["goal", "key_result", "step", "resource", "barrier"] as const;
/** What a change record is about: the goal itself or a part of its plan. */
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

/** A recorded change to a goal or a part of its plan, with the reason given. */
export interface ChangeRecord {
  id: number;
  goalId: number;
  entity: ChangeEntity;
  entityId: number;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
  userId: number;
  createdAt: IsoTimestamp;
}
