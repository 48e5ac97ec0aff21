/**
 * What the CLI's commands can do, whether on the local database or against a server. Commands call
 * a Backend only; `local.ts` implements it with the app's use cases and `remote.ts` with the HTTP
 * API, so a command prints the same thing (and the same --json) in both modes.
 */
import type { CheckinCreateInput, CheckinResult } from "../../app/checkins/checkins.js";
import type { DelegateInput, Delegation } from "../../app/collaboration/collaboration.js";
import type { CommitmentCreateInput } from "../../app/collaboration/commitments.js";
import type { EmailedReminders, Reminders } from "../../app/delivery/reminders.js";
import type { GoalStatusView } from "../../app/evaluation/evaluate.js";
import type { StatusQuery } from "../../app/evaluation/status.js";
import type { WithWarnings } from "../../app/plans/coach.js";
import type {
  GoalCreateInput,
  GoalListQuery,
  GoalUpdateInput,
  KeyResultCreateInput,
  KeyResultUpdateInput,
  Plan,
} from "../../app/plans/goals.js";
import type {
  BarrierCreateInput,
  BarrierUpdateInput,
  Removed,
  ResourceCreateInput,
  ResourceUpdateInput,
} from "../../app/plans/resources.js";
import type { StepCreateInput, StepListQuery, StepUpdateInput, Week } from "../../app/plans/steps.js";
import type {
  PlanFromPlaybookInput,
  PlaybookCreateInput,
  PlaybookFromPlanInput,
  PlaybookUpdateInput,
  RenderedPlaybook,
  RenderedPlaybookVersion,
} from "../../app/playbooks/playbooks.js";
import type { FollowThroughReportView, ReportQuery } from "../../app/reports/report.js";
import type { ReviewQuery, ReviewStepsInput, WeeklyReview } from "../../app/reports/review.js";
import type { Page } from "../../app/validation.js";
import type { Barrier, ChangeRecord, Commitment, Goal, KeyResult, Resource, Step } from "../../core/types.js";

/** A person a step can be given to. */
export interface PersonRef {
  id: number;
  name: string;
}

/** A playbook as listed: its current version and when it last changed. */
export interface PlaybookSummary {
  id: number;
  teamId: number | null;
  title: string;
  version: number;
  updatedAt: string;
}

/** Where commands run and how to reach it, for messages. */
export type BackendMode = { kind: "local"; location: string } | { kind: "remote"; url: string };

/** Every operation the commands need; each answers what the matching API route answers. */
export interface Backend {
  readonly mode: BackendMode;
  /** The person's time zone: their setting on a server, the local zone on the local database. */
  timeZone(): Promise<string>;
  createGoal(input: GoalCreateInput): Promise<WithWarnings<Goal>>;
  listGoals(query: GoalListQuery): Promise<Page<Goal>>;
  plan(goalId: number): Promise<Plan>;
  updateGoal(goalId: number, patch: GoalUpdateInput): Promise<WithWarnings<Goal>>;
  dropGoal(goalId: number, reason: string | undefined): Promise<WithWarnings<Goal>>;
  history(goalId: number): Promise<ChangeRecord[]>;
  addKeyResult(goalId: number, input: KeyResultCreateInput): Promise<KeyResult>;
  updateKeyResult(krId: number, patch: KeyResultUpdateInput): Promise<KeyResult>;
  /** The person a name, an email, an id or "me" refers to (locally, an unknown name is added). */
  resolvePerson(who: string): Promise<PersonRef>;
  addStep(goalId: number, input: StepCreateInput): Promise<WithWarnings<Step>>;
  updateStep(stepId: number, patch: StepUpdateInput): Promise<WithWarnings<Step>>;
  completeStep(stepId: number, input: { date?: string | undefined }): Promise<Step>;
  listSteps(query: StepListQuery): Promise<Page<Step>>;
  addResource(goalId: number, input: ResourceCreateInput): Promise<Resource>;
  updateResource(resourceId: number, patch: ResourceUpdateInput): Promise<Resource>;
  removeResource(resourceId: number, reason: string | undefined): Promise<Removed<Resource>>;
  addBarrier(goalId: number, input: BarrierCreateInput): Promise<Barrier>;
  updateBarrier(barrierId: number, patch: BarrierUpdateInput): Promise<Barrier>;
  removeBarrier(barrierId: number, reason: string | undefined): Promise<Removed<Barrier>>;
  delegateStep(stepId: number, input: DelegateInput): Promise<Delegation>;
  listDelegations(): Promise<Delegation[]>;
  acceptDelegation(delegationId: number): Promise<Delegation>;
  askClarification(delegationId: number, question: string): Promise<Delegation>;
  answerClarification(delegationId: number, answer: string): Promise<Delegation>;
  createCommitment(input: CommitmentCreateInput): Promise<Commitment>;
  listCommitments(query: { user?: number; status?: Commitment["status"] }): Promise<Page<Commitment>>;
  resolveCommitment(commitmentId: number, status: "kept" | "missed" | "open"): Promise<Commitment>;
  checkin(goalId: number, input: CheckinCreateInput): Promise<CheckinResult>;
  /** My week: the week holding `asOf` (default: the person's today). */
  week(asOf?: string): Promise<Week>;
  status(goalId: number, query: StatusQuery): Promise<GoalStatusView>;
  report(query: ReportQuery): Promise<FollowThroughReportView>;
  review(query: ReviewQuery): Promise<WeeklyReview>;
  addReviewSteps(input: ReviewStepsInput): Promise<Step[]>;
  /** My reminders of a day (default: the person's today): due, overdue, check-ins, stalled. */
  reminders(asOf?: string): Promise<Reminders>;
  /**
   * Emails my reminders, each item at most once a day: locally through SMTP_URL to `to` or my
   * address; on a server through the server's own SMTP settings, to my account's address only.
   */
  emailReminders(input: { asOf?: string | undefined; to?: string | undefined }): Promise<EmailedReminders>;
  listPlaybooks(): Promise<PlaybookSummary[]>;
  playbook(playbookId: number): Promise<RenderedPlaybook>;
  createPlaybook(input: PlaybookCreateInput): Promise<RenderedPlaybook>;
  /** Saves a new version of a playbook (the whole body, and a note kept in its history). */
  updatePlaybook(playbookId: number, input: PlaybookUpdateInput): Promise<RenderedPlaybook>;
  playbookHistory(playbookId: number): Promise<RenderedPlaybookVersion[]>;
  /** Saves a goal's plan as a new playbook. */
  savePlanAsPlaybook(goalId: number, input: PlaybookFromPlanInput): Promise<RenderedPlaybook>;
  /** Starts a new goal from a playbook used as a template. */
  startPlanFromPlaybook(playbookId: number, input: PlanFromPlaybookInput): Promise<WithWarnings<Plan>>;
  /** Releases what the backend holds (the database connection). */
  close(): Promise<void>;
}
