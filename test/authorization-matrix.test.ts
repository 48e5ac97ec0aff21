/**
 * The authorization matrix: every API route × {anonymous, another workspace, member, leader,
 * owner, the goal's owner, a shared partner} × {private, team, workspace} goals, checked against
 * docs/permissions.md. Allowed callers get a 2xx, refused ones a 404 (401 when anonymous), and
 * lists hold a goal exactly for those who may read it. The route list comes from the OpenAPI
 * document, so a new route without a rule here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUnsubscribeToken } from "../src/app/people/settings.js";
import type { Store } from "../src/store/db.js";
import { DIALECTS, dialectAvailable, freshStore } from "./helpers/dialects.js";
import { fixedContext } from "./helpers/factories.js";
import { testApp } from "./helpers/http.js";
import {
  ACTORS,
  type ActorName,
  type Answer,
  buildWorld,
  clientOf,
  type GoalFixture,
  must,
  PASSWORD,
  type Request,
  type SignedIn,
  send,
  VISIBILITIES,
  type Visibility,
  type World,
} from "./helpers/matrix.js";

/** What a case is called with: the world, and for goal cases the goal of one visibility. */
interface Ctx {
  w: World;
  tag: string;
}
interface GoalCtx extends Ctx {
  g: GoalFixture;
}

/** A refusal other than the default 404. */
interface Denial {
  status: number;
  code?: string;
}

/** One row of the matrix: how to call a route and who may. */
interface Case<C extends Ctx> {
  /** `METHOD /api/path` exactly as in the OpenAPI document. */
  route: string;
  /** What distinguishes this row from others of the same route. */
  label?: string;
  /** Anyone may call it, signed in or not. */
  public?: boolean;
  /** Runs once before the actors call (as whoever set-up needs). */
  before?(c: C): Promise<void>;
  /** The request an actor sends (it may set things up first). */
  request(actor: ActorName, c: C): Request | Promise<Request>;
  /** Who gets a 2xx (signed-in callers; anonymous callers follow `public`). */
  allowed(actor: SignedIn, c: C): boolean;
  /** What a refused signed-in caller gets, when not 404. */
  denied?(actor: SignedIn, c: C): Denial | undefined;
  /** For lists: whether the answer holds the thing, and who should see it there. */
  holds?: { found(a: Answer, c: C): boolean; expected(actor: SignedIn, c: C): boolean; what: string };
  /** Puts the world back after an allowed call changed it. */
  restore?(actor: SignedIn, c: C): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Who is who (docs/permissions.md)

const IN_WORKSPACE_A: SignedIn[] = ["member", "leader", "owner", "goalOwner", "partner"];
/** Members of team T: its owner (the workspace owner, who created it), leader and members. */
const IN_TEAM: SignedIn[] = ["owner", "leader", "member", "goalOwner"];

/** Who may read a goal of team T owned by goalOwner and shared with partner. */
function readers(v: Visibility): SignedIn[] {
  if (v === "private") return ["goalOwner", "partner"];
  if (v === "team") return ["goalOwner", "partner", ...IN_TEAM];
  return ["goalOwner", ...IN_WORKSPACE_A];
}

/** The store of the suite running, for set-up the API cannot do (unsubscribe links come by email). */
let matrixStore: Store | undefined;

const everyone = () => true;
const inA = (a: SignedIn) => IN_WORKSPACE_A.includes(a);
const inTeam = (a: SignedIn) => IN_TEAM.includes(a);
const canRead = (a: SignedIn, c: GoalCtx) => readers(c.g.visibility).includes(a);
const isGoalOwner = (a: SignedIn) => a === "goalOwner";
/** The owner of a workspace: the owner of A, and the other workspace's own owner in theirs. */
const workspaceOwner = (a: SignedIn) => a === "owner" || a === "otherWorkspace";
const teamManager = (a: SignedIn) => a === "owner" || a === "leader";
const notAllowed = (): Denial => ({ status: 403, code: "not_allowed" });
/** A second password the password-change row switches to and back from. */
const NEW_PASSWORD = "a lighthouse keeper in winter";

const get = (path: string): Request => ({ method: "GET", path });
const post = (path: string, body: unknown = {}): Request => ({ method: "POST", path, body });
const patch = (path: string, body: unknown): Request => ({ method: "PATCH", path, body });
const put = (path: string, body: unknown): Request => ({ method: "PUT", path, body });
const del = (path: string): Request => ({ method: "DELETE", path });

type Json = Record<string, unknown>;
const itemsOf = (a: Answer): Json[] => ((a.json as { items?: Json[] } | null)?.items ?? []) as Json[];
const hasId = (a: Answer, id: number) => itemsOf(a).some((x) => x.id === id);

/** Someone an actor may name in a body: another person of their own workspace. */
function colleagueOf(actor: ActorName, w: World): number {
  if (actor === "otherWorkspace") return w.otherColleagueId;
  return actor === "goalOwner" ? w.people.partner.userId : w.people.goalOwner.userId;
}

async function asGoalOwner(w: World, req: Request, status: number) {
  await must(w.people.goalOwner.api, req, status);
}

/** A Taskwarrior export with one task in one project. */
/** A one-objective OKR CSV (issue 19, CSV and OKR import). */
function okrCsv(objective: string) {
  return { text: `Objective,Key result,Start,Target\n${objective},Signups,0,10\n`, contentType: "text/csv" };
}

function taskwarrior(uuid: string, project: string) {
  return {
    text: JSON.stringify([{ uuid, description: "Call Dana about the fair", status: "pending", project }]),
    contentType: "text/plain",
  };
}

// ---------------------------------------------------------------------------------------------
// Routes not tied to a goal: checked once across the actors.

const PLAIN: Case<Ctx>[] = [
  { route: "GET /api/health", public: true, request: () => get("/api/health"), allowed: everyone },
  {
    route: "GET /api/openapi.json",
    public: true,
    request: () => get("/api/openapi.json"),
    allowed: everyone,
  },
  { route: "GET /api/docs", public: true, request: () => get("/api/docs"), allowed: everyone },
  { route: "GET /api/auth/setup", public: true, request: () => get("/api/auth/setup"), allowed: everyone },
  {
    route: "POST /api/auth/sign-up",
    public: true,
    request: async (actor, { w, tag }) => {
      const inv = await must<{ token: string }>(w.people.owner.api, post("/api/invitations", {}), 201);
      return post("/api/auth/sign-up", {
        email: `joiner-${actor}-${tag}@example.com`,
        name: `Joiner ${actor}`,
        password: PASSWORD,
        inviteToken: inv.token,
      });
    },
    allowed: everyone,
  },
  {
    route: "POST /api/auth/sign-in",
    public: true,
    request: (_a, { tag }) =>
      post("/api/auth/sign-in", { email: `member-${tag}@example.com`, password: PASSWORD }),
    allowed: everyone,
  },
  {
    route: "POST /api/auth/sign-out",
    public: true,
    request: () => post("/api/auth/sign-out"),
    allowed: everyone,
  },
  {
    route: "GET /api/invitations/{token}",
    public: true,
    request: (_a, { w }) => get(`/api/invitations/${w.invitationToken}`),
    allowed: everyone,
  },
  {
    route: "GET /api/auth/session",
    request: () => get("/api/auth/session"),
    allowed: everyone,
    holds: {
      what: "the caller themself",
      found: (a) => typeof (a.json as { user?: { id?: number } }).user?.id === "number",
      expected: everyone,
    },
  },
  {
    route: "GET /api/tokens",
    request: () => get("/api/tokens"),
    allowed: everyone,
    holds: {
      what: "goalOwner's token",
      found: (a, { w }) => hasId(a, w.tokenIds.goalOwner),
      expected: isGoalOwner,
    },
  },
  { route: "POST /api/tokens", request: () => post("/api/tokens", { name: "mine" }), allowed: everyone },
  {
    route: "DELETE /api/tokens/{id}",
    label: "goalOwner's token",
    request: async (_a, { w }) => {
      const t = await must<{ id: number }>(
        w.people.goalOwner.api,
        post("/api/tokens", { name: "spare" }),
        201,
      );
      return del(`/api/tokens/${t.id}`);
    },
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/invitations",
    label: "into team T as member",
    request: (_a, { w }) => post("/api/invitations", { teamId: w.teamId, role: "member" }),
    allowed: teamManager,
  },
  {
    route: "POST /api/invitations",
    label: "into team T as team owner",
    request: (_a, { w }) => post("/api/invitations", { teamId: w.teamId, role: "owner" }),
    allowed: (a) => a === "owner",
    denied: (a) => (a === "leader" ? { status: 422, code: "role_not_allowed" } : undefined),
  },
  {
    route: "POST /api/invitations",
    label: "without a team",
    request: () => post("/api/invitations", {}),
    allowed: workspaceOwner,
    denied: notAllowed,
  },
  {
    route: "GET /api/teams",
    request: () => get("/api/teams"),
    allowed: everyone,
    holds: { what: "team T", found: (a, { w }) => hasId(a, w.teamId), expected: inTeam },
  },
  {
    route: "GET /api/people",
    label: "member's address",
    request: (_a, { tag }) => get(`/api/people?email=member-${tag}@example.com`),
    allowed: everyone,
    holds: {
      what: "member",
      found: (a, { w }) => hasId(a, w.people.member.userId),
      expected: inA,
    },
  },
  {
    route: "POST /api/teams",
    request: () => post("/api/teams", { name: "Another team" }),
    allowed: workspaceOwner,
    denied: notAllowed,
  },
  {
    route: "PUT /api/teams/{id}/members/{childId}",
    label: "member stays member",
    request: (_a, { w }) =>
      put(`/api/teams/${w.teamId}/members/${w.people.member.userId}`, { role: "member" }),
    allowed: teamManager,
  },
  {
    route: "PUT /api/teams/{id}/members/{childId}",
    label: "member made team owner",
    request: (_a, { w }) =>
      put(`/api/teams/${w.teamId}/members/${w.people.member.userId}`, { role: "owner" }),
    allowed: (a) => a === "owner",
    denied: (a) => (a === "leader" ? { status: 422, code: "role_not_allowed" } : undefined),
    restore: async (_a, { w }) => {
      await must(
        w.people.owner.api,
        put(`/api/teams/${w.teamId}/members/${w.people.member.userId}`, { role: "member" }),
        200,
      );
    },
  },
  {
    route: "GET /api/audit",
    request: () => get("/api/audit"),
    allowed: workspaceOwner,
    denied: notAllowed,
    holds: {
      what: "workspace A's sign-ups",
      found: (a, { w }) => itemsOf(a).some((x) => x.actorId === w.people.owner.userId),
      expected: (a) => a === "owner",
    },
  },
  // Integrations: team channels, webhooks (workspace A's owner only), calendar feeds.
  {
    route: "GET /api/teams/{id}/integrations",
    request: (_a, { w }) => get(`/api/teams/${w.teamId}/integrations`),
    allowed: inTeam,
  },
  {
    route: "PUT /api/teams/{id}/integrations/{kind}",
    request: (_a, { w }) =>
      put(`/api/teams/${w.teamId}/integrations/slack`, {
        webhookUrl: "https://hooks.slack.com/services/T/B/m",
      }),
    allowed: teamManager,
  },
  {
    route: "DELETE /api/teams/{id}/integrations/{kind}",
    request: async (_a, { w }) => {
      const hook = { webhookUrl: "https://example.com/teams-workflow" };
      await must(w.people.owner.api, put(`/api/teams/${w.teamId}/integrations/teams`, hook), 200);
      return del(`/api/teams/${w.teamId}/integrations/teams`);
    },
    allowed: teamManager,
  },
  {
    route: "POST /api/webhooks",
    request: () => post("/api/webhooks", { url: "https://example.com/hook", events: ["goal.created"] }),
    allowed: workspaceOwner,
    denied: notAllowed,
  },
  {
    route: "GET /api/webhooks",
    request: () => get("/api/webhooks"),
    allowed: workspaceOwner,
    denied: notAllowed,
  },
  {
    route: "DELETE /api/webhooks/{id}",
    label: "workspace A's webhook",
    request: async (_a, { w }) => {
      const body = { url: "https://example.com/hook", events: ["step.done"] };
      const h = await must<{ id: number }>(w.people.owner.api, post("/api/webhooks", body), 201);
      return del(`/api/webhooks/${h.id}`);
    },
    allowed: (a) => a === "owner",
    denied: (a) => (a === "otherWorkspace" ? undefined : notAllowed()),
  },
  {
    route: "GET /api/webhooks/{id}/deliveries",
    label: "workspace A's webhook",
    request: async (_a, { w }) => {
      const body = { url: "https://example.com/hook", events: ["step.done"] };
      const h = await must<{ id: number }>(w.people.owner.api, post("/api/webhooks", body), 201);
      return get(`/api/webhooks/${h.id}/deliveries`);
    },
    allowed: (a) => a === "owner",
    denied: (a) => (a === "otherWorkspace" ? undefined : notAllowed()),
  },
  {
    route: "POST /api/webhooks/{id}/test",
    label: "workspace A's webhook",
    request: async (_a, { w }) => {
      // Port 9 on loopback refuses at once: the test message fails without leaving the machine.
      const body = { url: "http://127.0.0.1:9/hook", events: ["step.done"] };
      const h = await must<{ id: number }>(w.people.owner.api, post("/api/webhooks", body), 201);
      return post(`/api/webhooks/${h.id}/test`);
    },
    allowed: (a) => a === "owner",
    denied: (a) => (a === "otherWorkspace" ? undefined : notAllowed()),
  },
  {
    route: "POST /api/teams/{id}/integrations/{kind}/test",
    request: async (_a, { w }) => {
      const hook = { webhookUrl: "http://127.0.0.1:9/slack/T0/B0/secret" };
      await must(w.people.owner.api, put(`/api/teams/${w.teamId}/integrations/slack`, hook), 200);
      return post(`/api/teams/${w.teamId}/integrations/slack/test`);
    },
    allowed: teamManager,
  },
  {
    route: "GET /api/teams/{id}/integrations/{kind}/deliveries",
    request: async (_a, { w }) => {
      const hook = { webhookUrl: "http://127.0.0.1:9/slack/T0/B0/secret" };
      await must(w.people.owner.api, put(`/api/teams/${w.teamId}/integrations/slack`, hook), 200);
      return get(`/api/teams/${w.teamId}/integrations/slack/deliveries`);
    },
    allowed: teamManager,
  },
  {
    route: "GET /api/teams/{id}/delegations",
    request: (_a, { w }) => get(`/api/teams/${w.teamId}/delegations`),
    allowed: inTeam,
  },
  {
    route: "POST /api/plans",
    request: () =>
      post("/api/plans", {
        goal: { title: "Run a 10k by spring", dueDate: "2027-04-30" },
        steps: [{ text: "Run 3 km on Saturday morning" }],
      }),
    allowed: everyone,
  },
  { route: "POST /api/calendar/token", request: () => post("/api/calendar/token"), allowed: everyone },
  { route: "DELETE /api/calendar/token", request: () => del("/api/calendar/token"), allowed: everyone },
  {
    route: "POST /api/goals",
    request: () => post("/api/goals", { title: "Run a 10k by spring", dueDate: "2027-04-30" }),
    allowed: everyone,
  },
  {
    route: "POST /api/goals",
    label: "into team T",
    request: (_a, { w }) => post("/api/goals", { title: "Ship the team page", teamId: w.teamId }),
    allowed: inTeam,
    // The same answer as a team that does not exist.
    denied: () => ({ status: 422, code: "team_not_found" }),
  },
  {
    route: "GET /api/commitments",
    label: "witnessed by leader",
    request: () => get("/api/commitments?limit=500"),
    allowed: everyone,
    holds: {
      what: "the commitment leader witnesses",
      found: (a, { w }) => hasId(a, w.witnessedByLeaderId),
      expected: (a) => a === "goalOwner" || a === "leader",
    },
  },
  {
    route: "GET /api/commitments",
    label: "witnessed by team T",
    request: () => get("/api/commitments?limit=500"),
    allowed: everyone,
    holds: {
      what: "the commitment team T witnesses",
      found: (a, { w }) => hasId(a, w.witnessedByTeamId),
      expected: inTeam,
    },
  },
  {
    route: "POST /api/commitments/{id}/resolve",
    label: "a commitment leader witnesses",
    request: (_a, { w }) => post(`/api/commitments/${w.witnessedByLeaderId}/resolve`, { status: "open" }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/commitments",
    label: "with no step or goal",
    request: () => post("/api/commitments", { text: "Write the newsletter", dueDate: "2026-11-27" }),
    allowed: everyone,
  },
  {
    route: "GET /api/delegations",
    request: () => get("/api/delegations"),
    allowed: everyone,
    holds: {
      what: "goalOwner's delegation to member",
      found: (a, { w }) => hasId(a, w.delegationId),
      expected: (a) => a === "goalOwner" || a === "member",
    },
  },
  {
    route: "GET /api/delegations/{id}",
    request: (_a, { w }) => get(`/api/delegations/${w.delegationId}`),
    allowed: (a) => a === "goalOwner" || a === "member",
  },
  {
    route: "POST /api/delegations/{id}/clarify",
    request: (_a, { w }) => post(`/api/delegations/${w.delegationId}/clarify`, { question: "Which venue?" }),
    allowed: (a) => a === "member",
    // The other party may see the delegation, so a 403 tells them nothing new; permissions.md's
    // "not allowed answers 404" does not mention it.
    denied: (a) => (a === "goalOwner" ? { status: 403, code: "not_assignee" } : undefined),
  },
  {
    route: "POST /api/delegations/{id}/answer",
    request: (_a, { w }) => post(`/api/delegations/${w.delegationId}/answer`, { answer: "The hall." }),
    allowed: (a) => a === "goalOwner",
    denied: (a) => (a === "member" ? { status: 403, code: "not_delegator" } : undefined),
  },
  {
    route: "POST /api/delegations/{id}/accept",
    request: (_a, { w }) => post(`/api/delegations/${w.delegationId}/accept`),
    allowed: (a) => a === "member",
    denied: (a) => (a === "goalOwner" ? { status: 403, code: "not_assignee" } : undefined),
  },
  { route: "POST /api/inbox/read", request: () => post("/api/inbox/read", {}), allowed: everyone },
  // Settings are each person's own: every signed-in caller reads and changes only their own.
  { route: "GET /api/settings", request: () => get("/api/settings"), allowed: everyone },
  {
    route: "PATCH /api/settings",
    request: () => patch("/api/settings", { timeZone: "Europe/Berlin" }),
    allowed: everyone,
  },
  { route: "POST /api/snooze", request: () => post("/api/snooze", { until: null }), allowed: everyone },
  // Public by token: a fresh link of the caller's own (anonymous: goalOwner's), as an email carries.
  ...(["GET", "POST"] as const).map(
    (method): Case<Ctx> => ({
      route: `${method} /api/unsubscribe/{token}`,
      label: "the caller's own link (anonymous: goalOwner's)",
      public: true,
      request: async (a, { w }) => {
        const who = a === "anonymous" ? "goalOwner" : a;
        if (!matrixStore) throw new Error("the matrix's store is not open");
        const token = await newUnsubscribeToken(
          matrixStore.db,
          w.people[who].userId,
          "2026-11-21T10:00:00.000Z",
        );
        return { method, path: `/api/unsubscribe/${token}` };
      },
      allowed: everyone,
    }),
  ),
  {
    route: "GET /api/playbooks",
    request: () => get("/api/playbooks"),
    allowed: everyone,
    holds: { what: "workspace A's playbook", found: (a, { w }) => hasId(a, w.playbookId), expected: inA },
  },
  {
    route: "POST /api/playbooks",
    label: "without a team",
    request: () => post("/api/playbooks", { title: "My notes", body: "- [ ] Start" }),
    allowed: everyone,
  },
  {
    route: "POST /api/playbooks",
    label: "for team T",
    request: (_a, { w }) => post("/api/playbooks", { title: "Team notes", body: "Notes", teamId: w.teamId }),
    allowed: inTeam,
    denied: (a) =>
      a === "partner"
        ? notAllowed()
        : // The team is not in their workspace: the same answer as a team that does not exist.
          a === "otherWorkspace"
          ? { status: 422, code: "team_not_found" }
          : undefined,
  },
  {
    route: "POST /api/playbooks/preview",
    request: () => post("/api/playbooks/preview", { body: "- [ ] Try it" }),
    allowed: everyone,
  },
  {
    route: "GET /api/playbooks/{id}",
    request: (_a, { w }) => get(`/api/playbooks/${w.playbookId}`),
    allowed: inA,
  },
  {
    route: "PUT /api/playbooks/{id}",
    label: "without a team",
    request: (a, { w }) => put(`/api/playbooks/${w.playbookId}`, { body: `- [ ] Draft (${a})`, note: a }),
    allowed: inA,
  },
  {
    route: "PUT /api/playbooks/{id}",
    label: "of team T",
    request: (a, { w }) => put(`/api/playbooks/${w.teamPlaybookId}`, { body: `Team only (${a}).` }),
    allowed: inTeam,
    denied: (a) => (a === "partner" ? { status: 403, code: "playbook_read_only" } : undefined),
  },
  {
    route: "GET /api/playbooks/{id}/versions",
    request: (_a, { w }) => get(`/api/playbooks/${w.playbookId}/versions`),
    allowed: inA,
  },
  {
    route: "GET /api/playbooks/{id}/diff",
    request: (_a, { w }) => get(`/api/playbooks/${w.playbookId}/diff?from=1&to=1`),
    allowed: inA,
  },
  {
    route: "POST /api/playbooks/{id}/plans",
    request: (_a, { w }) => post(`/api/playbooks/${w.playbookId}/plans`, { title: "From the checklist" }),
    allowed: inA,
  },
  {
    route: "POST /api/coach/lint",
    request: () => post("/api/coach/lint", { texts: ["Call Dana"], as: "step" }),
    allowed: everyone,
  },
  {
    route: "POST /api/import/{source}",
    label: "one's own file",
    request: (a, { tag }) => ({
      method: "POST",
      path: "/api/import/taskwarrior",
      raw: taskwarrior(`own-${a}-${tag}`, `Imported by ${a}`),
    }),
    allowed: everyone,
  },
  {
    route: "POST /api/import/{source}",
    label: "a file goalOwner imported before",
    before: async ({ w, tag }) => {
      await asGoalOwner(
        w,
        { method: "POST", path: "/api/import/taskwarrior", raw: taskwarrior(`theirs-${tag}`, "Gus's fair") },
        200,
      );
    },
    request: (_a, { tag }) => ({
      method: "POST",
      path: "/api/import/taskwarrior",
      raw: taskwarrior(`theirs-${tag}`, "Gus's fair"),
    }),
    // Another workspace has its own import keys: the same file makes a goal of theirs.
    allowed: (a) => a === "goalOwner" || a === "otherWorkspace",
    // Not a 404: the answer names the (private) goal's id to people who may not read it.
    denied: () => ({ status: 422, code: "import_goal_not_yours" }),
  },

  // CSV and OKR import (issue 19): everyone imports their own objectives; one imported before by
  // someone else is theirs.
  {
    route: "POST /api/import/csv",
    label: "one's own objectives",
    request: (a, { tag }) => ({
      method: "POST",
      path: "/api/import/csv",
      raw: okrCsv(`Objective of ${a} ${tag}`),
    }),
    allowed: everyone,
  },
  {
    route: "POST /api/import/csv",
    label: "objectives goalOwner imported before",
    before: async ({ w, tag }) => {
      await asGoalOwner(
        w,
        { method: "POST", path: "/api/import/csv", raw: okrCsv(`Gus objective ${tag}`) },
        200,
      );
    },
    request: (_a, { tag }) => ({
      method: "POST",
      path: "/api/import/csv",
      raw: okrCsv(`Gus objective ${tag}`),
    }),
    allowed: (a) => a === "goalOwner" || a === "otherWorkspace",
    denied: () => ({ status: 422, code: "import_goal_not_yours" }),
  },

  // Accounts (issue 16, defect 8): passwords, sign out everywhere, reset links.
  {
    route: "POST /api/auth/password",
    request: () => post("/api/auth/password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    allowed: everyone,
    restore: async (a, { w }) => {
      await must(
        w.people[a].api,
        post("/api/auth/password", { currentPassword: NEW_PASSWORD, newPassword: PASSWORD }),
        200,
      );
    },
  },
  {
    route: "POST /api/auth/sign-out-everywhere",
    label: "sessions only (the API token stays)",
    request: () => post("/api/auth/sign-out-everywhere", {}),
    allowed: everyone,
  },
  {
    route: "POST /api/auth/forgot-password",
    public: true,
    request: (_a, { tag }) => post("/api/auth/forgot-password", { email: `member-${tag}@example.com` }),
    allowed: everyone,
  },
  {
    route: "POST /api/auth/reset-password",
    public: true,
    request: async (_a, { w }) => {
      const link = await must<{ token: string }>(
        w.people.owner.api,
        post(`/api/people/${w.people.member.userId}/reset-link`),
        201,
      );
      return post("/api/auth/reset-password", { token: link.token, password: PASSWORD });
    },
    allowed: everyone,
  },
  {
    route: "POST /api/people/{id}/reset-link",
    label: "for member",
    request: (_a, { w }) => post(`/api/people/${w.people.member.userId}/reset-link`),
    allowed: (a) => a === "owner",
    denied: (a) => (a === "otherWorkspace" ? undefined : notAllowed()),
  },
];

// ---------------------------------------------------------------------------------------------
// Routes of a goal and what it holds: checked for each visibility.

const g = (c: GoalCtx) => `/api/goals/${c.g.id}`;

const GOAL: Case<GoalCtx>[] = [
  // Lists first, before any write moves what they show.
  {
    route: "GET /api/goals",
    request: () => get("/api/goals?limit=500"),
    allowed: everyone,
    holds: { what: "the goal", found: (a, c) => hasId(a, c.g.id), expected: canRead },
  },
  {
    route: "GET /api/calendar/{file}",
    label: "the caller's own feed (anonymous: goalOwner's link)",
    public: true,
    request: async (a, c) => {
      const who = a === "anonymous" ? "goalOwner" : a;
      const feed = await must<{ path: string }>(c.w.people[who].api, post("/api/calendar/token"), 201);
      return get(feed.path);
    },
    allowed: everyone,
    holds: {
      what: "the goal's due date",
      found: (a, c) => a.text.includes(`UID:goal-${c.g.id}-due@`),
      expected: canRead,
    },
  },
  {
    route: "GET /api/steps",
    request: () => get("/api/steps?all=true&limit=500"),
    allowed: everyone,
    holds: { what: "the goal's step", found: (a, c) => hasId(a, c.g.stepId), expected: canRead },
  },
  {
    route: "GET /api/week",
    label: "the goal owner's step",
    request: () => get("/api/week"),
    allowed: everyone,
    holds: {
      what: "the goal's unassigned step",
      found: (a, c) => ((a.json as { steps?: Json[] }).steps ?? []).some((s) => s.id === c.g.stepId),
      expected: isGoalOwner,
    },
  },
  {
    route: "GET /api/week",
    label: "a step assigned to member",
    request: () => get("/api/week"),
    allowed: everyone,
    holds: {
      what: "the step assigned to member",
      found: (a, c) => ((a.json as { steps?: Json[] }).steps ?? []).some((s) => s.id === c.g.assignedStepId),
      expected: (a, c) => a === "member" && canRead(a, c),
    },
  },
  {
    route: "GET /api/commitments",
    label: "on the goal's step",
    request: () => get("/api/commitments?limit=500"),
    allowed: everyone,
    holds: {
      what: "goalOwner's commitment",
      found: (a, c) => hasId(a, c.g.commitmentId),
      expected: isGoalOwner,
    },
  },
  {
    route: "GET /api/report",
    request: () => get("/api/report"),
    allowed: everyone,
    holds: {
      what: "the goal",
      found: (a, c) => {
        const r = a.json as { wins?: Json[]; stalled?: Json[] };
        return [...(r.wins ?? []), ...(r.stalled ?? [])].some((x) => x.goalId === c.g.id);
      },
      expected: canRead,
    },
  },
  {
    route: "GET /api/teams/{id}/overview",
    request: (_a, { w }) => get(`/api/teams/${w.teamId}/overview`),
    allowed: inTeam,
    holds: {
      what: "the goal (never a private one, even to those who may read it)",
      found: (a, c) =>
        ((a.json as { alignment?: { goals?: Json[] } }).alignment?.goals ?? []).some(
          (x) => x.goalId === c.g.id,
        ),
      expected: (a, c) => c.g.visibility !== "private" && canRead(a, c),
    },
  },
  {
    route: "GET /api/wins",
    request: () => get("/api/wins"),
    allowed: everyone,
    holds: {
      what: "the goal's win",
      found: (a, c) => itemsOf(a).some((x) => x.goalId === c.g.id),
      expected: canRead,
    },
  },
  {
    route: "GET /api/review",
    request: () => get("/api/review"),
    allowed: everyone,
  },
  {
    route: "POST /api/review/steps",
    request: (_a, c) =>
      post("/api/review/steps", { steps: [{ goalId: c.g.id, text: "Email Raj one question" }] }),
    allowed: isGoalOwner,
  },
  // `throughline remind` against a server
  {
    route: "GET /api/reminders",
    request: () => get("/api/reminders?asOf=2026-11-21"),
    allowed: everyone,
  },
  {
    // Only ever to the caller's own address; this server sends no email, so everyone hears so
    // (the sending itself: src/cli/commands/remind-server.test.ts and src/server/openapi.test.ts).
    route: "POST /api/reminders/email",
    request: () => post("/api/reminders/email", { asOf: "2026-11-21" }),
    allowed: () => false,
    denied: () => ({ status: 422, code: "email_not_configured" }),
  },
  {
    route: "GET /api/export",
    request: () => get("/api/export?format=markdown"),
    allowed: everyone,
    holds: { what: "the goal's title", found: (a, c) => a.text.includes(c.g.title), expected: canRead },
  },
  // Followers who lose access are no longer told of changes: see collaboration.test.ts.
  {
    route: "GET /api/inbox",
    request: () => get("/api/inbox"),
    allowed: everyone,
    holds: {
      what: "the notice that the goal was shared",
      found: (a, c) => itemsOf(a).some((x) => x.type === "goal.shared" && x.subjectId === c.g.id),
      expected: (a) => a === "partner",
    },
  },

  // Reads.
  { route: "GET /api/goals/{id}", request: (_a, c) => get(g(c)), allowed: canRead },
  { route: "GET /api/goals/{id}/plan", request: (_a, c) => get(`${g(c)}/plan`), allowed: canRead },
  { route: "GET /api/goals/{id}/history", request: (_a, c) => get(`${g(c)}/history`), allowed: canRead },
  { route: "GET /api/goals/{id}/page", request: (_a, c) => get(`${g(c)}/page`), allowed: canRead },
  {
    route: "POST /api/inbox/{id}/read",
    label: "the partner's notice that the goal was shared",
    request: async (_a, c) => {
      const inbox = await must<{ items: Json[] }>(c.w.people.partner.api, get("/api/inbox?limit=200"), 200);
      const notice = inbox.items.find((x) => x.type === "goal.shared" && x.subjectId === c.g.id);
      return post(`/api/inbox/${notice?.id ?? 0}/read`);
    },
    allowed: (a) => a === "partner",
  },

  {
    route: "GET /api/goals/{id}/key-results",
    request: (_a, c) => get(`${g(c)}/key-results`),
    allowed: canRead,
  },
  {
    route: "GET /api/key-results/{id}",
    request: (_a, c) => get(`/api/key-results/${c.g.keyResultId}`),
    allowed: canRead,
  },
  { route: "GET /api/steps/{id}", request: (_a, c) => get(`/api/steps/${c.g.stepId}`), allowed: canRead },
  { route: "GET /api/goals/{id}/resources", request: (_a, c) => get(`${g(c)}/resources`), allowed: canRead },
  { route: "GET /api/goals/{id}/barriers", request: (_a, c) => get(`${g(c)}/barriers`), allowed: canRead },
  { route: "GET /api/goals/{id}/checkins", request: (_a, c) => get(`${g(c)}/checkins`), allowed: canRead },
  {
    route: "GET /api/checkins/{id}/feedback",
    request: (_a, c) => get(`/api/checkins/${c.g.checkinId}/feedback`),
    allowed: canRead,
  },
  { route: "GET /api/goals/{id}/status", request: (_a, c) => get(`${g(c)}/status`), allowed: canRead },
  { route: "GET /api/goals/{id}/shares", request: (_a, c) => get(`${g(c)}/shares`), allowed: canRead },
  { route: "GET /api/goals/{id}/followers", request: (_a, c) => get(`${g(c)}/followers`), allowed: canRead },
  { route: "GET /api/goals/{id}/playbooks", request: (_a, c) => get(`${g(c)}/playbooks`), allowed: canRead },
  // Save a plan as a playbook (reads the goal, writes a workspace playbook)
  {
    route: "POST /api/goals/{id}/save-as-playbook",
    request: (_a, c) => post(`${g(c)}/save-as-playbook`, {}),
    allowed: canRead,
  },
  // --- end issue 18 (play18) ---

  // What every reader may do.
  {
    route: "POST /api/checkins/{id}/comments",
    request: (a, c) => post(`/api/checkins/${c.g.checkinId}/comments`, { body: `Well done (${a})` }),
    allowed: canRead,
  },
  {
    route: "POST /api/checkins/{id}/kudos",
    request: (_a, c) => post(`/api/checkins/${c.g.checkinId}/kudos`),
    allowed: canRead,
  },
  { route: "POST /api/goals/{id}/follow", request: (_a, c) => post(`${g(c)}/follow`), allowed: canRead },
  { route: "DELETE /api/goals/{id}/follow", request: (_a, c) => del(`${g(c)}/follow`), allowed: canRead },
  {
    route: "POST /api/goals",
    label: "aligned under the goal",
    request: (_a, c) => post("/api/goals", { title: "Write two issues a month", parentId: c.g.id }),
    allowed: canRead,
    // The same answer as a parent that does not exist.
    denied: () => ({ status: 422, code: "parent_not_found" }),
  },
  {
    route: "POST /api/commitments",
    label: "on the goal's step",
    request: (_a, c) => post("/api/commitments", { stepId: c.g.stepId, dueDate: "2026-11-28" }),
    allowed: canRead,
  },
  {
    route: "POST /api/commitments",
    label: "on the goal",
    request: (_a, c) => post("/api/commitments", { goalId: c.g.id, dueDate: "2026-11-28" }),
    allowed: canRead,
  },

  // Writes: the goal's owner only.
  {
    route: "PATCH /api/goals/{id}",
    request: (a, c) => patch(g(c), { successLooksLike: `Checked by ${a}` }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/drop",
    request: (_a, c) => post(`${g(c)}/drop`, { reason: "Testing who may drop it" }),
    allowed: isGoalOwner,
    restore: (_a, c) => asGoalOwner(c.w, patch(g(c), { status: "active" }), 200),
  },
  {
    route: "POST /api/goals/{id}/key-results",
    request: (_a, c) => post(`${g(c)}/key-results`, { title: "Referrals", startValue: 0, targetValue: 50 }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/plan",
    request: (_a, c) => post(`${g(c)}/plan`, { steps: [{ text: "Email Raj one question" }] }),
    allowed: isGoalOwner,
  },

  {
    route: "PATCH /api/key-results/{id}",
    request: (a, c) => patch(`/api/key-results/${c.g.keyResultId}`, { unit: `users (${a})` }),
    allowed: isGoalOwner,
  },
  {
    route: "PATCH /api/goals/{id}/key-results/{childId}",
    request: (a, c) => patch(`${g(c)}/key-results/${c.g.keyResultId}`, { title: `Subscribers (${a})` }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/steps",
    request: (_a, c) => post(`${g(c)}/steps`, { text: "Ask Raj for two intros" }),
    allowed: isGoalOwner,
  },
  {
    route: "PATCH /api/steps/{id}",
    label: "an unassigned step",
    request: (_a, c) => patch(`/api/steps/${c.g.stepId}`, { estimateMinutes: 25 }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/steps/{id}/done",
    label: "an unassigned step",
    request: (_a, c) => post(`/api/steps/${c.g.stepId}/done`, {}),
    allowed: isGoalOwner,
    restore: (_a, c) =>
      asGoalOwner(
        c.w,
        patch(`/api/steps/${c.g.stepId}`, { status: "todo", reason: "Reset for the next case" }),
        200,
      ),
  },
  // permissions.md: a step's assignee who may read its goal may move its status; assigning with
  // ownerId alone does not share a private goal (delegation does).
  {
    route: "PATCH /api/steps/{id}",
    label: "the assignee moves its status",
    request: (_a, c) => patch(`/api/steps/${c.g.assignedStepId}`, { status: "doing" }),
    allowed: (a, c) => a === "goalOwner" || (a === "member" && canRead(a, c)),
    restore: (_a, c) =>
      asGoalOwner(
        c.w,
        patch(`/api/steps/${c.g.assignedStepId}`, { status: "todo", reason: "Reset for the next case" }),
        200,
      ),
  },
  {
    route: "POST /api/steps/{id}/done",
    label: "the assignee marks it done",
    request: (_a, c) => post(`/api/steps/${c.g.assignedStepId}/done`, {}),
    allowed: (a, c) => a === "goalOwner" || (a === "member" && canRead(a, c)),
    restore: (_a, c) =>
      asGoalOwner(
        c.w,
        patch(`/api/steps/${c.g.assignedStepId}`, { status: "todo", reason: "Reset for the next case" }),
        200,
      ),
  },
  {
    route: "PATCH /api/steps/{id}",
    label: "the assignee rewords it",
    request: (a, c) =>
      patch(`/api/steps/${c.g.assignedStepId}`, { text: `Call Dana to book the podcast (${a})` }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/resources",
    request: (_a, c) => post(`${g(c)}/resources`, { kind: "tool", name: "Mailchimp" }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/barriers",
    request: (_a, c) =>
      post(`${g(c)}/barriers`, { obstacle: "The list bounces", planB: "If it bounces, then I clean it" }),
    allowed: isGoalOwner,
  },
  {
    route: "PATCH /api/goals/{id}/barriers/{childId}",
    request: (_a, c) => patch(`${g(c)}/barriers/${c.g.barrierId}`, { likelihood: "medium" }),
    allowed: isGoalOwner,
  },
  {
    route: "PATCH /api/barriers/{id}",
    request: (_a, c) =>
      patch(`/api/barriers/${c.g.barrierId}`, { likelihood: "medium", reason: "Less likely" }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/barriers/{id}/remove",
    label: "a spare barrier",
    request: async (_a, c) => {
      const spare = { obstacle: "The venue cancels", planB: "If it cancels, then I book the café" };
      const b = await must<{ id: number }>(c.w.people.goalOwner.api, post(`${g(c)}/barriers`, spare), 201);
      return post(`/api/barriers/${b.id}/remove`, { reason: "We booked two venues" });
    },
    allowed: isGoalOwner,
  },
  {
    route: "PATCH /api/resources/{id}",
    request: (a, c) => patch(`/api/resources/${c.g.resourceId}`, { ask: `Share the issue (${a})` }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/resources/{id}/remove",
    label: "a spare resource",
    request: async (_a, c) => {
      const spare = { kind: "tool", name: "Typeform" };
      const r = await must<{ id: number }>(c.w.people.goalOwner.api, post(`${g(c)}/resources`, spare), 201);
      return post(`/api/resources/${r.id}/remove`, { reason: "We use the web form" });
    },
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/checkins",
    request: (_a, c) => post(`${g(c)}/checkins`, { confidence: "on-track", note: "Quiet week" }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/shares",
    request: (_a, c) => post(`${g(c)}/shares`, { userId: c.w.people.partner.userId, role: "partner" }),
    allowed: isGoalOwner,
  },
  {
    route: "DELETE /api/goals/{id}/shares/{childId}",
    request: (_a, c) => del(`${g(c)}/shares/${c.w.people.partner.userId}`),
    allowed: isGoalOwner,
    restore: (_a, c) =>
      asGoalOwner(c.w, post(`${g(c)}/shares`, { userId: c.w.people.partner.userId, role: "partner" }), 201),
  },
  {
    route: "POST /api/goals/{id}/playbooks",
    request: (_a, c) => post(`${g(c)}/playbooks`, { playbookId: c.w.sparePlaybookId }),
    allowed: isGoalOwner,
    restore: (_a, c) => asGoalOwner(c.w, del(`${g(c)}/playbooks/${c.w.sparePlaybookId}`), 200),
  },
  {
    route: "DELETE /api/goals/{id}/playbooks/{playbookId}",
    request: (_a, c) => del(`${g(c)}/playbooks/${c.w.playbookId}`),
    allowed: isGoalOwner,
    restore: (_a, c) => asGoalOwner(c.w, post(`${g(c)}/playbooks`, { playbookId: c.w.playbookId }), 201),
  },
  {
    route: "POST /api/commitments/{id}/resolve",
    label: "goalOwner's commitment on the step",
    request: (_a, c) => post(`/api/commitments/${c.g.commitmentId}/resolve`, { status: "open" }),
    allowed: isGoalOwner,
  },

  // Delegation last: it hands a step (and a share) to someone.
  {
    route: "POST /api/steps/{id}/delegate",
    request: (a, c) =>
      post(`/api/steps/${c.g.delegableStepId}/delegate`, {
        assigneeId: colleagueOf(a, c.w),
        doneLooksLike: "Flyers on the stand",
      }),
    allowed: isGoalOwner,
  },
  {
    route: "POST /api/goals/{id}/delegate",
    request: (a, c) =>
      post(`${g(c)}/delegate`, { assigneeId: colleagueOf(a, c.w), doneLooksLike: "2,000 subscribers" }),
    allowed: isGoalOwner,
  },
];

/** Routes served but not in the OpenAPI document (checked above all the same). */
const UNDOCUMENTED = new Set(["GET /api/health", "GET /api/openapi.json", "GET /api/docs"]);

const caseName = (c: Case<Ctx> | Case<GoalCtx>) => (c.label ? `${c.route} (${c.label})` : c.route);

/** Checks one case for every actor; returns the mismatches. */
async function walk<C extends Ctx>(kase: Case<C>, c: C, where: string, tally: Tally): Promise<string[]> {
  const wrong: string[] = [];
  await kase.before?.(c);
  for (const actor of ACTORS) {
    const req = await kase.request(actor, c);
    const a = await send(clientOf(c.w, actor), req);
    const code = (a.json as { error?: { code?: string } } | null)?.error?.code;
    const got = `${a.status}${code ? ` ${code}` : ""}`;
    const say = (exp: string) =>
      wrong.push(`${actor} ${req.method} ${req.path} ${where} expected ${exp} got ${got}`);
    tally.calls++;
    if (code === "route_not_found") {
      say("a served route");
      continue;
    }
    const ok = a.status >= 200 && a.status < 300;
    let allowed: boolean;
    if (actor === "anonymous") {
      allowed = kase.public === true;
      if (!allowed && (a.status !== 401 || code !== "unauthenticated")) say("401 unauthenticated");
    } else {
      allowed = kase.allowed(actor, c);
      const d = allowed ? undefined : (kase.denied?.(actor, c) ?? { status: 404 });
      if (d && (a.status !== d.status || (d.code !== undefined && code !== d.code)))
        say(`${d.status}${d.code ? ` ${d.code}` : ""}`);
      if (allowed && kase.holds && ok) {
        tally.listChecks++;
        const expected = kase.holds.expected(actor, c);
        if (kase.holds.found(a, c) !== expected)
          wrong.push(
            `${actor} ${req.method} ${req.path} ${where} expected ${expected ? "to see" : "not to see"} ${kase.holds.what}, ${expected ? "missing" : "present"}`,
          );
      }
    }
    if (allowed) {
      tally.allowed++;
      if (!ok) say("2xx");
    } else tally.denied++;
    if (ok && actor !== "anonymous") await kase.restore?.(actor, c);
  }
  return wrong;
}

interface Tally {
  calls: number;
  allowed: number;
  denied: number;
  listChecks: number;
}

describe.each(DIALECTS)("the authorization matrix on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let w: World;
  const tag = `m${d}`;
  const tally: Tally = { calls: 0, allowed: 0, denied: 0, listChecks: 0 };
  let started = 0;

  beforeAll(async () => {
    if (skip) return;
    started = Date.now();
    db = await freshStore(d);
    matrixStore = db.store;
    w = await buildWorld(testApp(fixedContext(db.store)), db.store, tag);
  });
  afterAll(async () => {
    if (!skip)
      console.log(
        `authorization matrix on ${d}: ${tally.calls} calls (${tally.allowed} allowed, ${tally.denied} refused), ${tally.listChecks} list checks, ${PLAIN.length} plain rows, ${GOAL.length} goal rows × ${VISIBILITIES.length} visibilities, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    await db?.dispose();
  });

  it.skipIf(skip)(
    "has a row for every route of the OpenAPI document, and no row for a route gone",
    async () => {
      const doc = (
        await must<{ paths: Record<string, Record<string, unknown>> }>(w.app, get("/api/openapi.json"), 200)
      ).paths;
      const documented = new Set(
        Object.entries(doc).flatMap(([path, ops]) =>
          Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
        ),
      );
      const mapped = new Set([...PLAIN, ...GOAL].map((c) => c.route));
      const unmapped = [...documented].filter((r) => !mapped.has(r)).sort();
      const gone = [...mapped].filter((r) => !documented.has(r) && !UNDOCUMENTED.has(r)).sort();
      expect(unmapped, "routes without a row in the authorization matrix").toEqual([]);
      expect(gone, "rows for routes the document no longer has").toEqual([]);
    },
  );

  it.skipIf(skip)("set-up gives each list something to show", async () => {
    const goalOwner = w.people.goalOwner.api;
    for (const v of VISIBILITIES) {
      const report = (await send(goalOwner, get("/api/report"))).json as { wins: Json[] };
      expect(
        report.wins.some((x) => x.goalId === w.goals[v].id),
        `a win of the ${v} goal`,
      ).toBe(true);
    }
  });

  for (const kase of PLAIN) {
    it.skipIf(skip)(caseName(kase), async () => {
      expect(await walk(kase, { w, tag }, "", tally)).toEqual([]);
    });
  }

  for (const kase of GOAL) {
    it.skipIf(skip)(`${caseName(kase)} × visibility`, async () => {
      const wrong: string[] = [];
      for (const v of VISIBILITIES)
        wrong.push(...(await walk(kase, { w, tag, g: w.goals[v] }, `[${v}]`, tally)));
      expect(wrong).toEqual([]);
    });
  }
});
