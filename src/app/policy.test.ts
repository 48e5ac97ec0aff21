import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, NOW } from "../../test/helpers/factories.js";
import { type Commitment, type Goal, type Step, VISIBILITIES, type Visibility } from "../core/types.js";
import * as commitmentsRepo from "../store/repos/commitments.js";
import * as delegationsRepo from "../store/repos/delegations.js";
import * as peopleRepo from "../store/repos/people.js";
import * as plans from "../store/repos/plans.js";
import * as sharing from "../store/repos/sharing.js";
import type { Database } from "../store/schema.js";
import { AppError } from "./errors.js";
import * as accounts from "./people/accounts.js";
import * as playbooks from "./playbooks/playbooks.js";
import {
  ACTIONS,
  type Action,
  type ActorFacts,
  type ActorOf,
  assertCan,
  can,
  factsOf,
  type SubjectOf,
} from "./policy.js";
import * as teamview from "./reports/teamview.js";
import * as webhooks from "./webhooks/hooks.js";

const WS = 1;
const TEAM = 10;

function facts(
  userId: number,
  over: { role?: string; isLocal?: boolean; teams?: Record<number, string>; workspaceId?: number } = {},
): ActorFacts {
  return factsOf(
    { userId, workspaceId: over.workspaceId ?? WS },
    {
      workspaceRole: over.role ?? "member",
      isLocal: over.isLocal ?? false,
      memberships: Object.entries(over.teams ?? {}).map(([teamId, role]) => ({
        teamId: Number(teamId),
        role,
      })),
    },
  );
}

/** Everyone the rules tell apart. The goals below belong to `member` and are shared with `partner`. */
const ACTORS = {
  owner: facts(1, { role: "owner" }),
  /** The command line's local owner: `is_local`, whatever its workspace role says. */
  local: facts(2, { isLocal: true }),
  teamOwner: facts(3, { teams: { [TEAM]: "owner" } }),
  leader: facts(4, { teams: { [TEAM]: "leader" } }),
  member: facts(5, { teams: { [TEAM]: "member" } }),
  partner: facts(6),
  outsider: facts(7),
  /** The owner of another workspace. */
  stranger: facts(8, { role: "owner", isLocal: true, workspaceId: 2 }),
};
type Name = keyof typeof ACTORS;
const NAMES = Object.keys(ACTORS) as Name[];
const OWNERS: Name[] = ["owner", "local"];
const IN_WORKSPACE: Name[] = ["owner", "local", "teamOwner", "leader", "member", "partner", "outsider"];

function goal(visibility: Visibility, over: Partial<Goal> = {}): Goal {
  return {
    id: 100,
    workspaceId: WS,
    title: "Ship the beta",
    why: null,
    values: [],
    ownerId: ACTORS.member.userId,
    teamId: TEAM,
    parentId: null,
    visibility,
    status: "active",
    priority: "medium",
    startDate: "2026-11-01",
    dueDate: null,
    cadenceDays: 7,
    successLooksLike: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...over,
  };
}

const STEP: Pick<Step, "ownerId"> = { ownerId: ACTORS.partner.userId };

function commitment(over: Partial<Commitment> = {}): Commitment {
  return {
    id: 300,
    workspaceId: WS,
    userId: ACTORS.member.userId,
    stepId: null,
    goalId: null,
    text: "Send the deck",
    dueDate: "2026-11-27",
    witnessTeamId: null,
    witnessUserIds: [],
    status: "open",
    resolvedAt: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    ...over,
  };
}

const DELEGATION = {
  id: 400,
  workspaceId: WS,
  delegatedBy: ACTORS.member.userId,
  assigneeId: ACTORS.partner.userId,
};
const TEAM_REF = { id: TEAM, workspaceId: WS };
/** `member` (by default) as someone who may be led. */
const LED = (over: { userId?: number; teamIds: number[]; goalTeamId?: number | null }) => ({
  workspaceId: WS,
  userId: over.userId ?? ACTORS.member.userId,
  teamIds: over.teamIds,
  goalTeamId: over.goalTeamId ?? null,
});
const WORKSPACE = { workspaceId: WS };

/** Who may do an action to a subject. */
interface Case {
  action: Action;
  label: string;
  allows(a: ActorFacts): boolean;
  allowed: Name[];
}

function rule<K extends Action>(action: K, label: string, subject: SubjectOf<K>, allowed: Name[]): Case {
  return { action, label, allows: (a) => can(a as ActorOf<K>, action, subject), allowed };
}

const shared = (g: Goal) => ({ goal: g, sharedWith: [ACTORS.partner.userId] });

const CASES: Case[] = [
  rule("goal.read", "a private goal", shared(goal("private")), ["member", "partner"]),
  rule("goal.read", "a team goal", shared(goal("team")), ["member", "partner", "teamOwner", "leader"]),
  rule("goal.read", "a workspace goal", shared(goal("workspace")), IN_WORKSPACE),
  rule("goal.read", "a team goal of no team", shared(goal("team", { teamId: null })), ["member", "partner"]),
  rule("goal.write", "", goal("team"), ["member"]),
  rule("goal.share", "", goal("team"), ["member"]),
  rule("goal.delegate", "", goal("team"), ["member"]),
  rule("goal.comment", "a goal read through the filter", goal("workspace"), IN_WORKSPACE),
  rule("goal.follow", "a goal read through the filter", goal("workspace"), IN_WORKSPACE),
  rule("goal.commit", "a goal read through the filter", goal("workspace"), IN_WORKSPACE),
  rule("step.change", "its status", { goal: goal("team"), step: STEP, fields: ["status"] }, [
    "member",
    "partner",
  ]),
  rule("step.change", "its text", { goal: goal("team"), step: STEP, fields: ["status", "text"] }, ["member"]),
  rule("team.addGoal", "", TEAM_REF, ["teamOwner", "leader", "member"]),
  // sec-auth (issue 16)
  rule("commitment.witnessTeam", "", TEAM_REF, ["teamOwner", "leader", "member"]),
  rule("person.lead", "a member of the team", LED({ teamIds: [TEAM] }), ["teamOwner", "leader"]),
  rule("person.lead", "through the goal's team", LED({ teamIds: [], goalTeamId: TEAM }), [
    "teamOwner",
    "leader",
  ]),
  rule("person.lead", "in no team", LED({ teamIds: [] }), []),
  rule("person.lead", "a leader of the team", LED({ userId: ACTORS.leader.userId, teamIds: [TEAM] }), [
    "teamOwner",
  ]),
  rule("commitment.see", "with a witness", commitment({ witnessUserIds: [ACTORS.partner.userId] }), [
    "member",
    "partner",
  ]),
  rule("commitment.see", "with a witness team", commitment({ witnessTeamId: TEAM }), [
    "member",
    "teamOwner",
    "leader",
  ]),
  rule("commitment.resolve", "", commitment({ witnessUserIds: [ACTORS.partner.userId] }), ["member"]),
  rule("delegation.see", "", DELEGATION, ["member", "partner"]),
  rule("delegation.accept", "", DELEGATION, ["partner"]),
  rule("delegation.clarify", "", DELEGATION, ["partner"]),
  rule("delegation.answer", "", DELEGATION, ["member"]),
  rule("playbook.create", "for the workspace", { workspaceId: WS, teamId: null }, IN_WORKSPACE),
  rule("playbook.create", "for a team", { workspaceId: WS, teamId: TEAM }, [
    ...OWNERS,
    "teamOwner",
    "leader",
    "member",
  ]),
  rule("playbook.edit", "the workspace's", { id: 500, workspaceId: WS, teamId: null }, IN_WORKSPACE),
  rule("playbook.edit", "a team's", { id: 500, workspaceId: WS, teamId: TEAM }, [
    ...OWNERS,
    "teamOwner",
    "leader",
    "member",
  ]),
  rule("team.create", "", WORKSPACE, OWNERS),
  rule("team.read", "", TEAM_REF, [...OWNERS, "teamOwner", "leader", "member"]),
  rule("team.overview", "", TEAM_REF, [...OWNERS, "teamOwner", "leader", "member"]),
  rule("team.manage", "", TEAM_REF, [...OWNERS, "teamOwner", "leader"]),
  rule("team.setOwnerRole", "", TEAM_REF, OWNERS),
  rule("channel.read", "", TEAM_REF, [...OWNERS, "teamOwner", "leader", "member"]),
  rule("channel.manage", "", TEAM_REF, [...OWNERS, "teamOwner", "leader"]),
  rule("person.find", "", WORKSPACE, IN_WORKSPACE),
  rule("workspace.invite", "", WORKSPACE, OWNERS),
  rule("auditLog.read", "", WORKSPACE, OWNERS),
  rule("webhook.manage", "", WORKSPACE, OWNERS),
  rule("person.resetPassword", "", WORKSPACE, OWNERS),
];

describe("the policy", () => {
  it.each(CASES.map((c) => [c.action, c.label, c] as const))(
    "%s %s: allows exactly its people",
    (_a, _l, c) => {
      const allowed = NAMES.filter((n) => c.allows(ACTORS[n]));
      expect(allowed.sort()).toEqual([...c.allowed].sort());
    },
  );

  it("has a case for every rule", () => {
    expect([...new Set(CASES.map((c) => c.action))].sort()).toEqual([...ACTIONS].sort());
  });

  it("counts the command line's local owner as the workspace owner in every rule", () => {
    for (const c of CASES)
      expect([c.action, c.allows(ACTORS.local)]).toEqual([c.action, c.allows(ACTORS.owner)]);
    expect(ACTORS.local.workspaceOwner).toBe(true);
  });

  it("grants no workspace ownership to a user the store does not know", () => {
    const unknown = factsOf({ userId: 9, workspaceId: WS }, undefined);
    expect(unknown).toMatchObject({ workspaceOwner: false, teamIds: [] });
    expect(can(unknown, "team.create", WORKSPACE)).toBe(false);
  });

  it("never lets another workspace's owner do anything here", () => {
    for (const c of CASES)
      expect([c.action, c.label, c.allows(ACTORS.stranger)]).toEqual([c.action, c.label, false]);
  });
});

describe("assertCan", () => {
  function refusal(f: () => void): AppError {
    try {
      f();
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error("expected a refusal");
  }

  it("answers a hidden goal's writer with the same 404 as a missing goal", () => {
    const e = refusal(() => assertCan(ACTORS.partner, "goal.write", goal("team")));
    expect([e.status, e.code]).toEqual([404, "goal_not_found"]);
  });

  it("says 'not allowed' where nothing is hidden, with the rule's code", () => {
    const e = refusal(() => assertCan(ACTORS.member, "auditLog.read", WORKSPACE));
    expect([e.status, e.code, e.message]).toEqual([
      403,
      "not_allowed",
      "Only the workspace owner can read the audit log.",
    ]);
  });

  it("rewords a refusal for what was tried, keeping its status and code", () => {
    const e = refusal(() => assertCan(ACTORS.leader, "team.setOwnerRole", TEAM_REF, "Only the owner may."));
    expect([e.status, e.code, e.message]).toEqual([422, "role_not_allowed", "Only the owner may."]);
  });

  it("lets an allowed actor through", () => {
    expect(() => assertCan(ACTORS.local, "webhook.manage", WORKSPACE)).not.toThrow();
  });
});

describe.each(DIALECTS)("the queries' visibility filters agree with the policy on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let people: { id: number; workspaceId: number }[] = [];
  const goals: Goal[] = [];
  const delegations: delegationsRepo.DelegationRow[] = [];
  const sharedWith = new Map<number, number[]>();

  async function factsFor(k: Kysely<Database>, p: { id: number; workspaceId: number }) {
    return factsOf({ userId: p.id, workspaceId: p.workspaceId }, await peopleRepo.actorFactsOf(k, p.id));
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const k = db.store.db;
    const owner = await peopleRepo.createLocalWorkspace(k, NOW);
    const ws = owner.workspaceId;
    const [teamA] = await peopleRepo.teamsIn(k, ws);
    const teamB = await peopleRepo.insertTeam(k, { workspaceId: ws, name: "B", createdAt: NOW });
    const person = async (name: string, teamId?: number, role = "member") => {
      const u = await peopleRepo.createPerson(k, ws, name, NOW);
      if (teamId !== undefined)
        await peopleRepo.addMembership(k, { teamId, userId: u.id, role, createdAt: NOW });
      return u;
    };
    const leader = await person("Lee", teamA?.id, "leader");
    const member = await person("Mo", teamA?.id);
    const bMember = await person("Bo", teamB.id);
    const partner = await person("Pat");
    const outsider = await person("Oz");
    const stranger = await peopleRepo.createLocalWorkspace(k, NOW, "Elsewhere");
    people = [owner, leader, member, bMember, partner, outsider, stranger];
    for (const who of [owner, member, bMember, stranger]) {
      for (const visibility of VISIBILITIES) {
        for (const teamId of [teamA?.id ?? null, teamB.id, null]) {
          const {
            id: _id,
            values: _values,
            ...fields
          } = goal(visibility, {
            workspaceId: who.workspaceId,
            ownerId: who.id,
            teamId: who.workspaceId === ws ? teamId : null,
          });
          const g = await plans.insertGoal(k, { ...fields, valuesJson: "[]", createdBy: who.id });
          goals.push(g);
          // Every second goal is shared with the partner, and with the leader as a coach.
          if (g.id % 2 === 0) {
            for (const [userId, role] of [
              [partner.id, "partner"],
              [leader.id, "coach"],
            ] as const) {
              await sharing.shareGoalWith(k, { goalId: g.id, userId, role, createdAt: NOW }, "keep-role");
              sharedWith.set(g.id, [...(sharedWith.get(g.id) ?? []), userId]);
            }
          }
        }
      }
    }
    const commit = (userId: number, witnessTeamId: number | null, witnessUserIds: number[]) =>
      commitmentsRepo.insertCommitment(k, {
        workspaceId: ws,
        userId,
        stepId: null,
        goalId: null,
        text: "Send the deck",
        dueDate: "2026-11-27",
        witnessTeamId,
        witnessUserIds,
        createdAt: NOW,
      });
    await commit(member.id, null, []);
    await commit(member.id, null, [partner.id]);
    await commit(bMember.id, teamA?.id ?? null, []);
    await commit(outsider.id, teamB.id, [owner.id]);
    for (const [delegatedBy, assigneeId] of [
      [member.id, partner.id],
      [owner.id, member.id],
      [bMember.id, outsider.id],
    ] as const) {
      const row = await delegationsRepo.insertDelegation(k, {
        workspaceId: ws,
        goalId: goals[0]?.id ?? 0,
        stepId: null,
        delegatedBy,
        assigneeId,
        what: "Take it on",
        why: null,
        dueDate: null,
        doneLooksLike: "Done",
        cadenceDays: 7,
        state: "proposed",
        createdAt: NOW,
        updatedAt: NOW,
      });
      delegations.push(row);
    }
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("visibleGoals keeps exactly the goals 'goal.read' allows, for everyone", async () => {
    const k = db.store.db;
    for (const p of people) {
      const f = await factsFor(k, p);
      const expected = goals
        .filter((goal) => can(f, "goal.read", { goal, sharedWith: sharedWith.get(goal.id) ?? [] }))
        .map((g) => g.id);
      const listed = await plans.listGoals(k, f, { limit: 1000 });
      expect([p.id, listed.map((g) => g.id)]).toEqual([p.id, expected]);
      const viewer = { userId: p.id, workspaceId: p.workspaceId, teamIds: null };
      const found: number[] = [];
      for (const g of goals) if (await plans.findGoal(k, viewer, g.id)) found.push(g.id);
      expect([p.id, found]).toEqual([p.id, expected]);
    }
  });

  it.skipIf(skip)("listCommitments keeps exactly the commitments 'commitment.see' allows", async () => {
    const k = db.store.db;
    const all = await commitmentsRepo.listCommitments(k, people[0]?.workspaceId ?? 0, { limit: 1000 });
    for (const p of people) {
      const f = await factsFor(k, p);
      const listed = await commitmentsRepo.listCommitments(k, p.workspaceId, { limit: 1000, viewer: f });
      const expected = all.filter((c) => can(f, "commitment.see", c)).map((c) => c.id);
      expect([p.id, listed.map((c) => c.id)]).toEqual([p.id, expected]);
    }
  });

  it.skipIf(skip)("delegationsOf keeps exactly the delegations 'delegation.see' allows", async () => {
    const k = db.store.db;
    for (const p of people) {
      const listed = await delegationsRepo.delegationsOf(k, p.workspaceId, p.id);
      const actor = { userId: p.id, workspaceId: p.workspaceId };
      const expected = delegations.filter((r) => can(actor, "delegation.see", r)).map((r) => r.id);
      expect([p.id, listed.map((r) => r.id)]).toEqual([p.id, expected]);
    }
  });
});

describe.each(DIALECTS)("the command line's local owner in the use cases on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("runs the workspace by `is_local` alone, as the workspace owner does", async () => {
    const { ctx, actor } = await actorFor(db.store);
    // Only `is_local` says who this is: the rules must not lean on the workspace role alone.
    await db.store.db
      .updateTable("users")
      .set({ workspaceRole: "member" })
      .where("id", "=", actor.userId)
      .execute();
    const team = await accounts.createTeam(ctx, actor, { name: "Platform" });
    await db.store.db.deleteFrom("memberships").where("teamId", "=", team.id).execute();
    expect((await accounts.listTeams(ctx, actor)).map((t) => t.name)).toContain("Platform");
    expect((await teamview.teamOverview(ctx, actor, team.id)).team.name).toBe("Platform");
    expect(await webhooks.listWebhooks(ctx, actor)).toEqual([]);
    expect(await webhooks.listTeamChannels(ctx, actor, team.id)).toEqual([]);
    expect(Array.isArray(await accounts.auditLog(ctx, actor))).toBe(true);
    const p = await playbooks.createPlaybook(ctx, actor, {
      title: "Runbook",
      body: "# Steps",
      teamId: team.id,
    });
    expect((await playbooks.updatePlaybook(ctx, actor, p.id, { body: "# Steps\n" })).version).toBe(2);
  });
});
