/**
 * The typed API client. Request bodies are typed from the same zod schemas the server validates
 * with (src/app/<feature>.ts, via `z.input`), responses from the shared model (src/core/types.ts)
 * and the app layer's view types. Every import from src/ is type-only, so no server code reaches
 * the bundle.
 *
 * Authentication: with accounts, the session is an HttpOnly cookie and every write sends the
 * CSRF token from the session answer in `X-CSRF-Token`. Without accounts (a server where
 * /api/auth/* does not exist yet) the API acts as the local owner and no token is needed.
 */
import type { z } from "zod";
import type {
  CheckinCreateInput,
  CheckinResult,
  CommentInput,
  feedbackOf,
} from "../../../src/app/checkins/checkins.js";
import type {
  AnswerInput,
  ClarifyInput,
  DelegateInput,
  Delegation,
} from "../../../src/app/collaboration/collaboration.js";
import type { CommitmentCreateInput } from "../../../src/app/collaboration/commitments.js";
import type { inbox } from "../../../src/app/delivery/notices.js";
import type { GoalStatusView } from "../../../src/app/evaluation/evaluate.js";
import type {
  InvitationCreateInput,
  Me,
  SignInInput,
  SignUpInput,
  TeamCreateInput,
  TokenCreateInput,
} from "../../../src/app/people/accounts.js";
import type { SettingsInput, SettingsView } from "../../../src/app/people/settings.js";
import type { CoachLintInput } from "../../../src/app/plans/coach.js";
import type {
  GoalCreateInput,
  GoalListQuery,
  GoalUpdateInput,
  KeyResultCreateInput,
  KeyResultUpdateInput,
  Plan,
} from "../../../src/app/plans/goals.js";
import type {
  BarrierCreateInput,
  BarrierUpdateInput,
  ResourceCreateInput,
} from "../../../src/app/plans/resources.js";
import type { StepCreateInput, StepListQuery, StepUpdateInput, Week } from "../../../src/app/plans/steps.js";
import type { PlaybookCreateInput, PlaybookUpdateInput } from "../../../src/app/playbooks/playbooks.js";
import type { FollowThroughReportView, ReportQuery, WinsFeed } from "../../../src/app/reports/report.js";
import type { TeamOverview, TeamOverviewQuery } from "../../../src/app/reports/teamview.js";
import type {
  Barrier,
  ChangeRecord,
  Checkin,
  Commitment,
  Goal,
  KeyResult,
  Resource,
  Step,
} from "../../../src/core/types.js";
import type { Playbook, PlaybookVersion } from "../../../src/store/repos/playbooks.js";

export type { Confidence, Likelihood, ResourceKind } from "../../../src/core/types.js";
export type {
  Barrier,
  ChangeRecord,
  Checkin,
  CheckinResult,
  Commitment,
  Delegation,
  FollowThroughReportView,
  Goal,
  GoalStatusView,
  KeyResult,
  Plan,
  Playbook,
  PlaybookVersion,
  Resource,
  Step,
  TeamOverview,
  Week,
  WinsFeed,
};

/** A finding of the coach: what is wrong and how to fix it. */
export interface Finding {
  code: string;
  message: string;
  suggestion: string;
}

/** An object as written, with the coach's findings on it. */
export type WithWarnings<T> = T & { warnings?: Finding[] };

/** One linted text (POST /api/coach/lint). */
export interface LintItem {
  text: string;
  kind?: string;
  findings: Finding[];
  due: unknown;
  measure: unknown;
  smart?: Record<string, boolean>;
  score?: number;
}

/** Comments and kudos on a check-in. */
export type Feedback = Awaited<ReturnType<typeof feedbackOf>>;

/** A playbook in the list. */
export type PlaybookSummary = Pick<Playbook, "id" | "teamId" | "title" | "version" | "updatedAt">;

/** The signed-in person, their workspace and teams. */
export interface Session extends Me {
  csrfToken: string | null;
  /** True when the server has no accounts yet and acts as the local owner. */
  local: boolean;
}

/** An API token as listed (the secret is shown once, on creation). */
export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}

/** A team with its members (GET /api/teams). */
export interface Team {
  id: number;
  name: string;
  members: { id: number; name: string; role: string }[];
}

/** What an invitation link offers. */
export interface InvitationInfo {
  workspace: string;
  email: string | null;
  role: string;
  teamId: number | null;
  expiresAt: string;
}

/** Personal settings: the values goals can serve, where and when nudges go. */
export type Settings = SettingsView;

/** An invitation just made: its single-use link is `path` (/join/<token>). */
export interface Invitation {
  id: number;
  token: string;
  path: string;
  expiresAt: string;
  role: string;
  teamId: number | null;
  email: string | null;
}

/** One notice in my inbox. */
export type Notice = Awaited<ReturnType<typeof inbox>>[number];

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

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

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Sends one request to /api and returns its JSON, or throws an ApiError carrying the message. */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  opts: { query?: Query; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api${path}`, opts.query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "The server could not be reached. Check that it is running.");
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
      ?.error;
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? `The server answered ${res.status} ${res.statusText || ""}`.trim(),
      err?.details ?? {},
    );
  }
  return data as T;
}

/** What an import did (the shape of ImportResult in src/app/imports/imports.ts). */
export interface ImportOutcome {
  source: string;
  goals: { created: number; existing: number };
  steps: { created: number; existing: number };
  goalIds: number[];
  skipped: string[];
  coach: {
    checked: number;
    outcomes: number;
    vague: number;
    tooBig: number;
    worst: { stepId: number; goalId: number; text: string; findings: Finding[] }[];
  };
}

/** Sends an exported file as it is (not JSON) to the import route. */
async function importFile(source: string, file: Blob, name?: string): Promise<ImportOutcome> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Content-Type": "application/octet-stream",
  };
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/import/${source}`, name ? { name } : undefined), {
      method: "POST",
      headers,
      body: file,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check that it is running.");
  }
  const data = (await res.json().catch(() => null)) as
    | (ImportOutcome & { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
    | null;
  if (!res.ok) {
    const err = data?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? `The server answered ${res.status}`,
      err?.details ?? {},
    );
  }
  return data as ImportOutcome;
}

const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>("GET", path, undefined, { query, signal });

/** Every API call the web app makes, one function per route. */
export const api = {
  auth: {
    setup: () => get<{ needsSetup: boolean }>("/auth/setup"),
    session: async (): Promise<Session> => {
      const s = await request<Omit<Session, "local">>("GET", "/auth/session", undefined, { quiet401: true });
      return { ...s, local: false };
    },
    signUp: (body: z.input<typeof SignUpInput>) =>
      request<{ user: Me["user"]; csrfToken: string }>("POST", "/auth/sign-up", body),
    signIn: (body: z.input<typeof SignInInput>) =>
      request<{ user: Me["user"]; csrfToken: string }>("POST", "/auth/sign-in", body, { quiet401: true }),
    signOut: () => request<unknown>("POST", "/auth/sign-out", {}),
    invitation: (token: string) => get<InvitationInfo>(`/invitations/${encodeURIComponent(token)}`),
  },
  teams: {
    list: () => get<{ items: Team[] }>("/teams"),
    create: (body: z.input<typeof TeamCreateInput>) =>
      request<{ id: number; name: string }>("POST", "/teams", body),
    overview: (id: number, q: TeamOverviewQuery = {}) =>
      get<TeamOverview>(`/teams/${id}/overview`, q as Query),
    invite: (body: z.input<typeof InvitationCreateInput>) =>
      request<Invitation>("POST", "/invitations", body),
  },
  delegations: {
    list: () => get<{ items: Delegation[] }>("/delegations"),
    delegateStep: (stepId: number, body: z.input<typeof DelegateInput>) =>
      request<Delegation>("POST", `/steps/${stepId}/delegate`, body),
    accept: (id: number) => request<Delegation>("POST", `/delegations/${id}/accept`, {}),
    clarify: (id: number, body: z.input<typeof ClarifyInput>) =>
      request<Delegation>("POST", `/delegations/${id}/clarify`, body),
    answer: (id: number, body: z.input<typeof AnswerInput>) =>
      request<Delegation>("POST", `/delegations/${id}/answer`, body),
  },
  inbox: {
    list: (q: { unread?: boolean; limit?: number } = {}) => get<{ items: Notice[] }>("/inbox", q),
    read: (upToId?: number) => request<{ marked: number }>("POST", "/inbox/read", upToId ? { upToId } : {}),
  },
  week: (asOf?: string) => get<Week>("/week", { asOf }),
  goals: {
    list: (q: GoalListQuery = {}) => get<Page<Goal>>("/goals", q as Query),
    get: (id: number) => get<Goal>(`/goals/${id}`),
    create: (body: GoalCreateInput) => request<WithWarnings<Goal>>("POST", "/goals", body),
    update: (id: number, body: GoalUpdateInput) => request<WithWarnings<Goal>>("PATCH", `/goals/${id}`, body),
    plan: (id: number, signal?: AbortSignal) => get<Plan>(`/goals/${id}/plan`, undefined, signal),
    history: (id: number) => get<{ items: ChangeRecord[] }>(`/goals/${id}/history`),
    status: (id: number, asOf?: string) => get<GoalStatusView>(`/goals/${id}/status`, { asOf }),
    addKeyResult: (id: number, body: KeyResultCreateInput) =>
      request<KeyResult>("POST", `/goals/${id}/key-results`, body),
    updateKeyResult: (id: number, krId: number, body: KeyResultUpdateInput) =>
      request<KeyResult>("PATCH", `/goals/${id}/key-results/${krId}`, body),
    addStep: (id: number, body: StepCreateInput) =>
      request<WithWarnings<Step>>("POST", `/goals/${id}/steps`, body),
    addResource: (id: number, body: ResourceCreateInput) =>
      request<Resource>("POST", `/goals/${id}/resources`, body),
    addBarrier: (id: number, body: BarrierCreateInput) =>
      request<Barrier>("POST", `/goals/${id}/barriers`, body),
    updateBarrier: (id: number, barrierId: number, body: z.input<typeof BarrierUpdateInput>) =>
      request<Barrier>("PATCH", `/goals/${id}/barriers/${barrierId}`, body),
    checkins: (id: number) => get<{ items: Checkin[] }>(`/goals/${id}/checkins`),
    checkIn: (id: number, body: CheckinCreateInput) =>
      request<CheckinResult>("POST", `/goals/${id}/checkins`, body),
  },
  steps: {
    list: (q: StepListQuery = {}) => get<Page<Step>>("/steps", q as Query),
    update: (id: number, body: StepUpdateInput) => request<WithWarnings<Step>>("PATCH", `/steps/${id}`, body),
    done: (id: number) => request<Step>("POST", `/steps/${id}/done`, {}),
  },
  checkins: {
    feedback: (id: number) => get<Feedback>(`/checkins/${id}/feedback`),
    comment: (id: number, body: z.input<typeof CommentInput>) =>
      request<unknown>("POST", `/checkins/${id}/comments`, body),
    kudos: (id: number) => request<Feedback>("POST", `/checkins/${id}/kudos`, {}),
  },
  commitments: {
    create: (body: CommitmentCreateInput) => request<Commitment>("POST", "/commitments", body),
  },
  imports: {
    /** Imports a Taskwarrior, Trello, Todoist or Asana export; importing it again adds nothing. */
    run: importFile,
  },
  playbooks: {
    list: () => get<{ items: PlaybookSummary[] }>("/playbooks"),
    get: (id: number) => get<Playbook>(`/playbooks/${id}`),
    create: (body: z.input<typeof PlaybookCreateInput>) => request<Playbook>("POST", "/playbooks", body),
    update: (id: number, body: z.input<typeof PlaybookUpdateInput>) =>
      request<Playbook>("PUT", `/playbooks/${id}`, body),
    versions: (id: number) => get<{ items: PlaybookVersion[] }>(`/playbooks/${id}/versions`),
  },
  coach: {
    lint: (body: CoachLintInput, signal?: AbortSignal) =>
      request<{ items: LintItem[] }>("POST", "/coach/lint", body, { signal }),
  },
  report: (q: ReportQuery = {}) => get<FollowThroughReportView>("/report", q as Query),
  wins: (q: { weeks?: number; asOf?: string } = {}) => get<WinsFeed>("/wins", q),
  settings: {
    get: () => get<Settings>("/settings"),
    update: (body: SettingsInput) => request<Settings>("PATCH", "/settings", body),
    tokens: () => get<{ items: ApiToken[] }>("/tokens"),
    createToken: (body: z.input<typeof TokenCreateInput>) => request<ApiToken>("POST", "/tokens", body),
    revokeToken: (id: number) => request<unknown>("DELETE", `/tokens/${id}`),
  },
};

/** A playbook as the API answers it: with its body rendered to sanitized HTML by the server. */
export type RenderedPlaybook = Playbook & { html: string };

/** One version of a playbook as GET /api/playbooks/{id}/versions answers it, rendered likewise. */
export type RenderedPlaybookVersion = PlaybookVersion & { html: string };

/** Renders unsaved playbook Markdown exactly as the server renders a saved one (the editor's preview). */
export const previewPlaybook = (
  body: z.input<typeof import("../../../src/app/playbooks/playbooks.js").PlaybookPreviewInput>,
  signal?: AbortSignal,
) => request<{ html: string }>("POST", "/playbooks/preview", body, { signal });
