/** Check-ins: key-result values, confidence, what got done, the next step, obstacles hit. */
import type { Kysely } from "kysely";
import { z } from "zod";
import { dayOfTimestamp, type ObstacleHelp, obstacleHelp } from "../../core/engine/index.js";
import { type Checkin, CONFIDENCES, type Step } from "../../core/types.js";
import * as store from "../../store/repos/checkins.js";
import { userNames } from "../../store/repos/followthrough.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso, today } from "../context.js";
import { notify, stepDoneNotices } from "../delivery/notices.js";
import { invalid, notFound } from "../errors.js";
import {
  getGoalOrThrow,
  goalForOrThrow,
  readOfGoal,
  writableGoalOrThrow,
  writableGoalWithKeyResultIdsOrThrow,
} from "../plans/goals.js";
import { changeStep } from "../plans/promises.js";
import { writeStep } from "../plans/steps.js";
import type { GoalAction } from "../policy.js";
import { finite, id, isoDay, optionalText, parse, text } from "../validation.js";

/** Body of "check in on a goal". */
export const CheckinCreateInput = z.strictObject({
  date: isoDay.optional(),
  krValues: z
    .array(z.strictObject({ keyResultId: id, value: finite }))
    .max(100)
    .default([]),
  confidence: z.enum(CONFIDENCES).nullish(),
  doneText: optionalText(5000),
  stepsDone: z.array(id).max(500).default([]),
  nextStep: optionalText(1000),
  /**
   * When the next step is due (issue 15): given, the next step becomes a step of the goal owned by
   * the person checking in, due that day. Without it the next step stays text, as before.
   */
  nextStepDue: isoDay.optional(),
  barriersHit: z.array(id).max(100).default([]),
  note: optionalText(5000),
});
export type CheckinCreateInput = z.input<typeof CheckinCreateInput>;
/** A check-in body as {@link CheckinCreateInput} leaves it: validated, cleaned, defaults filled in. */
export type CheckinCreate = z.output<typeof CheckinCreateInput>;

/** Body of a comment on a check-in. */
export const CommentInput = z.strictObject({ body: text(5000) });

/** The Plan B of an obstacle that was hit, and who to ask (the engine's obstacle help). */
export type PlanBReminder = ObstacleHelp;

/** A stored check-in and the Plan B of each obstacle it reported hit. */
export interface CheckinResult extends Checkin {
  planB: PlanBReminder[];
  /** The step the next step became (or the open step of the same text it already was); else null. */
  nextStepTask: Step | null;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}

/**
 * Records a check-in in one transaction: new key-result values become current (unless a newer
 * check-in exists: backfilling the past does not overwrite the present), completed steps are
 * marked done on the check-in's day, and obstacles hit are marked hit, their Plan B returned.
 */
export async function createCheckin(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<CheckinResult> {
  return createValidCheckin(ctx, actor, goalId, parse(CheckinCreateInput, raw));
}

/**
 * {@link createCheckin} for a body already parsed by {@link CheckinCreateInput} — the HTTP route,
 * whose validator parses it on the way in (issue 17: parsing it a second time here cost the
 * check-in ~3 % of its CPU). Callers holding an unchecked body use `createCheckin`.
 */
export async function createValidCheckin(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  input: CheckinCreate,
): Promise<CheckinResult> {
  const day = today(ctx);
  const date = input.date ?? day;
  if (date > day) {
    throw invalid(
      "date_in_future",
      `A check-in cannot be dated ${date}, in the future. Use today or an earlier day.`,
      { field: "date" },
    );
  }
  if (input.nextStepDue !== undefined && !input.nextStep) {
    throw invalid("next_step_required", "A due date for the next step needs the next step: write it too.", {
      field: "nextStep",
    });
  }
  if (input.nextStepDue !== undefined && input.nextStepDue < day) {
    throw invalid(
      "date_in_past",
      `The next step cannot be due on ${input.nextStepDue}, which has passed. Use today or a later day.`,
      { field: "nextStepDue" },
    );
  }
  const krIds = input.krValues.map((v) => v.keyResultId);
  if (new Set(krIds).size !== krIds.length) {
    throw invalid("duplicate_key_result", "A key result appears twice in krValues. Give each one value.", {
      field: "krValues",
    });
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    // With key-result values, the goal and its key results' ids in one read (issue 17).
    const { goal, keyResultIds } = input.krValues.length
      ? await writableGoalWithKeyResultIdsOrThrow(actor, goalId, trx)
      : { goal: await writableGoalOrThrow(ctx, actor, goalId, trx), keyResultIds: [] as number[] };
    if (date < goal.startDate) {
      throw invalid(
        "date_too_early",
        `A check-in cannot be dated ${date}, before goal ${goalId} started on ${goal.startDate}. Use ${goal.startDate} or a later day.`,
        { field: "date" },
      );
    }
    // Read only what this check-in names: most report key-result values and nothing else.
    // Of the key results, only their ids (hot17: the whole rows cost 3× the index-only read).
    const [steps, barriers, resources] = await Promise.all([
      input.stepsDone.length ? plans.stepsOf(trx, goalId) : [],
      input.barriersHit.length ? plans.barriersOf(trx, goalId) : [],
      input.barriersHit.length ? plans.resourcesOf(trx, goalId) : [],
    ]);
    for (const v of input.krValues) {
      if (!keyResultIds.includes(v.keyResultId)) {
        throw invalid(
          "key_result_not_in_goal",
          `Key result ${v.keyResultId} is not part of goal ${goalId}. List the goal's key results to find the id.`,
          { field: "krValues" },
        );
      }
    }
    const stepsDone = unique(input.stepsDone);
    for (const s of stepsDone) {
      if (!steps.some((x) => x.id === s)) {
        throw invalid("step_not_in_goal", `Step ${s} is not part of goal ${goalId}. Check stepsDone.`, {
          field: "stepsDone",
        });
      }
    }
    const barriersHit = unique(input.barriersHit);
    for (const b of barriersHit) {
      if (!barriers.some((x) => x.id === b)) {
        throw invalid(
          "barrier_not_in_goal",
          `Barrier ${b} is not part of goal ${goalId}. Check barriersHit.`,
          { field: "barriersHit" },
        );
      }
    }
    const now = nowIso(ctx);
    const confidence = input.confidence ?? null;
    const writesStep = Boolean(input.nextStep) && input.nextStepDue !== undefined;
    // The check-in's event comes after the events of what it did (steps done, the next step
    // written); with none, it is written with the check-in (one round trip on PostgreSQL).
    const eventLast = stepsDone.length > 0 || writesStep;
    const event = {
      workspaceId: actor.workspaceId,
      type: "checkin.created",
      actorId: actor.userId,
      subjectType: "checkin",
      payload: { goalId, date, confidence, barriersHit },
      createdAt: now,
    };
    const checkin = await store.recordCheckin(
      trx,
      ctx.store.dialect,
      {
        goalId,
        authorId: actor.userId,
        date,
        confidence,
        doneText: input.doneText,
        nextStep: input.nextStep,
        note: input.note,
        krValues: input.krValues,
        stepsDone,
        barriersHit,
        createdAt: now,
      },
      // Nothing follows the check-in's writes when it did no steps, hit no barriers and wrote no
      // step: on PostgreSQL its COMMIT then travels with them (pgtrips22).
      {
        updatedAt: now,
        event: eventLast ? null : event,
        endsTransaction: !eventLast && barriersHit.length === 0,
      },
    );
    for (const s of stepsDone) {
      const step = steps.find((x) => x.id === s);
      if (step && step.status !== "done") {
        // Done no earlier than the step was written: what the product knows of it (issue 14).
        const added = dayOfTimestamp(step.createdAt);
        const doneOn = date < added ? added : date;
        await changeStep(
          trx,
          step,
          { status: "done", doneAt: `${doneOn}T12:00:00.000Z`, updatedAt: now },
          now,
        );
        await emit(trx, ctx, actor, "step.done", { type: "step", id: s }, { goalId, date: doneOn });
        await stepDoneNotices(trx, ctx, actor, step, goal.title);
      }
    }
    for (const b of barriersHit) {
      const barrier = barriers.find((x) => x.id === b);
      if (barrier && barrier.status !== "hit") {
        await plans.updateBarrierRow(trx, b, { status: "hit", hitAt: now, updatedAt: now });
      }
    }
    let nextStepTask: Step | null = null;
    if (writesStep && input.nextStep && input.nextStepDue !== undefined) {
      // Written once: an open step of the goal with the same text is the same step.
      const text = input.nextStep.trim();
      const same = (await plans.stepsOf(trx, goalId)).find(
        (x) =>
          (x.status === "todo" || x.status === "doing") && x.text.trim().toLowerCase() === text.toLowerCase(),
      );
      nextStepTask =
        same ??
        (await writeStep(
          trx,
          ctx,
          actor,
          goalId,
          {
            text,
            ownerId: actor.userId,
            dueDate: input.nextStepDue,
          },
          { checkinId: checkin.id },
        ));
    }
    const planB = obstacleHelp(barriersHit, barriers, resources);
    if (eventLast)
      await emit(trx, ctx, actor, event.type, { type: "checkin", id: checkin.id }, event.payload);
    return { ...checkin, planB, nextStepTask };
  });
}

/** Check-ins of a goal, oldest first. */
export async function listCheckins(ctx: AppContext, actor: Actor, goalId: number): Promise<Checkin[]> {
  return readOfGoal(ctx, actor, goalId, (db, id) => store.checkinsOf(db, [id]));
}

/** The goal of a check-in the actor may see (and, given an action, do it to); the check-in is not found otherwise. */
async function checkinGoalOrThrow(
  ctx: AppContext,
  actor: Actor,
  checkinId: number,
  action?: GoalAction,
): Promise<number> {
  const goalId = await store.goalIdOfCheckin(ctx.store.db, checkinId);
  if (goalId === undefined) throw notFound("checkin", checkinId);
  try {
    if (action) await goalForOrThrow(ctx, actor, action, goalId);
    else await getGoalOrThrow(ctx, actor, goalId);
  } catch {
    throw notFound("checkin", checkinId);
  }
  return goalId;
}

/** Adds a comment to a check-in the actor may see. */
export async function addComment(ctx: AppContext, actor: Actor, checkinId: number, raw: unknown) {
  const input = parse(CommentInput, raw);
  const goalId = await checkinGoalOrThrow(ctx, actor, checkinId, "goal.comment");
  return ctx.store.db.transaction().execute(async (trx) => {
    const c = await store.insertComment(trx, checkinId, actor.userId, input.body, nowIso(ctx));
    const about = await store.checkinAuthorOf(trx, checkinId);
    if (about) {
      const name = await actorName(trx, actor);
      await notify(trx, ctx, actor, [about.authorId], {
        type: "checkin.commented",
        subject: { type: "checkin", id: checkinId },
        message: `${name} commented on your check-in of ${about.date} on "${about.goalTitle}": ${input.body}`,
        payload: { goalId, checkinId, commentId: c.id },
      });
    }
    await emit(
      trx,
      ctx,
      actor,
      "comment.created",
      { type: "checkin", id: checkinId },
      { goalId, commentId: c.id },
    );
    return c;
  });
}

/** The actor's display name, for telling others what they did. */
async function actorName(db: Kysely<Database>, actor: Actor): Promise<string> {
  return (await userNames(db, actor.workspaceId, [actor.userId])).get(actor.userId) ?? "Someone";
}

/** Comments and kudos on a check-in. */
export async function feedbackOf(ctx: AppContext, actor: Actor, checkinId: number) {
  await checkinGoalOrThrow(ctx, actor, checkinId);
  const [comments, kudos] = await Promise.all([
    store.commentsOf(ctx.store.db, checkinId),
    store.kudosOf(ctx.store.db, checkinId),
  ]);
  return { comments, kudos };
}

/** Gives kudos to a check-in (once per person). */
export async function giveKudos(ctx: AppContext, actor: Actor, checkinId: number) {
  const goalId = await checkinGoalOrThrow(ctx, actor, checkinId, "goal.comment");
  await ctx.store.db.transaction().execute(async (trx) => {
    const given = await store.insertKudos(trx, checkinId, actor.userId, nowIso(ctx));
    await emit(trx, ctx, actor, "kudos.given", { type: "checkin", id: checkinId }, { goalId });
    const about = given ? await store.checkinAuthorOf(trx, checkinId) : undefined;
    if (about) {
      const name = await actorName(trx, actor);
      await notify(trx, ctx, actor, [about.authorId], {
        type: "checkin.kudos",
        subject: { type: "checkin", id: checkinId },
        message: `${name} gave kudos to your check-in of ${about.date} on "${about.goalTitle}".`,
        payload: { goalId, checkinId },
      });
    }
  });
  return feedbackOf(ctx, actor, checkinId);
}
