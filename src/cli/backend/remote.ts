/**
 * The Backend against a Throughline server: each operation is one call to the HTTP API with the
 * stored API token, answering exactly what the route answers (the same JSON the local use case
 * returns, so commands print the same text and --json in both modes).
 */
import type { CheckinResult } from "../../app/checkins/checkins.js";
import { AppError } from "../../app/errors.js";
import type { GoalStatusView } from "../../app/evaluation/evaluate.js";
import type { WithWarnings } from "../../app/plans/coach.js";
import type { Plan } from "../../app/plans/goals.js";
import type { Week } from "../../app/plans/steps.js";
import type { FollowThroughReportView } from "../../app/reports/report.js";
import type { WeeklyReview } from "../../app/reports/review.js";
import type { Page } from "../../app/validation.js";
import type { Barrier, ChangeRecord, Goal, KeyResult, Resource, Step } from "../../core/types.js";
import type { Backend, PersonRef } from "./backend.js";
import type { Login } from "./config.js";
import { ApiClient, type Query, type RequestOptions } from "./http.js";

/** What GET /api/auth/session answers. */
export interface SessionInfo {
  user: { id: number; name: string; email: string | null; workspaceRole: string };
  workspace: { id: number; name: string };
  teams: { id: number; name: string; role: string }[];
}

/** What GET /api/teams answers. */
interface TeamsAnswer {
  items: { id: number; name: string; members: { id: number; name: string; role: string }[] }[];
}

/** The hint ending every "Cannot reach" message once a login is stored. */
export const REMOTE_HINT = "Check the address or run `throughline logout` to work locally.";

/** The API client for a stored login, with its token on every request. */
export function loginClient(login: Login, unreachableHint = REMOTE_HINT): ApiClient {
  return new ApiClient(login.url, {
    headers: { authorization: `Bearer ${login.token}` },
    unreachableHint,
  });
}

/** A Backend calling the server of a stored login. */
export function remoteBackend(login: Login): Backend {
  const api = loginClient(login);
  const call = async <T>(method: string, path: string, o: RequestOptions = {}): Promise<T> => {
    try {
      return await api.json<T>(method, path, o);
    } catch (e) {
      if (e instanceof AppError && e.status === 401) {
        throw new AppError(
          401,
          e.code,
          `The login stored for ${login.url} no longer works (${e.message.replace(/\.$/, "")}). Run \`throughline login ${login.url}\` again, or \`throughline logout\` to work locally.`,
        );
      }
      throw e;
    }
  };
  const get = <T>(path: string, query?: object) => call<T>("GET", path, { query: query as Query });
  const post = <T>(path: string, body: unknown) => call<T>("POST", path, { body });
  const patch = <T>(path: string, body: unknown) => call<T>("PATCH", path, { body });

  const reviewUnavailable = (e: unknown): never => {
    if (e instanceof AppError && e.code === "route_not_found") {
      throw new AppError(
        404,
        "review_not_available",
        `The server at ${login.url} does not offer the weekly review yet. Meanwhile use \`throughline report --weeks 1\` and \`throughline week\`.`,
      );
    }
    throw e;
  };

  return {
    mode: { kind: "remote", url: login.url },
    createGoal: (input) => post<WithWarnings<Goal>>("/api/goals", input),
    listGoals: (query) => get<Page<Goal>>("/api/goals", query),
    plan: (goalId) => get<Plan>(`/api/goals/${goalId}/plan`),
    updateGoal: (goalId, input) => patch<WithWarnings<Goal>>(`/api/goals/${goalId}`, input),
    dropGoal: (goalId, reason) => post<WithWarnings<Goal>>(`/api/goals/${goalId}/drop`, { reason }),
    history: async (goalId) => (await get<{ items: ChangeRecord[] }>(`/api/goals/${goalId}/history`)).items,
    addKeyResult: (goalId, input) => post<KeyResult>(`/api/goals/${goalId}/key-results`, input),
    updateKeyResult: (krId, input) => patch<KeyResult>(`/api/key-results/${krId}`, input),
    resolvePerson: async (who) => resolveRemotePerson(who, get),
    addStep: (goalId, input) => post<WithWarnings<Step>>(`/api/goals/${goalId}/steps`, input),
    completeStep: (stepId, input) => post<Step>(`/api/steps/${stepId}/done`, input),
    listSteps: (query) => get<Page<Step>>("/api/steps", query),
    addResource: (goalId, input) => post<Resource>(`/api/goals/${goalId}/resources`, input),
    addBarrier: (goalId, input) => post<Barrier>(`/api/goals/${goalId}/barriers`, input),
    checkin: (goalId, input) => post<CheckinResult>(`/api/goals/${goalId}/checkins`, input),
    week: () => get<Week>("/api/week"),
    status: (goalId, query) => get<GoalStatusView>(`/api/goals/${goalId}/status`, query),
    report: (query) => get<FollowThroughReportView>("/api/report", query),
    review: (query) => get<WeeklyReview>("/api/review", query).catch(reviewUnavailable),
    addReviewSteps: async (input) =>
      (await post<{ items: Step[] }>("/api/review/steps", input).catch(reviewUnavailable)).items,
    close: async () => {},
  };
}

/**
 * A person on the server, by "me", an id, or a name among the members of my teams (an email
 * matches only me: the teams list shows names). Unlike local mode, an unknown name is not added:
 * on a server people join by invitation, so the command fails and says how to fix it.
 */
async function resolveRemotePerson(
  who: string,
  get: <T>(path: string, query?: object) => Promise<T>,
): Promise<PersonRef> {
  const name = who.trim();
  if (name === "" || name.length > 200) {
    throw new AppError(
      422,
      "invalid_person",
      "A person's name must be 1 to 200 characters. Use a name or an email.",
    );
  }
  if (/^\d+$/.test(name)) return { id: Number(name), name };
  const me = await get<SessionInfo>("/api/auth/session");
  const wanted = name.toLowerCase();
  if (wanted === "me" || wanted === me.user.email?.toLowerCase() || wanted === me.user.name.toLowerCase()) {
    return { id: me.user.id, name: me.user.name };
  }
  const teams = await get<TeamsAnswer>("/api/teams");
  const found = new Map<number, PersonRef>();
  for (const t of teams.items) {
    for (const m of t.members)
      if (m.name.toLowerCase() === wanted) found.set(m.id, { id: m.id, name: m.name });
  }
  const matches = [...found.values()];
  if (matches.length === 1) return matches[0] as PersonRef;
  if (matches.length > 1) {
    throw new AppError(
      422,
      "person_ambiguous",
      `Several people are called '${name}' (ids ${matches.map((m) => m.id).join(", ")}). Give the id, e.g. --owner ${matches[0]?.id}.`,
    );
  }
  throw new AppError(
    422,
    "person_not_found",
    `Nobody called '${name}' is in your teams on the server. Check the name, give their id, or invite them first.`,
  );
}
