/**
 * The Backend against a Throughline server: each operation is one call to the HTTP API with the
 * stored API token, answering exactly what the route answers (the same JSON the local use case
 * returns, so commands print the same text and --json in both modes).
 */
import { AppError } from "../../app/errors.js";
import type { RenderedPlaybook } from "../../app/playbooks/playbooks.js";
import type { Answer, ApiClient, Outcome, Query } from "../../client/client.js";
import { dayIn } from "../../core/dates.js";
import type { Backend, PersonRef } from "./backend.js";
import type { Login } from "./config.js";
import { answerOf, serverClient } from "./http.js";

/** What GET /api/auth/session answers. */
export type SessionInfo = Answer<"getSession">;

/** The hint ending every "Cannot reach" message once a login is stored. */
export const REMOTE_HINT = "Check the address or run `throughline logout` to work locally.";

/** The API client for a stored login, with its token on every request. */
export function loginClient(login: Login, unreachableHint = REMOTE_HINT): ApiClient {
  return serverClient(login.url, { headers: { authorization: `Bearer ${login.token}` }, unreachableHint });
}

/** A Backend calling the server of a stored login. */
export function remoteBackend(login: Login): Backend {
  const api = loginClient(login);
  const call = async <D>(outcome: Promise<Outcome<D>>): Promise<D> => {
    try {
      return await answerOf(login.url, outcome);
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
  const byId = (id: number) => ({ path: { id } });
  const goal = byId;

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

  const remindUnavailable = (e: unknown): never => {
    if (e instanceof AppError && e.code === "route_not_found") {
      throw new AppError(
        404,
        "remind_not_available",
        `The server at ${login.url} does not offer reminders yet. Meanwhile use \`throughline week\`, or \`throughline remind --db FILE\` on a local database.`,
      );
    }
    if (e instanceof AppError && e.code === "email_not_configured") {
      throw new AppError(
        422,
        e.code,
        `The server at ${login.url} does not send email (its SMTP_URL is not set). Ask its owner to set SMTP_URL, or run \`throughline remind\` without --email.`,
      );
    }
    throw e;
  };

  // The person's time zone is their setting on the server, asked once and only when a day is read.
  let zone: Promise<string> | undefined;
  const timeZone = () => {
    zone ??= call(api.GET("/api/settings")).then((st) => st.timeZone);
    return zone;
  };
  /** Today in the person's time zone, so a day-based answer starts its day where they are. */
  const today = async () => dayIn(new Date(), await timeZone());

  return {
    mode: { kind: "remote", url: login.url },
    timeZone,
    createGoal: (input) => call(api.POST("/api/goals", { body: input })),
    // The Backend takes the use cases' input types, where zod's coerced numbers are `unknown`; the
    // commands pass numbers, and the server validates the query anyway.
    listGoals: (query) => call(api.GET("/api/goals", { params: { query: query as Query<"listGoals"> } })),
    plan: (goalId) => call(api.GET("/api/goals/{id}/plan", { params: goal(goalId) })),
    updateGoal: (goalId, input) => call(api.PATCH("/api/goals/{id}", { params: goal(goalId), body: input })),
    dropGoal: (goalId, reason) =>
      call(api.POST("/api/goals/{id}/drop", { params: goal(goalId), body: { reason } })),
    history: async (goalId) =>
      (await call(api.GET("/api/goals/{id}/history", { params: goal(goalId) }))).items,
    addKeyResult: (goalId, input) =>
      call(api.POST("/api/goals/{id}/key-results", { params: goal(goalId), body: input })),
    updateKeyResult: (krId, input) =>
      call(api.PATCH("/api/key-results/{id}", { params: { path: { id: krId } }, body: input })),
    resolvePerson: async (who) => resolveRemotePerson(who, api, call),
    addStep: (goalId, input) =>
      call(api.POST("/api/goals/{id}/steps", { params: goal(goalId), body: input })),
    updateStep: (stepId, input) => call(api.PATCH("/api/steps/{id}", { params: byId(stepId), body: input })),
    completeStep: (stepId, input) =>
      call(api.POST("/api/steps/{id}/done", { params: { path: { id: stepId } }, body: input })),
    listSteps: (query) => call(api.GET("/api/steps", { params: { query: query as Query<"listSteps"> } })),
    addResource: (goalId, input) =>
      call(api.POST("/api/goals/{id}/resources", { params: goal(goalId), body: input })),
    updateResource: (resourceId, input) =>
      call(api.PATCH("/api/resources/{id}", { params: byId(resourceId), body: input })),
    removeResource: (resourceId, reason) =>
      call(api.POST("/api/resources/{id}/remove", { params: byId(resourceId), body: { reason } })),
    addBarrier: (goalId, input) =>
      call(api.POST("/api/goals/{id}/barriers", { params: goal(goalId), body: input })),
    updateBarrier: (barrierId, input) =>
      call(api.PATCH("/api/barriers/{id}", { params: byId(barrierId), body: input })),
    removeBarrier: (barrierId, reason) =>
      call(api.POST("/api/barriers/{id}/remove", { params: byId(barrierId), body: { reason } })),
    delegateStep: (stepId, input) =>
      call(api.POST("/api/steps/{id}/delegate", { params: byId(stepId), body: input })),
    listDelegations: async () => (await call(api.GET("/api/delegations"))).items,
    acceptDelegation: (id) => call(api.POST("/api/delegations/{id}/accept", { params: byId(id) })),
    askClarification: (id, question) =>
      call(api.POST("/api/delegations/{id}/clarify", { params: byId(id), body: { question } })),
    answerClarification: (id, answer) =>
      call(api.POST("/api/delegations/{id}/answer", { params: byId(id), body: { answer } })),
    createCommitment: (input) => call(api.POST("/api/commitments", { body: input })),
    listCommitments: (query) => call(api.GET("/api/commitments", { params: { query } })),
    resolveCommitment: (id, status) =>
      call(api.POST("/api/commitments/{id}/resolve", { params: byId(id), body: { status } })),
    checkin: (goalId, input) =>
      call(api.POST("/api/goals/{id}/checkins", { params: goal(goalId), body: input })),
    week: async (asOf) => {
      const week = await call(api.GET("/api/week", { params: { query: { asOf: asOf ?? (await today()) } } }));
      // A server from before micro-goal mode reached the week answers without the field.
      return { ...week, microGoals: week.microGoals ?? [] };
    },
    status: async (goalId, query) =>
      call(
        api.GET("/api/goals/{id}/status", {
          params: { ...goal(goalId), query: { ...query, asOf: query.asOf ?? (await today()) } },
        }),
      ),
    report: async (query) =>
      call(
        api.GET("/api/report", {
          params: { query: { ...(query as Query<"getReport">), asOf: query.asOf ?? (await today()) } },
        }),
      ),
    review: async (query) =>
      call(
        api.GET("/api/review", { params: { query: { ...query, asOf: query.asOf ?? (await today()) } } }),
      ).catch(reviewUnavailable),
    addReviewSteps: async (input) =>
      (await call(api.POST("/api/review/steps", { body: input })).catch(reviewUnavailable)).items,
    reminders: async (asOf) =>
      call(api.GET("/api/reminders", { params: { query: { asOf: asOf ?? (await today()) } } })).catch(
        remindUnavailable,
      ),
    emailReminders: async (input) => {
      if (input.to !== undefined) {
        throw new AppError(
          400,
          "to_not_on_server",
          `--to works only on the local database: against ${login.url} the server emails your account's address, so leave --to out (or run it with --db and SMTP_URL to send elsewhere).`,
        );
      }
      const asOf = input.asOf ?? (await today());
      return call(api.POST("/api/reminders/email", { body: { asOf } })).catch(remindUnavailable);
    },
    listPlaybooks: async () => (await call(api.GET("/api/playbooks"))).items,
    playbook: (id) => withTemplate(call(api.GET("/api/playbooks/{id}", { params: byId(id) }))),
    createPlaybook: (input) => withTemplate(call(api.POST("/api/playbooks", { body: input }))),
    updatePlaybook: (id, input) =>
      withTemplate(call(api.PUT("/api/playbooks/{id}", { params: byId(id), body: input }))),
    playbookHistory: async (id) =>
      (await call(api.GET("/api/playbooks/{id}/versions", { params: byId(id) }))).items,
    savePlanAsPlaybook: (goalId, input) =>
      withTemplate(call(api.POST("/api/goals/{id}/save-as-playbook", { params: goal(goalId), body: input }))),
    startPlanFromPlaybook: (id, input) =>
      call(api.POST("/api/playbooks/{id}/plans", { params: byId(id), body: input })),
    close: async () => {},
  };
}

/**
 * A playbook as the server answered it, read as a template here when the server is from before
 * playbooks answered with their template, so `playbook show` reads the same against either.
 */
async function withTemplate(
  answer: Promise<Omit<RenderedPlaybook, "template"> & { template?: RenderedPlaybook["template"] }>,
): Promise<RenderedPlaybook> {
  const p = await answer;
  if (p.template) return { ...p, template: p.template };
  const { playbookTemplate } = await import("../../app/playbooks/markdown.js");
  return { ...p, template: playbookTemplate(p.body) };
}

/**
 * A person on the server, by "me", an id, an exact email (anyone in the workspace), or a name
 * among the members of my teams. Unlike local mode, an unknown name is not added:
 * on a server people join by invitation, so the command fails and says how to fix it.
 */
async function resolveRemotePerson(
  who: string,
  api: ApiClient,
  call: <D>(outcome: Promise<Outcome<D>>) => Promise<D>,
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
  const me = await call(api.GET("/api/auth/session"));
  const wanted = name.toLowerCase();
  if (wanted === "me" || wanted === me.user.email?.toLowerCase() || wanted === me.user.name.toLowerCase()) {
    return { id: me.user.id, name: me.user.name };
  }
  if (name.includes("@")) {
    const [person] = (await call(api.GET("/api/people", { params: { query: { email: name } } }))).items;
    if (person) return person;
    throw new AppError(
      422,
      "person_not_found",
      `Nobody with the address ${name} is in this workspace on the server. Check the address, or invite them first.`,
    );
  }
  const teams = await call(api.GET("/api/teams"));
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
