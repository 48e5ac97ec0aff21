/**
 * Every permission decision, in one place: `can(actor, action, subject)`. As in Outline's
 * policies, each permission is one line of RULES below, so a permission changes here and nowhere
 * else; use cases call `can` or `assertCan` and decide nothing themselves (docs/permissions.md).
 *
 * `can` is synchronous and pure. What a rule needs to know about the actor — whether they own the
 * workspace, which teams they are in and with what role — is loaded once per use case into
 * `ActorFacts` (`actorFacts` in context.ts, from `actorFactsOf` in store/repos/people.ts).
 *
 * Reading is also enforced in the queries, so that lists never load what the caller may not see:
 * `visibleGoals` (store/repos/plans.ts) is the SQL form of "goal.read", the viewer filter of
 * `listCommitments` (store/repos/commitments.ts) of "commitment.see", and `delegationsOf`
 * (store/repos/delegations.ts) of "delegation.see". Each says so beside it, and policy.test.ts
 * checks on both databases that the query and the rule agree. The other goal rules take a goal the
 * actor has already read through that filter (`getGoalOrThrow`), so they may assume it is readable.
 *
 * Each rule also names its refusal. Not found and not allowed answer the same 404, except where the
 * caller can already see the thing or nothing is hidden (docs/permissions.md, "Refusals that say
 * not allowed").
 */
import type { Commitment, Goal, Step } from "../core/types.js";
import type { Actor } from "./context.js";
import { AppError, invalid, notFound } from "./errors.js";

/** What the policy knows about who is acting, loaded once per use case by `actorFacts`. */
export interface ActorFacts extends Actor {
  /** They own the workspace (see {@link ownsWorkspace}). */
  workspaceOwner: boolean;
  /** Their role in each team they are in. */
  roles: ReadonlyMap<number, string>;
  /** The teams they are in (what the store's visibility filters take). */
  teamIds: number[];
}

/** Who is reading: the actor and their teams (the store's `Viewer` has this shape). */
export type Reader = Pick<ActorFacts, "userId" | "workspaceId" | "teamIds">;

/**
 * The workspace owner: the first account (`users.workspace_role = owner`), or the command line's
 * local owner (`users.is_local`), who owns a workspace before any account claims it.
 */
export function ownsWorkspace(u: { workspaceRole: string; isLocal: boolean }): boolean {
  return u.workspaceRole === "owner" || u.isLocal;
}

/** The actor's facts from what the store holds about them (nothing is granted to an unknown user). */
export function factsOf(
  actor: Actor,
  u: { workspaceRole: string; isLocal: boolean; memberships: { teamId: number; role: string }[] } | undefined,
): ActorFacts {
  const roles = new Map((u?.memberships ?? []).map((m) => [m.teamId, m.role]));
  return { ...actor, workspaceOwner: u !== undefined && ownsWorkspace(u), roles, teamIds: [...roles.keys()] };
}

/** A goal and the people it is shared with: what "goal.read" decides on. */
export interface SharedGoal {
  goal: Pick<Goal, "id" | "workspaceId" | "ownerId" | "teamId" | "visibility">;
  sharedWith: readonly number[];
}

/** A change to a step: its goal, the step, and the fields changed. */
export interface StepChange {
  goal: Goal;
  step: Pick<Step, "ownerId">;
  fields: readonly string[];
}

/** The two sides of a delegation. */
export interface DelegationSides {
  id: number;
  workspaceId: number;
  delegatedBy: number;
  assigneeId: number;
}

/** A team of some workspace. */
export interface TeamRef {
  id: number;
  workspaceId: number;
}

/** A playbook, or the team a new one is for (`teamId` null: the whole workspace's). */
export interface PlaybookRef {
  id?: number;
  workspaceId: number;
  teamId: number | null;
}

/**
 * A person someone may lead, as a goal of theirs shows them: the teams they are in, and the team
 * the goal is filed under (null when none).
 */
export interface LedPerson {
  workspaceId: number;
  userId: number;
  teamIds: readonly number[];
  goalTeamId: number | null;
}

/** A workspace, for what is done to it as a whole. */
export interface WorkspaceRef {
  workspaceId: number;
}

interface Rule<A, S> {
  allows(actor: A, subject: S): boolean;
  refusal(subject: S): AppError;
}

/** One permission: who is allowed, and what a refused caller gets. */
function allow<A, S>(
  allows: (actor: A, subject: S) => boolean,
  refusal: (subject: S) => AppError,
): Rule<A, S> {
  return { allows, refusal };
}

const inWorkspace = (a: Actor, s: { workspaceId: number }) => s.workspaceId === a.workspaceId;
const ownsGoal = (a: Actor, g: Goal) => inWorkspace(a, g) && g.ownerId === a.userId;
/** The subject was read through the visibility filter: anyone who may read the goal. */
const readsGoal = (a: Actor, g: Goal) => inWorkspace(a, g);
const ownsTheWorkspace = (a: ActorFacts, w: WorkspaceRef) => inWorkspace(a, w) && a.workspaceOwner;
const inTeam = (a: ActorFacts, t: TeamRef) => inWorkspace(a, t) && (a.workspaceOwner || a.roles.has(t.id));
const leadsTeam = (a: ActorFacts, t: TeamRef) => {
  const role = a.roles.get(t.id);
  return inWorkspace(a, t) && (a.workspaceOwner || role === "owner" || role === "leader");
};
/** An owner or leader of the team by their role in it (running the workspace is not leading people). */
const leadsTeamByRole = (a: ActorFacts, teamId: number) => {
  const role = a.roles.get(teamId);
  return role === "owner" || role === "leader";
};
const editsPlaybooks = (a: ActorFacts, p: PlaybookRef) =>
  inWorkspace(a, p) && (p.teamId === null || a.workspaceOwner || a.roles.has(p.teamId));
const isAssignee = (a: Actor, d: DelegationSides) => inWorkspace(a, d) && d.assigneeId === a.userId;
const isDelegator = (a: Actor, d: DelegationSides) => inWorkspace(a, d) && d.delegatedBy === a.userId;

const notAllowed = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(403, "not_allowed", message, details);
const goalNotFound = (g: { id: number }) => notFound("goal", g.id);
const teamNotFound = (t: TeamRef) => notFound("team", t.id);

const RULES = {
  // Goals and everything in them. The SQL form of "goal.read" is visibleGoals (store/repos/plans.ts).
  "goal.read": allow(
    (a: Reader, { goal: g, sharedWith }: SharedGoal) =>
      inWorkspace(a, g) &&
      (g.ownerId === a.userId ||
        sharedWith.includes(a.userId) ||
        g.visibility === "workspace" ||
        (g.visibility === "team" && g.teamId !== null && a.teamIds.includes(g.teamId))),
    (s) => goalNotFound(s.goal),
  ),
  "goal.write": allow(ownsGoal, goalNotFound),
  "goal.share": allow(ownsGoal, goalNotFound),
  "goal.delegate": allow(ownsGoal, goalNotFound),
  "goal.comment": allow(readsGoal, goalNotFound), // comments and kudos on its check-ins
  "goal.follow": allow(readsGoal, goalNotFound),
  "goal.commit": allow(readsGoal, goalNotFound), // a commitment about it or one of its steps
  // A step's assignee moves its status (the how is theirs); the rest of the plan is the goal owner's.
  "step.change": allow(
    (a: Actor, c: StepChange) =>
      ownsGoal(a, c.goal) || (c.step.ownerId === a.userId && c.fields.every((f) => f === "status")),
    (c) => goalNotFound(c.goal),
  ),
  // Who leads whom: an owner or leader of a team the person is in, or of the team of the goal in
  // question, leads that person (nobody leads themselves). The micro-goal leader prompt goes only to them.
  "person.lead": allow(
    (a: ActorFacts, p: LedPerson) =>
      inWorkspace(a, p) &&
      p.userId !== a.userId &&
      [...p.teamIds, p.goalTeamId].some((t) => t !== null && leadsTeamByRole(a, t)),
    () => notAllowed("Only an owner or leader of the person's team leads them."),
  ),
  "team.addGoal": allow(
    (a: Reader, t: TeamRef) => inWorkspace(a, t) && a.teamIds.includes(t.id),
    (t) =>
      invalid(
        "team_not_found",
        `You are not in a team with id ${t.id}. Pick one of your teams (GET /api/teams).`,
        {
          field: "teamId",
        },
      ),
  ),

  // Commitments. The SQL form of "commitment.see" is listCommitments (store/repos/commitments.ts).
  "commitment.see": allow(
    (a: Reader, c: Commitment) =>
      inWorkspace(a, c) &&
      (c.userId === a.userId ||
        c.witnessUserIds.includes(a.userId) ||
        (c.witnessTeamId !== null && a.teamIds.includes(c.witnessTeamId))),
    (c) => notFound("commitment", c.id),
  ),
  // sec-auth (issue 16): a commitment's witness team is one its maker is in, so nobody can send
  // a team they are not part of a notice in their name. The same answer as a team that does not exist.
  "commitment.witnessTeam": allow(
    (a: Reader, t: TeamRef) => inWorkspace(a, t) && a.teamIds.includes(t.id),
    (t) =>
      invalid(
        "team_not_found",
        `You are not in a team with id ${t.id}. Name one of your teams as witnessTeamId (GET /api/teams), or leave it out.`,
        { field: "witnessTeamId" },
      ),
  ),
  "commitment.resolve": allow(
    (a: Actor, c: Commitment) => inWorkspace(a, c) && c.userId === a.userId,
    (c) => notFound("commitment", c.id),
  ),

  // Delegations. The SQL form of "delegation.see" is delegationsOf (store/repos/delegations.ts).
  "delegation.see": allow(
    (a: Actor, d: DelegationSides) => isAssignee(a, d) || isDelegator(a, d),
    (d) => notFound("delegation", d.id),
  ),
  "delegation.accept": allow(
    isAssignee,
    () => new AppError(403, "not_assignee", "Only the person asked can accept this."),
  ),
  "delegation.clarify": allow(
    isAssignee,
    () => new AppError(403, "not_assignee", "Only the person asked can ask to clarify."),
  ),
  "delegation.answer": allow(
    isDelegator,
    () => new AppError(403, "not_delegator", "Only the person who delegated can answer."),
  ),

  // Playbooks: everyone in the workspace reads them; a team's are edited by its members and the workspace owner.
  "playbook.create": allow(editsPlaybooks, (p) =>
    notAllowed(
      `Only members of team ${p.teamId} or the workspace owner can write its playbooks. Pick a team you are in, or leave teamId out.`,
      { field: "teamId" },
    ),
  ),
  "playbook.edit": allow(
    editsPlaybooks,
    (p) =>
      new AppError(
        403,
        "playbook_read_only",
        `Playbook ${p.id} belongs to team ${p.teamId}: only its members or the workspace owner can edit it. Ask one of them to make the change, or to add you to the team.`,
        { id: p.id, teamId: p.teamId },
      ),
  ),

  // Teams: the workspace owner sees and runs them all; members see theirs; owners and leaders run theirs.
  "team.create": allow(ownsTheWorkspace, () => notAllowed("Only the workspace owner can create teams.")),
  "team.read": allow(inTeam, teamNotFound),
  "team.overview": allow(inTeam, teamNotFound),
  "team.manage": allow(leadsTeam, teamNotFound), // invite people into it, set their roles
  // Making someone a team owner, or changing a team owner's role.
  "team.setOwnerRole": allow(
    (a: ActorFacts, t: TeamRef) => inWorkspace(a, t) && a.workspaceOwner,
    () => invalid("role_not_allowed", "Only the workspace owner can make someone a team owner."),
  ),
  "channel.read": allow(inTeam, teamNotFound), // a team's Slack and Teams channels
  "channel.manage": allow(leadsTeam, teamNotFound),

  // The workspace as a whole.
  "person.find": allow(
    (a: Actor, w: WorkspaceRef) => inWorkspace(a, w),
    () => notAllowed("Only members of this workspace can look its people up."),
  ), // by exact email, to name someone by their address
  "workspace.invite": allow(ownsTheWorkspace, () =>
    notAllowed("Only the workspace owner can invite without a team. Pick a team you lead."),
  ),
  "auditLog.read": allow(ownsTheWorkspace, () =>
    notAllowed("Only the workspace owner can read the audit log."),
  ),
  "webhook.manage": allow(ownsTheWorkspace, () =>
    notAllowed("Only the workspace owner can manage webhooks."),
  ),
  // Accounts (issue 16, defect 8): a one-time link to reset someone's password.
  "person.resetPassword": allow(ownsTheWorkspace, () =>
    notAllowed("Only the workspace owner can make a password reset link. Ask them for one."),
  ),
};

type Rules = typeof RULES;
/** Every action the policy decides. */
export type Action = keyof Rules;
/** Every action the policy decides, for tests that each one is covered. */
export const ACTIONS = Object.keys(RULES) as Action[];
/** Who an action's rule needs: the actor, or the actor with their facts. */
export type ActorOf<K extends Action> = Rules[K] extends Rule<infer A, infer _S> ? A : never;
/** What an action is done to. */
export type SubjectOf<K extends Action> = Rules[K] extends Rule<infer _A, infer S> ? S : never;

/** The actions done to one goal the actor has read, by the actor alone (no facts needed). */
export type GoalAction =
  | "goal.write"
  | "goal.share"
  | "goal.delegate"
  | "goal.comment"
  | "goal.follow"
  | "goal.commit";

function ruleOf<K extends Action>(action: K): Rule<ActorOf<K>, SubjectOf<K>> {
  return RULES[action] as unknown as Rule<ActorOf<K>, SubjectOf<K>>;
}

/** True when the actor may do the action to the subject. */
export function can<K extends Action>(actor: ActorOf<K>, action: K, subject: SubjectOf<K>): boolean {
  return ruleOf(action).allows(actor, subject);
}

/** What a caller refused the action gets (for refusals that come before the rule can be asked). */
export function refusalOf<K extends Action>(action: K, subject: SubjectOf<K>): AppError {
  return ruleOf(action).refusal(subject);
}

/**
 * Throws the rule's refusal unless the actor may do the action. `message` rewords the refusal for
 * what was tried (its status and code stay the rule's).
 */
export function assertCan<K extends Action>(
  actor: ActorOf<K>,
  action: K,
  subject: SubjectOf<K>,
  message?: string,
): void {
  const rule = ruleOf(action);
  if (rule.allows(actor, subject)) return;
  const refusal = rule.refusal(subject);
  throw message === undefined
    ? refusal
    : new AppError(refusal.status, refusal.code, message, refusal.details);
}
