/**
 * The database schema as Kysely sees it. Column names are camelCase here and snake_case in the
 * database (CamelCasePlugin maps them). Timestamps are ISO-8601 UTC text, dates are YYYY-MM-DD
 * text, booleans are integers, lists are JSON text: the same on SQLite and PostgreSQL.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface WorkspacesTable {
  id: Generated<number>;
  name: string;
  createdAt: string;
}

export interface UsersTable {
  id: Generated<number>;
  workspaceId: number;
  name: string;
  email: string | null;
  isLocal: Generated<number>;
  createdAt: string;
  /** scrypt hash of the password; null for people without an account. */
  passwordHash: string | null;
  /** "owner" for the workspace's first account, else "member". */
  workspaceRole: Generated<string>;
  /** The person's values, as a JSON list. */
  valuesJson: Generated<string>;
}

export interface TeamsTable {
  id: Generated<number>;
  workspaceId: number;
  name: string;
  createdAt: string;
}

export interface MembershipsTable {
  id: Generated<number>;
  teamId: number;
  userId: number;
  role: string;
  createdAt: string;
}

export interface GoalsTable {
  id: Generated<number>;
  workspaceId: number;
  title: string;
  why: string | null;
  valuesJson: string;
  ownerId: number;
  teamId: number | null;
  parentId: number | null;
  visibility: string;
  status: string;
  priority: string;
  startDate: string;
  dueDate: string | null;
  cadenceDays: number;
  successLooksLike: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
  /** The micro-goal mode state after the last evaluation for "today": "normal" or "micro-goal". */
  mode: Generated<string>;
  /** The day micro-goal mode was entered (or last left, in normal mode); null if never. */
  modeSince: string | null;
  /** When the finished goal was archived (out of the goals list, still on the record); null if not. */
  archivedAt: string | null;
  microStepsDone: Generated<number>;
  /** Counts writes to the goal's key results, steps, check-ins, barriers and change records (kept by triggers). */
  revision: Generated<number>;
  /** Taken from one increasing source on every write of the goal (triggers); stamps sets of goals. */
  changeSeq: Generated<number | string>;
}

/** One goal's evaluation on a day, kept while the goal is unchanged (see app/evaluation/rollups.ts). */
export interface GoalRollupsTable {
  goalId: number;
  asOf: string;
  /** A hash of the goal's row, revision and owner name when computed; another stamp means stale. */
  stamp: string;
  /** The evaluation without its wins. */
  dataJson: string;
  /** Wins of the last 28 days up to `asOf`, and the older ones of the 52 weeks before. */
  recentWinsJson: string;
  olderWinsJson: string;
  /** The goal's status view on `asOf` (migration 0009; null in older rows). */
  statusJson: string | null;
  computedAt: string;
}

// The report's per-goal aggregates (migration 0025)
/** What one goal adds to the follow-through report, and for which day, version, revision and owner name. */
export interface ReportGoalRowsTable {
  goalId: number;
  asOf: string;
  version: string;
  revision: number;
  ownerName: string | null;
  /** The goal's stall on `asOf` (title, owner, reasons, mode, leader prompt), null when not stalled. */
  stalledJson: string | null;
  computedAt: string;
}

/** One promise of a goal's step due in the 12 weeks up to `asOf`, as it counts then (or a move away from it). */
export interface ReportGoalItemsTable {
  goalId: number;
  stepId: number;
  userId: number;
  dueDate: string;
  /** kept, missed or pending; moved for a move away from `dueDate`. */
  outcome: string;
}

/** One win of a goal in the 12 weeks up to `asOf`, in the goal's feed order (`seq`). */
export interface ReportGoalWinsTable {
  goalId: number;
  seq: number;
  date: string;
  winJson: string;
}
// --- end issue 17, report17 ---

/**
 * One row per workspace whose `seq` takes a new value whenever a person joins or leaves it or is
 * renamed (triggers on users, migration 0030): what the report's entity tag hashes for the names.
 */
export interface WorkspaceNameStampsTable {
  workspaceId: number;
  /** bigint: a string on PostgreSQL. */
  seq: number | string;
}

/**
 * The report's stored open part per workspace and window (migration 0033, totals25): used only
 * while its key (day, version, open stamp, names stamp) equals the stamps of the reading snapshot.
 */
export interface ReportOpenPartsTable {
  workspaceId: number;
  fromDay: string;
  asOf: string;
  version: string;
  openStamp: string;
  namesStamp: string;
  bodyJson: string;
  computedAt: string;
}

/** Each change of a goal's mode state, dated by the day it was evaluated for. */
export interface GoalModeChangesTable {
  id: Generated<number>;
  goalId: number;
  day: string;
  mode: string;
  since: string | null;
  microStepsDone: number;
  createdAt: string;
}

export interface KeyResultsTable {
  id: Generated<number>;
  goalId: number;
  title: string;
  unit: string | null;
  startValue: number;
  targetValue: number;
  currentValue: number;
  direction: string;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was retired (it no longer counts towards progress); null while it counts. */
  retiredAt: string | null;
}

export interface StepsTable {
  id: Generated<number>;
  goalId: number;
  text: string;
  ownerId: number | null;
  dueDate: string | null;
  status: string;
  position: number;
  estimateMinutes: number | null;
  doneAt: string | null;
  delegatedBy: number | null;
  doneLooksLike: string | null;
  delegationState: string | null;
  createdAt: string;
  updatedAt: string;
  /** Notes or annotations brought by an import; null when none. */
  notes?: string | null;
  /** Tags (labels) brought by an import, as a JSON list. */
  tagsJson?: Generated<string>;
  /** An RFC 5545 RRULE (no DTSTART: the due date is the first occurrence); null for a one-off step. */
  recurrence?: string | null;
  /** The time of day on its due day, "HH:MM" on the owner's wall clock (migration 0022); null when none. */
  dueTime?: string | null;
  /** The key result of the same goal this step moves (migration 0026); null when it belongs to the goal only. */
  keyResultId?: number | null;
}

/** One promise of a step (migration 0012): due on a day, done, or closed by a move or a drop. */
export interface StepOccurrencesTable {
  id: Generated<number>;
  stepId: number;
  dueDate: string;
  doneAt: string | null;
  closedAt: string | null;
  closedHow: string | null;
  createdAt: string;
}

export interface ResourcesTable {
  id: Generated<number>;
  goalId: number;
  stepId: number | null;
  kind: string;
  name: string;
  ask: string | null;
  userId: number | null;
  createdAt: string;
  /** When it was removed from the plan (the row stays, for the history); null while it is in it. */
  removedAt: string | null;
}

export interface BarriersTable {
  id: Generated<number>;
  goalId: number;
  obstacle: string;
  likelihood: string;
  planB: string;
  status: string;
  hitAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was removed from the plan (the row stays: check-ins point at it); null while it is in it. */
  removedAt: string | null;
}

export interface CheckinsTable {
  id: Generated<number>;
  goalId: number;
  authorId: number;
  date: string;
  confidence: string | null;
  doneText: string | null;
  nextStep: string | null;
  note: string | null;
  createdAt: string;
}

export interface CheckinKrValuesTable {
  checkinId: number;
  keyResultId: number;
  value: number;
}

export interface CheckinStepsTable {
  checkinId: number;
  stepId: number;
}

export interface CheckinBarriersTable {
  checkinId: number;
  barrierId: number;
}

export interface CommitmentsTable {
  id: Generated<number>;
  workspaceId: number;
  userId: number;
  stepId: number | null;
  goalId: number | null;
  text: string;
  dueDate: string;
  witnessTeamId: number | null;
  status: string;
  resolvedAt: string | null;
  createdAt: string;
}

export interface CommitmentWitnessesTable {
  commitmentId: number;
  userId: number;
}

export interface ChangeRecordsTable {
  id: Generated<number>;
  goalId: number;
  entity: string;
  entityId: number;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
  userId: number;
  createdAt: string;
}

export interface GoalFollowersTable {
  goalId: number;
  userId: number;
  createdAt: string;
}

export interface GoalSharesTable {
  goalId: number;
  userId: number;
  role: string;
  createdAt: string;
}

export interface PlaybooksTable {
  id: Generated<number>;
  workspaceId: number;
  teamId: number | null;
  title: string;
  currentVersion: number;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlaybookVersionsTable {
  id: Generated<number>;
  playbookId: number;
  version: number;
  body: string;
  authorId: number;
  note: string | null;
  createdAt: string;
}

export interface PlaybookLinksTable {
  playbookId: number;
  goalId: number;
  stepId: number | null;
}

export interface CommentsTable {
  id: Generated<number>;
  checkinId: number;
  authorId: number;
  body: string;
  createdAt: string;
}

export interface KudosTable {
  checkinId: number;
  userId: number;
  createdAt: string;
}

export interface EventsTable {
  id: Generated<number>;
  workspaceId: number;
  type: string;
  actorId: number | null;
  subjectType: string;
  subjectId: number;
  payloadJson: string;
  createdAt: string;
}

/** Which imported item (source + external id) became which goal or step, per workspace. */
export interface ImportKeysTable {
  workspaceId: number;
  source: string;
  externalId: string;
  entity: string;
  entityId: number;
  createdAt: string;
}

export interface SessionsTable {
  id: Generated<number>;
  userId: number;
  tokenHash: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  userId: number;
  name: string;
  prefix: string;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface InvitationsTable {
  id: Generated<number>;
  workspaceId: number;
  teamId: number | null;
  role: string;
  email: string | null;
  tokenHash: string;
  createdBy: number;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: number | null;
}

export interface RateLimitsTable {
  key: string;
  windowStart: number;
  count: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspaceId: number | null;
  actorId: number | null;
  action: string;
  detailJson: string;
  ip: string | null;
  createdAt: string;
}

/** A password reset link (issue 16, defect 8): single-use, expiring, only its token's hash kept. */
export interface PasswordResetsTable {
  id: Generated<number>;
  userId: number;
  tokenHash: string;
  /** The workspace owner who made the link; null when the person asked for it by email. */
  createdBy: number | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface DelegationsTable {
  id: Generated<number>;
  workspaceId: number;
  goalId: number;
  stepId: number | null;
  delegatedBy: number;
  assigneeId: number;
  what: string;
  why: string | null;
  dueDate: string | null;
  doneLooksLike: string;
  cadenceDays: number;
  state: string;
  question: string | null;
  answer: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  workspaceId: number;
  userId: number;
  type: string;
  subjectType: string;
  subjectId: number;
  message: string;
  payloadJson: string;
  createdAt: string;
  readAt: string | null;
}

/** An outgoing hook: an integrator's webhook, or a team's Slack or Teams channel. */
export interface WebhooksTable {
  id: Generated<number>;
  workspaceId: number;
  /** "webhook", "slack" or "teams". */
  kind: string;
  /** The team of a Slack or Teams channel; null for webhooks. */
  teamId: number | null;
  url: string;
  /** The HMAC key of a webhook (needed in clear to sign); null for channels. */
  secret: string | null;
  /** The event types sent, as a JSON list. */
  eventsJson: string;
  createdBy: number;
  /** The last event id already considered for this hook. */
  eventCursor: Generated<number>;
  /** The last event when the hook was made: nothing at or below it is sent. */
  eventFloor: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

/**
 * A hook's delivery log: one row per attempt. The delivery itself is a job (kind
 * "webhook-delivery", dedupe key `webhook:<hookId>:<eventId>`), whose state is the delivery's.
 */
export interface WebhookLogTable {
  id: Generated<number>;
  webhookId: number;
  jobId: number;
  eventId: number;
  /** Sent as X-Throughline-Delivery, the same on every attempt of one delivery. */
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  /** Why the attempt failed ("HTTP 500", a network error, a timeout); never the response body. */
  error: string | null;
  attemptedAt: string;
  nextAttemptAt: string | null;
}

/** A person's secret calendar feed: only the token's SHA-256 is kept. */
export interface CalendarFeedsTable {
  id: Generated<number>;
  userId: number;
  tokenHash: string;
  createdAt: string;
}

/** A queued piece of background work; `dedupeKey` makes queuing the same work twice a no-op. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** ISO instant from which the job may run. */
  runAt: string;
  /** queued | running | done | failed */
  state: Generated<string>;
  attempts: Generated<number>;
  lockedBy: string | null;
  lockedUntil: string | null;
  payloadJson: string;
  dedupeKey: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

/** One send of a job's message on one channel to one person; the idempotency key is unique. */
export interface DeliveriesTable {
  id: Generated<number>;
  jobId: number | null;
  notificationId: number | null;
  channel: string;
  userId: number;
  /** The address it went to: a user id for the inbox, an email address for email. */
  recipient: string;
  idempotencyKey: string;
  /** sending | sent | failed */
  state: string;
  messageId: string | null;
  attempts: Generated<number>;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

/** A person's notification settings; a missing row means the defaults. */
export interface UserSettingsTable {
  userId: number;
  timeZone: Generated<string>;
  /** 0 = Sunday … 6 = Saturday. */
  weeklyDay: Generated<number>;
  weeklyHour: Generated<number>;
  quietStart: number | null;
  quietEnd: number | null;
  /** Channels on or off, as JSON: { "email": false }. */
  channelsJson: Generated<string>;
  /** Per nudge kind and channel, as JSON: { "weekly-prompt": { "email": false } }. */
  kindsJson: Generated<string>;
  snoozeUntil: string | null;
  updatedAt: string;
}

// Sent reminders, personal channels, weekly review slots
/** One reminder item `throughline remind --email` sent a person on a local day. */
export interface SentRemindersTable {
  userId: number;
  /** What it reminded of: "step:12", "checkin:4:2026-03-02", "stalled:7". */
  item: string;
  day: string;
  /** Null while the email is being sent. */
  sentAt: string | null;
  createdAt: string;
}

/** A person's own Slack incoming webhook or Teams workflow, for their nudges. */
export interface PersonalChannelsTable {
  userId: number;
  /** slack | teams */
  kind: string;
  /** Sealed at rest (src/store/secret-box.ts, purpose "personal-channels.url"). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** When a person's weekly review email comes: local weekday (0 = Sunday) and hour. */
export interface WeeklyReviewSlotsTable {
  userId: number;
  weekday: number;
  hour: number;
  updatedAt: string;
}

/** The SHA-256 of each unsubscribe link's token, and whose it is. */
export interface UnsubscribeTokensTable {
  tokenHash: string;
  userId: number;
  createdAt: string;
  usedAt: string | null;
}

// Idempotency keys
/** A client's Idempotency-Key on a POST, per person: the request's hash and, once answered, the answer. */
export interface IdempotencyKeysTable {
  userId: number;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  requestHash: string;
  /** The answer's status; null while the first request is still being answered. */
  status: number | null;
  contentType: string | null;
  responseBody: string | null;
  createdAt: string;
  expiresAt: string;
}

/** Every table, keyed by its camelCase name. */
export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  goals: GoalsTable;
  goalModeChanges: GoalModeChangesTable;
  goalRollups: GoalRollupsTable;
  keyResults: KeyResultsTable;
  steps: StepsTable;
  stepOccurrences: StepOccurrencesTable;
  resources: ResourcesTable;
  barriers: BarriersTable;
  checkins: CheckinsTable;
  checkinKrValues: CheckinKrValuesTable;
  checkinSteps: CheckinStepsTable;
  checkinBarriers: CheckinBarriersTable;
  commitments: CommitmentsTable;
  commitmentWitnesses: CommitmentWitnessesTable;
  changeRecords: ChangeRecordsTable;
  goalFollowers: GoalFollowersTable;
  goalShares: GoalSharesTable;
  playbooks: PlaybooksTable;
  playbookVersions: PlaybookVersionsTable;
  playbookLinks: PlaybookLinksTable;
  comments: CommentsTable;
  kudos: KudosTable;
  events: EventsTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  invitations: InvitationsTable;
  rateLimits: RateLimitsTable;
  auditLog: AuditLogTable;
  passwordResets: PasswordResetsTable;
  delegations: DelegationsTable;
  notifications: NotificationsTable;
  importKeys: ImportKeysTable;
  jobs: JobsTable;
  deliveries: DeliveriesTable;
  // Idempotency keys
  idempotencyKeys: IdempotencyKeysTable;
  plannerState: PlannerStateTable;
  // The report's per-goal aggregates (migration 0025)
  reportGoalRows: ReportGoalRowsTable;
  reportGoalItems: ReportGoalItemsTable;
  reportGoalWins: ReportGoalWinsTable;
  // The names' stamp of the report's entity tag (migration 0030, report19)
  workspaceNameStamps: WorkspaceNameStampsTable;
  // The report's stored open part (migration 0033, totals25)
  reportOpenParts: ReportOpenPartsTable;
  userSettings: UserSettingsTable;
  unsubscribeTokens: UnsubscribeTokensTable;
  webhooks: WebhooksTable;
  webhookLog: WebhookLogTable;
  calendarFeeds: CalendarFeedsTable;
  sentReminders: SentRemindersTable;
  personalChannels: PersonalChannelsTable;
  weeklyReviewSlots: WeeklyReviewSlotsTable;
}

/** A goal row as read from the database. */
export type GoalRow = Selectable<GoalsTable>;
/** A goal row as written to the database. */
export type NewGoalRow = Insertable<GoalsTable>;
/** A partial goal row for updates. */
export type GoalRowUpdate = Updateable<GoalsTable>;

// The nudge planner's cursor (migration 0023)
/** The nudge planner's cursors and the slot of its last full pass. */
export interface PlannerStateTable {
  name: string;
  eventId: number;
  noticeId: number;
  slot: string;
  updatedAt: string;
}
