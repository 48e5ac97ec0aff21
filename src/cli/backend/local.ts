/**
 * The Backend on the local database: each operation is the app's use case, acting as the local owner.
 * Each use-case module is imported by the first operation that needs it, so a command loads only its
 * own (`week` loads my week's module, not steps' schemas, check-ins or the coach).
 */
import type { Actor, AppContext } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { closeApp } from "../../app/open.js";
import type { Backend } from "./backend.js";

const checkins = () => import("../../app/checkins/checkins.js");
const collaboration = () => import("../../app/collaboration/collaboration.js");
const commitments = () => import("../../app/collaboration/commitments.js");
const status = () => import("../../app/evaluation/status.js");
const report = () => import("../../app/reports/report.js");
const review = () => import("../../app/reports/review.js");
const reminders = () => import("../../app/delivery/reminders.js");
const goals = () => import("../../app/plans/goals.js");
const people = () => import("../../app/people/people.js");
const playbooks = () => import("../../app/playbooks/playbooks.js");
const resources = () => import("../../app/plans/resources.js");
const steps = () => import("../../app/plans/steps.js");
// My week apart from steps.js: `week` loads no zod schema (see src/app/plans/week.ts).
const week = () => import("../../app/plans/week.js");

/** A Backend over an open app context; closing it closes the database. */
export function localBackend(ctx: AppContext, actor: Actor): Backend {
  return {
    mode: { kind: "local", location: ctx.store.location },
    timeZone: async () => ctx.timeZone ?? "UTC",
    createGoal: async (input) => (await goals()).createGoal(ctx, actor, input),
    listGoals: async (query) => (await goals()).listGoals(ctx, actor, query),
    plan: async (goalId) => (await goals()).getPlanOrThrow(ctx, actor, goalId),
    updateGoal: async (goalId, patch) => (await goals()).updateGoal(ctx, actor, goalId, patch),
    dropGoal: async (goalId, reason) => (await goals()).dropGoal(ctx, actor, goalId, reason),
    history: async (goalId) => (await goals()).goalHistory(ctx, actor, goalId),
    addKeyResult: async (goalId, input) => (await goals()).addKeyResult(ctx, actor, goalId, input),
    updateKeyResult: async (krId, patch) => (await goals()).updateKeyResult(ctx, actor, krId, patch),
    resolvePerson: async (who) => {
      const u = await (await people()).resolvePerson(ctx, actor, who, { create: true });
      return { id: u.id, name: u.name };
    },
    addStep: async (goalId, input) => (await steps()).addStep(ctx, actor, goalId, input),
    updateStep: async (stepId, patch) => (await steps()).updateStep(ctx, actor, stepId, patch),
    completeStep: async (stepId, input) => (await steps()).completeStep(ctx, actor, stepId, input),
    listSteps: async (query) => (await steps()).listSteps(ctx, actor, query),
    addResource: async (goalId, input) => (await resources()).addResource(ctx, actor, goalId, input),
    updateResource: async (resourceId, patch) =>
      (await resources()).updateResource(ctx, actor, resourceId, patch),
    removeResource: async (resourceId, reason) =>
      (await resources()).removeResource(ctx, actor, resourceId, { reason }),
    addBarrier: async (goalId, input) => (await resources()).addBarrier(ctx, actor, goalId, input),
    updateBarrier: async (barrierId, patch) =>
      (await resources()).updateBarrier(ctx, actor, barrierId, patch),
    removeBarrier: async (barrierId, reason) =>
      (await resources()).removeBarrier(ctx, actor, barrierId, { reason }),
    delegateStep: async (stepId, input) => (await collaboration()).delegateStep(ctx, actor, stepId, input),
    listDelegations: async () => (await collaboration()).listDelegations(ctx, actor),
    acceptDelegation: async (id) => (await collaboration()).acceptDelegation(ctx, actor, id),
    askClarification: async (id, question) =>
      (await collaboration()).askClarification(ctx, actor, id, { question }),
    answerClarification: async (id, answer) =>
      (await collaboration()).answerClarification(ctx, actor, id, { answer }),
    createCommitment: async (input) => (await commitments()).createCommitment(ctx, actor, input),
    listCommitments: async (query) => (await commitments()).listCommitments(ctx, actor, query),
    resolveCommitment: async (id, status) =>
      (await commitments()).resolveCommitment(ctx, actor, id, { status }),
    checkin: async (goalId, input) => (await checkins()).createCheckin(ctx, actor, goalId, input),
    week: async (asOf) => (await week()).myWeek(ctx, actor, asOf),
    status: async (goalId, query) => (await status()).goalStatus(ctx, actor, goalId, query),
    report: async (query) => (await report()).followThroughReport(ctx, actor, query),
    review: async (query) => (await review()).weeklyReview(ctx, actor, query),
    addReviewSteps: async (input) => (await review()).addReviewSteps(ctx, actor, input),
    reminders: async (asOf) => (await reminders()).remindersFor(ctx, actor, { asOf }),
    emailReminders: (input) => emailLocally(ctx, actor, input),
    listPlaybooks: async () => (await playbooks()).listPlaybooks(ctx, actor),
    playbook: async (id) => (await playbooks()).getPlaybookOrThrow(ctx, actor, id),
    createPlaybook: async (input) => (await playbooks()).createPlaybook(ctx, actor, input),
    updatePlaybook: async (id, input) => (await playbooks()).updatePlaybook(ctx, actor, id, input),
    playbookHistory: async (id) => (await playbooks()).playbookHistory(ctx, actor, id),
    savePlanAsPlaybook: async (goalId, input) =>
      (await playbooks()).savePlanAsPlaybook(ctx, actor, goalId, input),
    startPlanFromPlaybook: async (id, input) =>
      (await playbooks()).startPlanFromPlaybook(ctx, actor, id, input),
    close: () => closeApp(ctx),
  };
}

/**
 * `remind --email` on the local database: through SMTP_URL (sender SMTP_FROM, links to PUBLIC_URL)
 * as set on this machine, each item at most once a day in the local database's record.
 */
async function emailLocally(
  ctx: AppContext,
  actor: Actor,
  input: { asOf?: string | undefined; to?: string | undefined },
) {
  const smtpUrl = process.env.SMTP_URL?.trim();
  if (!smtpUrl) {
    throw new AppError(
      400,
      "smtp_missing",
      "--email needs a mail server: set SMTP_URL, e.g. SMTP_URL=smtp://user:password@mail.example.com:587 (and SMTP_FROM for the sender).",
    );
  }
  if (!/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
    throw new AppError(
      400,
      "smtp_invalid",
      "SMTP_URL must look like smtp://user:password@mail.example.com:587 (or smtps:// for TLS).",
    );
  }
  const [{ smtpMailer }, { sendRemindersEmail }] = await Promise.all([
    import("../../integrations/email.js"),
    import("../../integrations/reminders-email.js"),
  ]);
  const publicUrl = (process.env.PUBLIC_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
  const mailer = smtpMailer({
    url: smtpUrl,
    from: process.env.SMTP_FROM?.trim() || "Throughline <throughline@localhost>",
  });
  try {
    return await sendRemindersEmail(ctx, actor, input, { mailer, publicUrl });
  } finally {
    mailer.close();
  }
}
