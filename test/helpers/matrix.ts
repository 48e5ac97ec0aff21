/**
 * The world the authorization matrix walks: one workspace with a team, its owner, a leader, a
 * member, a goal owner and a shared partner; another workspace; and, for each visibility, a goal
 * with everything a plan holds. Everything is made through the HTTP API except the second
 * workspace, which the API cannot make (sign-up is invite-only after the first account).
 */
import { hashPassword } from "../../src/app/people/secrets.js";
import type { Store } from "../../src/store/db.js";
import { NOW } from "./factories.js";
import { type Client, type Person, signUp } from "./http.js";

/** Who calls. */
export const ACTORS = [
  "anonymous",
  "otherWorkspace",
  "member",
  "leader",
  "owner",
  "goalOwner",
  "partner",
] as const;
export type ActorName = (typeof ACTORS)[number];
/** Everyone who signs in. */
export type SignedIn = Exclude<ActorName, "anonymous">;

/** The visibilities a goal can have. */
export const VISIBILITIES = ["private", "team", "workspace"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** The password of every account the matrix makes. */
export const PASSWORD = "correct horse battery staple";

/** The last day of the fixed week (NOW is Saturday 2026-11-21): due "this week". */
export const THIS_WEEK = "2026-11-22";

/** An HTTP answer: its status, its JSON (or null) and its raw text. */
export interface Answer {
  status: number;
  json: unknown;
  text: string;
}

/** What to send. */
export interface Request {
  method: string;
  path: string;
  /** A JSON body. */
  body?: unknown;
  /** A raw body with its content type (imports). */
  raw?: { text: string; contentType: string };
}

/** Sends a request and reads the answer whatever its type. */
export async function send(client: Client, req: Request): Promise<Answer> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (req.raw) {
    headers["content-type"] = req.raw.contentType;
    body = req.raw.text;
  } else if (req.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(req.body);
  }
  const res = await client.request(req.path, { method: req.method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

/** Sends a set-up request and fails loudly unless it answers `status`. */
export async function must<T = Record<string, unknown>>(
  client: Client,
  req: Request,
  status: number,
): Promise<T> {
  const a = await send(client, req);
  if (a.status !== status) {
    throw new Error(`set-up ${req.method} ${req.path} answered ${a.status} (wanted ${status}): ${a.text}`);
  }
  return a.json as T;
}

/** Signs an existing account in with its password and makes an API token, like `signUp` does. */
export async function signIn(app: Client, email: string, password: string = PASSWORD): Promise<Person> {
  const res = await app.request("/api/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${email} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { user: { id: number }; csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const withHeaders = (init: RequestInit | undefined, extra: Record<string, string>): RequestInit => ({
    ...init,
    headers: { ...(init?.headers as Record<string, string> | undefined), ...extra },
  });
  const browser: Client = {
    request: async (path, init) =>
      app.request(path, withHeaders(init, { cookie, "x-csrf-token": body.csrfToken })),
  };
  const made = await must<{ token: string }>(
    browser,
    { method: "POST", path: "/api/tokens", body: { name: "matrix" } },
    201,
  );
  const api: Client = {
    request: async (path, init) =>
      app.request(path, withHeaders(init, { authorization: `Bearer ${made.token}` })),
  };
  return { userId: body.user.id, token: made.token, cookie, csrfToken: body.csrfToken, api, browser };
}

/**
 * Makes a second workspace straight in the store (set-up only): its owner, who can sign in, and a
 * second person without an account, so the owner has someone of their own to name in bodies.
 */
export async function makeOtherWorkspace(
  store: Store,
  email: string,
): Promise<{ workspaceId: number; colleagueId: number }> {
  const ws = await store.db
    .insertInto("workspaces")
    .values({ name: "Elsewhere Ltd", createdAt: NOW })
    .returning("id")
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto("users")
    .values({
      workspaceId: ws.id,
      name: "Otto Other",
      email,
      passwordHash: await hashPassword(PASSWORD),
      workspaceRole: "owner",
      createdAt: NOW,
    })
    .execute();
  const colleague = await store.db
    .insertInto("users")
    .values({ workspaceId: ws.id, name: "Bea Other", email: null, passwordHash: null, createdAt: NOW })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { workspaceId: ws.id, colleagueId: colleague.id };
}

/** One goal of the matrix and every child it holds. */
export interface GoalFixture {
  visibility: Visibility;
  id: number;
  title: string;
  keyResultId: number;
  /** Open, unassigned, due this week: in the goal owner's week. */
  stepId: number;
  /** Done by the check-in: the goal's win. */
  doneStepId: number;
  /** Assigned to `member` (its owner_id), due this week. */
  assignedStepId: number;
  /** Kept for the delegation routes, so delegating it changes nothing else. */
  delegableStepId: number;
  resourceId: number;
  barrierId: number;
  checkinId: number;
  /** The goal owner's commitment on `stepId`, witnessed by nobody. */
  commitmentId: number;
}

/** Everything the matrix calls with. */
export interface World {
  app: Client;
  people: Record<SignedIn, Person>;
  teamId: number;
  /** The other workspace's second person (no account). */
  otherColleagueId: number;
  /** A playbook without a team (linked to every matrix goal). */
  playbookId: number;
  /** A second playbook without a team, never linked in set-up. */
  sparePlaybookId: number;
  /** A playbook of team T. */
  teamPlaybookId: number;
  /** An open invitation's token. */
  invitationToken: string;
  /** A step delegation from goalOwner to member on a private goal of its own. */
  delegationId: number;
  /** goalOwner's commitments witnessed by leader, and by team T. */
  witnessedByLeaderId: number;
  witnessedByTeamId: number;
  /** An API token of each person, made in set-up (its id). */
  tokenIds: Record<SignedIn, number>;
  goals: Record<Visibility, GoalFixture>;
}

/** The client an actor calls with (anonymous: no headers). */
export function clientOf(w: World, actor: ActorName): Client {
  return actor === "anonymous" ? w.app : w.people[actor].api;
}

async function invite(by: Person, body: Record<string, unknown>): Promise<string> {
  return (await must<{ token: string }>(by.api, { method: "POST", path: "/api/invitations", body }, 201))
    .token;
}

/** Builds the world through the API (and the other workspace through the store). */
export async function buildWorld(app: Client, store: Store, tag: string): Promise<World> {
  const owner = await signUp(app, {
    email: `owner-${tag}@example.com`,
    name: "Olu Owner",
    password: PASSWORD,
  });
  const team = await must<{ id: number }>(
    owner.api,
    { method: "POST", path: "/api/teams", body: { name: "Growth" } },
    201,
  );
  const leader = await signUp(app, {
    email: `leader-${tag}@example.com`,
    name: "Lena Leader",
    password: PASSWORD,
    inviteToken: await invite(owner, { teamId: team.id, role: "leader", email: `leader-${tag}@example.com` }),
  });
  const member = await signUp(app, {
    email: `member-${tag}@example.com`,
    name: "Mia Member",
    password: PASSWORD,
    inviteToken: await invite(owner, { teamId: team.id, role: "member", email: `member-${tag}@example.com` }),
  });
  const goalOwner = await signUp(app, {
    email: `goalowner-${tag}@example.com`,
    name: "Gus Goalowner",
    password: PASSWORD,
    inviteToken: await invite(owner, {
      teamId: team.id,
      role: "member",
      email: `goalowner-${tag}@example.com`,
    }),
  });
  const partner = await signUp(app, {
    email: `partner-${tag}@example.com`,
    name: "Pat Partner",
    password: PASSWORD,
    inviteToken: await invite(owner, { email: `partner-${tag}@example.com` }),
  });
  const other = await makeOtherWorkspace(store, `other-${tag}@example.com`);
  const otherWorkspace = await signIn(app, `other-${tag}@example.com`);
  const people: Record<SignedIn, Person> = { otherWorkspace, member, leader, owner, goalOwner, partner };

  const tokenIds = {} as Record<SignedIn, number>;
  for (const [name, p] of Object.entries(people) as [SignedIn, Person][]) {
    const t = await must<{ id: number }>(
      p.api,
      { method: "POST", path: "/api/tokens", body: { name: `matrix ${name}` } },
      201,
    );
    tokenIds[name] = t.id;
  }

  const playbook = await must<{ id: number }>(
    owner.api,
    {
      method: "POST",
      path: "/api/playbooks",
      body: { title: "Launch checklist", body: "# Launch\n\n## Steps\n\n- [ ] Draft the outline\n" },
    },
    201,
  );
  const spare = await must<{ id: number }>(
    owner.api,
    { method: "POST", path: "/api/playbooks", body: { title: "Spare playbook", body: "Spare." } },
    201,
  );
  const teamPlaybook = await must<{ id: number }>(
    owner.api,
    {
      method: "POST",
      path: "/api/playbooks",
      body: { title: "Growth team playbook", body: "Team only.", teamId: team.id },
    },
    201,
  );
  const invitationToken = await invite(owner, { teamId: team.id, role: "member" });

  // A delegation of its own, on a private goal outside the matrix goals, so that its routes
  // (accept, clarify, answer) change nothing the goal cases read.
  const dGoal = await must<{ id: number }>(
    goalOwner.api,
    {
      method: "POST",
      path: "/api/goals",
      body: { title: `Delegated work ${tag}`, visibility: "private", dueDate: "2027-03-31" },
    },
    201,
  );
  const dStep = await must<{ id: number }>(
    goalOwner.api,
    { method: "POST", path: `/api/goals/${dGoal.id}/steps`, body: { text: "Book the venue for the launch" } },
    201,
  );
  const delegation = await must<{ id: number }>(
    goalOwner.api,
    {
      method: "POST",
      path: `/api/steps/${dStep.id}/delegate`,
      body: { assigneeId: member.userId, doneLooksLike: "A signed booking" },
    },
    201,
  );
  const byLeader = await must<{ id: number }>(
    goalOwner.api,
    {
      method: "POST",
      path: "/api/commitments",
      body: { text: "Send the draft to Lena", dueDate: "2026-11-27", witnessUserIds: [leader.userId] },
    },
    201,
  );
  const byTeam = await must<{ id: number }>(
    goalOwner.api,
    {
      method: "POST",
      path: "/api/commitments",
      body: { text: "Demo the prototype to the team", dueDate: "2026-11-27", witnessTeamId: team.id },
    },
    201,
  );

  const w: World = {
    app,
    people,
    teamId: team.id,
    otherColleagueId: other.colleagueId,
    playbookId: playbook.id,
    sparePlaybookId: spare.id,
    teamPlaybookId: teamPlaybook.id,
    invitationToken,
    delegationId: delegation.id,
    witnessedByLeaderId: byLeader.id,
    witnessedByTeamId: byTeam.id,
    tokenIds,
    goals: {} as Record<Visibility, GoalFixture>,
  };
  for (const v of VISIBILITIES) w.goals[v] = await buildGoalFixture(w, v, tag);
  return w;
}

/** A goal of `goalOwner` in team T with the given visibility and a whole plan, shared with `partner`. */
async function buildGoalFixture(w: World, visibility: Visibility, tag: string): Promise<GoalFixture> {
  const api = w.people.goalOwner.api;
  const title = `Matrix ${visibility} goal ${tag}`;
  const goal = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: "/api/goals",
      body: {
        title,
        why: "Readers fund the work",
        teamId: w.teamId,
        visibility,
        startDate: "2026-11-01",
        dueDate: "2027-03-31",
      },
    },
    201,
  );
  const g = `/api/goals/${goal.id}`;
  const kr = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: `${g}/key-results`,
      body: { title: "Subscribers", startValue: 1200, targetValue: 2000, unit: "users" },
    },
    201,
  );
  const step = await must<{ id: number }>(
    api,
    { method: "POST", path: `${g}/steps`, body: { text: "Email Raj the revised deck", dueDate: THIS_WEEK } },
    201,
  );
  const doneStep = await must<{ id: number }>(
    api,
    { method: "POST", path: `${g}/steps`, body: { text: "Draft the welcome email", dueDate: "2026-11-20" } },
    201,
  );
  const assigned = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: `${g}/steps`,
      body: { text: "Call Dana to book the podcast", dueDate: THIS_WEEK, ownerId: w.people.member.userId },
    },
    201,
  );
  const delegable = await must<{ id: number }>(
    api,
    { method: "POST", path: `${g}/steps`, body: { text: "Print the flyers for the fair" } },
    201,
  );
  const resource = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: `${g}/resources`,
      body: { kind: "person", name: "Dana", ask: "Share the issue" },
    },
    201,
  );
  const barrier = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: `${g}/barriers`,
      body: {
        obstacle: "Sponsor approval slips",
        planB: "If approval slips past Friday, then I ask Dana to sign",
        likelihood: "high",
      },
    },
    201,
  );
  const checkin = await must<{ id: number }>(
    api,
    {
      method: "POST",
      path: `${g}/checkins`,
      body: {
        krValues: [{ keyResultId: kr.id, value: 1350 }],
        confidence: "on-track",
        doneText: "Drafted the welcome email",
        stepsDone: [doneStep.id],
      },
    },
    201,
  );
  await must(
    api,
    { method: "POST", path: `/api/checkins/${checkin.id}/comments`, body: { body: "Go!" } },
    201,
  );
  const commitment = await must<{ id: number }>(
    api,
    { method: "POST", path: "/api/commitments", body: { stepId: step.id, dueDate: "2026-11-27" } },
    201,
  );
  await must(
    api,
    { method: "POST", path: `${g}/shares`, body: { userId: w.people.partner.userId, role: "partner" } },
    201,
  );
  await must(api, { method: "POST", path: `${g}/playbooks`, body: { playbookId: w.playbookId } }, 201);
  return {
    visibility,
    id: goal.id,
    title,
    keyResultId: kr.id,
    stepId: step.id,
    doneStepId: doneStep.id,
    assignedStepId: assigned.id,
    delegableStepId: delegable.id,
    resourceId: resource.id,
    barrierId: barrier.id,
    checkinId: checkin.id,
    commitmentId: commitment.id,
  };
}
