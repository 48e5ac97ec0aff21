/**
 * The web app's API calls, one function per route, over the client shared with the CLI
 * (src/client: openapi-fetch and the types generated from /api/openapi.json). Request bodies and
 * answers are typed by the OpenAPI document, so a route whose schema changes breaks the build here.
 *
 * Authentication: with accounts, the session is an HttpOnly cookie and every write sends the
 * CSRF token from the session answer in `X-CSRF-Token`. Without accounts (a server where
 * /api/auth/* does not exist yet) the API acts as the local owner and no token is needed.
 */
import {
  type Answer,
  type Body,
  createApiClient,
  dataOrThrow,
  type ErrorParts,
  type Outcome,
  type operations,
  type Query,
  type Schemas,
} from "../../../src/client/client.js";

/** How sure someone is at a check-in. */
export type Confidence = NonNullable<Schemas["Checkin"]["confidence"]>;
/** How likely a barrier is. */
export type Likelihood = Schemas["Barrier"]["likelihood"];
/** What kind of help a resource is. */
export type ResourceKind = Schemas["Resource"]["kind"];

/** A goal. */
export type Goal = Schemas["Goal"];
/** A key result: from a start value to a target. */
export type KeyResult = Schemas["KeyResult"];
/** A micro-step of a goal. */
export type Step = Schemas["Step"];
/** A person, tool, system or playbook that helps a goal. */
export type Resource = Schemas["Resource"];
/** An anticipated obstacle with its Plan B. */
export type Barrier = Schemas["Barrier"];
/** A check-in. */
export type Checkin = Schemas["Checkin"];
/** A check-in as written, with the Plan Bs of the obstacles it hit. */
export type CheckinResult = Answer<"createCheckin">;
/** A commitment to a step or goal by a date. */
export type Commitment = Schemas["Commitment"];
/** A delegated step or goal. */
export type Delegation = Schemas["Delegation"];
/** A change to a goal or key result, with its reason. */
export type ChangeRecord = Schemas["Change"];
/** A goal with everything in it. */
export type Plan = Answer<"getPlan">;
/** A goal's status on a day. */
export type GoalStatusView = Schemas["GoalStatus"];
/** The follow-through report. */
export type FollowThroughReportView = Schemas["FollowThroughReport"];
/** The wins feed of a window. */
export type WinsFeed = Schemas["WinsFeed"];
/** The team view. */
export type TeamOverview = Schemas["TeamOverview"];
/** My week. */
export type Week = Answer<"getWeek">;
/** A playbook with its body rendered to sanitized HTML. */
export type Playbook = Schemas["RenderedPlaybook"];
/** One saved version of a playbook. */
export type PlaybookVersion = Answer<"listPlaybookVersions">["items"][number];

/** A finding of the coach: what is wrong and how to fix it. */
export type Finding = Schemas["Finding"];

/** An object as written, with the coach's findings on it. */
export type WithWarnings<T> = T & { warnings?: Finding[] };

/** One linted text (POST /api/coach/lint). */
export type LintItem = Schemas["LintItem"];

/** Comments and kudos on a check-in. */
export type Feedback = Answer<"getFeedback">;

/** A playbook in the list. */
export type PlaybookSummary = Answer<"listPlaybooks">["items"][number];

/** The signed-in person, their workspace and teams. */
export type Session = Answer<"getSession"> & {
  /** True when the server has no accounts yet and acts as the local owner. */
  local: boolean;
};

/** An API token as listed (the secret is shown once, on creation). */
export type ApiToken = Schemas["ApiToken"] & { token?: string };

/** A team with its members (GET /api/teams). */
export type Team = Schemas["Team"];

/** What an invitation link offers. */
export type InvitationInfo = Answer<"getInvitation">;

/** Personal settings: the values goals can serve, where and when nudges go. */
export type Settings = Schemas["Settings"];

/** An invitation just made: its single-use link is `path` (/join/<token>). */
export type Invitation = Answer<"createInvitation">;

/** One notice in my inbox. */
export type Notice = Schemas["Notice"];

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What an import did, and the coach's report on the new steps. */
export type ImportOutcome = Schemas["ImportResult"];

/** What the CSV and OKR import answers, previewed or done (POST /api/import/csv). */
export type OkrImportOutcome = Schemas["OkrImportResult"];

/** The tools an export can come from (the import route's `source`). */
type ImportSource = operations["importPlans"]["parameters"]["path"]["source"];

/** An error the API answered with (`{error:{code,message,details}}`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** True when the route does not exist on this server (yet). */
  get missing(): boolean {
    return this.status === 404 && this.code === "route_not_found";
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the CSRF token to send with writes. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 (the session ended). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

const client = createApiClient({
  baseUrl: "",
  credentials: "same-origin",
  headers: { Accept: "application/json" },
});
client.use({
  onRequest({ request }) {
    if (request.method !== "GET" && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
  },
});

/**
 * Waits for one call and returns its data, or throws an ApiError carrying the API's message. A 401
 * ends the session in the app unless `quiet401` (asking who is signed in, signing in).
 */
async function call<D>(outcome: Promise<Outcome<D>>, opts: { quiet401?: boolean } = {}): Promise<D> {
  const fail = (res: Response, err: ErrorParts) => {
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    return new ApiError(
      res.status,
      err.code ?? `http_${res.status}`,
      err.message ?? `The server answered ${res.status} ${res.statusText || ""}`.trim(),
      err.details ?? {},
    );
  };
  try {
    return await dataOrThrow(outcome, fail);
  } catch (e) {
    if (e instanceof ApiError || (e instanceof DOMException && e.name === "AbortError")) throw e;
    throw new ApiError(0, "network_error", "The server could not be reached. Check that it is running.");
  }
}

const id = (value: number) => ({ path: { id: value } });
const child = (goal: number, childId: number) => ({ path: { id: goal, childId } });

/** Every API call the web app makes, one function per route. */
export const api = {
  auth: {
    setup: () => call(client.GET("/api/auth/setup")),
    session: async (): Promise<Session> => {
      const s = await call(client.GET("/api/auth/session"), { quiet401: true });
      return { ...s, local: false };
    },
    signUp: (body: Body<"signUp">) => call(client.POST("/api/auth/sign-up", { body })),
    signIn: (body: Body<"signIn">) => call(client.POST("/api/auth/sign-in", { body }), { quiet401: true }),
    signOut: () => call(client.POST("/api/auth/sign-out")),
    invitation: (token: string) =>
      call(client.GET("/api/invitations/{token}", { params: { path: { token } } })),
  },
  teams: {
    list: () => call(client.GET("/api/teams")),
    create: (body: Body<"createTeam">) => call(client.POST("/api/teams", { body })),
    overview: (teamId: number, query: Query<"getTeamOverview"> = {}) =>
      call(client.GET("/api/teams/{id}/overview", { params: { ...id(teamId), query } })),
    invite: (body: Body<"createInvitation">) => call(client.POST("/api/invitations", { body })),
  },
  delegations: {
    list: () => call(client.GET("/api/delegations")),
    delegateStep: (stepId: number, body: Body<"delegateStep">) =>
      call(client.POST("/api/steps/{id}/delegate", { params: id(stepId), body })),
    accept: (delegationId: number) =>
      call(client.POST("/api/delegations/{id}/accept", { params: id(delegationId) })),
    clarify: (delegationId: number, body: Body<"askClarification">) =>
      call(client.POST("/api/delegations/{id}/clarify", { params: id(delegationId), body })),
    answer: (delegationId: number, body: Body<"answerClarification">) =>
      call(client.POST("/api/delegations/{id}/answer", { params: id(delegationId), body })),
  },
  inbox: {
    list: (query: Query<"listInbox"> = {}) => call(client.GET("/api/inbox", { params: { query } })),
    read: (upToId?: number) => call(client.POST("/api/inbox/read", { body: upToId ? { upToId } : {} })),
  },
  week: (asOf?: string) => call(client.GET("/api/week", { params: { query: { asOf } } })),
  goals: {
    list: (query: Query<"listGoals"> = {}) => call(client.GET("/api/goals", { params: { query } })),
    get: (goalId: number) => call(client.GET("/api/goals/{id}", { params: id(goalId) })),
    create: (body: Body<"createGoal">) => call(client.POST("/api/goals", { body })),
    update: (goalId: number, body: Body<"updateGoal">) =>
      call(client.PATCH("/api/goals/{id}", { params: id(goalId), body })),
    plan: (goalId: number, signal?: AbortSignal) =>
      call(client.GET("/api/goals/{id}/plan", { params: id(goalId), signal })),
    history: (goalId: number) => call(client.GET("/api/goals/{id}/history", { params: id(goalId) })),
    status: (goalId: number, asOf?: string) =>
      call(client.GET("/api/goals/{id}/status", { params: { ...id(goalId), query: { asOf } } })),
    addKeyResult: (goalId: number, body: Body<"createKeyResult">) =>
      call(client.POST("/api/goals/{id}/key-results", { params: id(goalId), body })),
    updateKeyResult: (goalId: number, krId: number, body: Body<"updateGoalKeyResult">) =>
      call(client.PATCH("/api/goals/{id}/key-results/{childId}", { params: child(goalId, krId), body })),
    addStep: (goalId: number, body: Body<"createStep">) =>
      call(client.POST("/api/goals/{id}/steps", { params: id(goalId), body })),
    addResource: (goalId: number, body: Body<"createResource">) =>
      call(client.POST("/api/goals/{id}/resources", { params: id(goalId), body })),
    addBarrier: (goalId: number, body: Body<"createBarrier">) =>
      call(client.POST("/api/goals/{id}/barriers", { params: id(goalId), body })),
    updateBarrier: (goalId: number, barrierId: number, body: Body<"updateBarrier">) =>
      call(client.PATCH("/api/goals/{id}/barriers/{childId}", { params: child(goalId, barrierId), body })),
    checkins: (goalId: number) => call(client.GET("/api/goals/{id}/checkins", { params: id(goalId) })),
    checkIn: (goalId: number, body: Body<"createCheckin">) =>
      call(client.POST("/api/goals/{id}/checkins", { params: id(goalId), body })),
  },
  steps: {
    list: (query: Query<"listSteps"> = {}) => call(client.GET("/api/steps", { params: { query } })),
    update: (stepId: number, body: Body<"updateStep">) =>
      call(client.PATCH("/api/steps/{id}", { params: id(stepId), body })),
    done: (stepId: number) => call(client.POST("/api/steps/{id}/done", { params: id(stepId), body: {} })),
  },
  checkins: {
    feedback: (checkinId: number) =>
      call(client.GET("/api/checkins/{id}/feedback", { params: id(checkinId) })),
    comment: (checkinId: number, body: Body<"createComment">) =>
      call(client.POST("/api/checkins/{id}/comments", { params: id(checkinId), body })),
    kudos: (checkinId: number) => call(client.POST("/api/checkins/{id}/kudos", { params: id(checkinId) })),
  },
  commitments: {
    create: (body: Body<"createCommitment">) => call(client.POST("/api/commitments", { body })),
  },
  imports: {
    /** Imports a Taskwarrior, Trello, Todoist or Asana export, sent as it is; importing it again adds nothing. */
    run: (source: string, file: Blob, name?: string) =>
      call(
        client.POST("/api/import/{source}", {
          // The page offers the sources the route takes; the server refuses any other with 400.
          params: { path: { source: source as ImportSource }, query: name ? { name } : {} },
          body: file,
          bodySerializer: (body: Blob) => body,
          headers: { "Content-Type": "application/octet-stream" },
        }),
      ),
    /**
     * Previews (`preview` true: writes nothing) or imports objectives, key results and check-ins
     * from a CSV, with `map` as field=Column pairs; answers the columns, mapping, first rows, the
     * coach's findings and the per-field report.
     */
    csv: (file: Blob, opts: { map?: string; preview: boolean }) =>
      call(
        client.POST("/api/import/csv", {
          params: {
            query: { ...(opts.map ? { map: opts.map } : {}), preview: opts.preview ? "true" : "false" },
          },
          body: file,
          bodySerializer: (body: Blob) => body,
          headers: { "Content-Type": "text/csv" },
        }),
      ),
  },
  playbooks: {
    list: () => call(client.GET("/api/playbooks")),
    get: (playbookId: number) => call(client.GET("/api/playbooks/{id}", { params: id(playbookId) })),
    create: (body: Body<"createPlaybook">) => call(client.POST("/api/playbooks", { body })),
    update: (playbookId: number, body: Body<"updatePlaybook">) =>
      call(client.PUT("/api/playbooks/{id}", { params: id(playbookId), body })),
    versions: (playbookId: number) =>
      call(client.GET("/api/playbooks/{id}/versions", { params: id(playbookId) })),
    /** Renders unsaved Markdown exactly as the server renders a saved playbook (the editor's preview). */
    preview: (body: Body<"previewPlaybook">, signal?: AbortSignal) =>
      call(client.POST("/api/playbooks/preview", { body, signal })),
    /** Saves a goal's plan as a new playbook (key results, steps with their key result, Plan Bs). */
    saveFromGoal: (goalId: number, body: Body<"savePlanAsPlaybook"> = {}) =>
      call(client.POST("/api/goals/{id}/save-as-playbook", { params: id(goalId), body })),
    /** Starts a plan (goal, key results, steps, Plan Bs) from a playbook; answers the plan and its warnings. */
    startPlan: (playbookId: number, body: Body<"createPlanFromPlaybook"> = {}) =>
      call(client.POST("/api/playbooks/{id}/plans", { params: id(playbookId), body })),
  },
  coach: {
    lint: (body: Body<"lintTexts">, signal?: AbortSignal) =>
      call(client.POST("/api/coach/lint", { body, signal })),
  },
  report: (query: Query<"getReport"> = {}) => call(client.GET("/api/report", { params: { query } })),
  wins: (query: Query<"getWins"> = {}) => call(client.GET("/api/wins", { params: { query } })),
  settings: {
    get: () => call(client.GET("/api/settings")),
    update: (body: Body<"updateSettings">) => call(client.PATCH("/api/settings", { body })),
    tokens: () => call(client.GET("/api/tokens")),
    createToken: (body: Body<"createToken">) => call(client.POST("/api/tokens", { body })),
    revokeToken: (tokenId: number) => call(client.DELETE("/api/tokens/{id}", { params: id(tokenId) })),
  },
};

// --- Integrations, and the goals list with status (issue 15, Integrations page) ---

/** A team's Slack or Teams channel (its URL masked). */
export type TeamChannel = Schemas["TeamChannel"];
/** Which kind of team channel. */
export type ChannelKind = TeamChannel["kind"];
/** An outgoing webhook (never its secret). */
export type Webhook = Schemas["Webhook"];
/** One attempt in a hook's delivery log. */
export type HookDelivery = Schemas["WebhookDelivery"];
/** What came of a test message. */
export type TestDelivery = Schemas["TestDelivery"];
/** A goal in the list, with its status at a glance when asked for (`include=status`). */
export type GoalListItem = Schemas["GoalListItem"];
/** A goal's progress, pace and stall, as the goals list shows them. */
export type GoalSummary = NonNullable<GoalListItem["summary"]>;

const channel = (teamId: number, kind: ChannelKind) => ({ path: { id: teamId, kind } });

/** Calls of the Integrations page. */
export const integrationsApi = {
  channels: (teamId: number) =>
    call(client.GET("/api/teams/{id}/integrations", { params: { path: { id: teamId } } })),
  connect: (teamId: number, kind: ChannelKind, webhookUrl: string) =>
    call(
      client.PUT("/api/teams/{id}/integrations/{kind}", {
        params: channel(teamId, kind),
        body: { webhookUrl },
      }),
    ),
  disconnect: (teamId: number, kind: ChannelKind) =>
    call(client.DELETE("/api/teams/{id}/integrations/{kind}", { params: channel(teamId, kind) })),
  testChannel: (teamId: number, kind: ChannelKind) =>
    call(client.POST("/api/teams/{id}/integrations/{kind}/test", { params: channel(teamId, kind) })),
  channelDeliveries: (teamId: number, kind: ChannelKind) =>
    call(
      client.GET("/api/teams/{id}/integrations/{kind}/deliveries", {
        params: { ...channel(teamId, kind), query: { limit: 10 } },
      }),
    ),
  webhooks: () => call(client.GET("/api/webhooks")),
  createWebhook: (body: Body<"createWebhook">) => call(client.POST("/api/webhooks", { body })),
  deleteWebhook: (webhookId: number) => call(client.DELETE("/api/webhooks/{id}", { params: id(webhookId) })),
  testWebhook: (webhookId: number) => call(client.POST("/api/webhooks/{id}/test", { params: id(webhookId) })),
  deliveries: (webhookId: number) =>
    call(client.GET("/api/webhooks/{id}/deliveries", { params: { ...id(webhookId), query: { limit: 10 } } })),
};

// --- end of the Integrations block ---
// ---- Plans: a whole plan in one request (the plan builder, issue 15) ----

/** A plan just saved or finished, with the coach's warnings. */
export type CreatedPlan = Answer<"createPlan">;

/** The plan builder's calls: a whole plan saved, or an unfinished one finished, in one request each. */
export const plansApi = {
  /** Saves a goal and every part of its plan in one transaction (POST /api/plans). */
  create: (body: Body<"createPlan">) => call(client.POST("/api/plans", { body })),
  /** Changes a goal and adds new parts to its plan in one transaction (POST /api/goals/{id}/plan). */
  finish: (goalId: number, body: Body<"addToPlan">) =>
    call(client.POST("/api/goals/{id}/plan", { params: id(goalId), body })),
};

// --- Issue 15 (my week in one answer, the delegation loop, notifications): calls and types. ---

/** One goal of My week with its status summary and check-in days. */
export type WeekGoal = Schemas["WeekGoal"];
/** An open delegation as the team page lists it. */
export type TeamDelegation = Schemas["TeamDelegation"];

/** The calls issue 15 added. */
export const loopApi = {
  /** Marks one of my notices read (opening what it names). */
  readNotice: (noticeId: number) => call(client.POST("/api/inbox/{id}/read", { params: id(noticeId) })),
  /** The open delegations of a team's members. */
  teamDelegations: (teamId: number) =>
    call(client.GET("/api/teams/{id}/delegations", { params: id(teamId) })),
};

// --- The goal page (issue 15): its one request, and the edits it makes after saving. ---

/** Everything the goal page shows, in one answer (GET /api/goals/{id}/page). */
export type GoalPageData = Answer<"getGoalPage">;
/** What the reader may do on the goal page, each decided by the server's policy. */
export type GoalAllowed = GoalPageData["allowed"];

/** The goal page's calls. */
export const goalPageApi = {
  page: (goalId: number, signal?: AbortSignal) =>
    call(client.GET("/api/goals/{id}/page", { params: id(goalId), signal })),
  updateBarrier: (barrierId: number, body: Body<"updateBarrierById">) =>
    call(client.PATCH("/api/barriers/{id}", { params: id(barrierId), body })),
  removeBarrier: (barrierId: number, body: Body<"removeBarrier">) =>
    call(client.POST("/api/barriers/{id}/remove", { params: id(barrierId), body })),
  updateResource: (resourceId: number, body: Body<"updateResource">) =>
    call(client.PATCH("/api/resources/{id}", { params: id(resourceId), body })),
  removeResource: (resourceId: number, body: Body<"removeResource">) =>
    call(client.POST("/api/resources/{id}/remove", { params: id(resourceId), body })),
};

// --- Accounts (issue 16, defect 8): passwords, sign out everywhere, reset links. ---

/** The account-safety calls: change my password, sign out everywhere, reset a forgotten password. */
export const accountsApi = {
  changePassword: (body: Body<"changePassword">) => call(client.POST("/api/auth/password", { body })),
  signOutEverywhere: (body: Body<"signOutEverywhere">) =>
    call(client.POST("/api/auth/sign-out-everywhere", { body })),
  forgotPassword: (body: Body<"requestPasswordReset">) =>
    call(client.POST("/api/auth/forgot-password", { body }), { quiet401: true }),
  resetPassword: (body: Body<"resetPassword">) =>
    call(client.POST("/api/auth/reset-password", { body }), { quiet401: true }),
  resetLink: (userId: number) => call(client.POST("/api/people/{id}/reset-link", { params: id(userId) })),
};
