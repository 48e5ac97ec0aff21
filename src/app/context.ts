/**
 * What every use case needs: the store, a clock, and who is acting. Interfaces (HTTP, CLI, jobs)
 * build these and call the use cases; they never touch the store directly.
 */
import type { Kysely } from "kysely";
import { dayIn, dayOf, machineDay } from "../core/dates.js";
import type { Store } from "../store/db.js";
import { appendEvent } from "../store/repos/events.js";
import { actorFactsOf, teamIdsOf } from "../store/repos/people.js";
import type { Viewer } from "../store/repos/plans.js";
import type { Database } from "../store/schema.js";
import { type ActorFacts, factsOf } from "./policy.js";

/** The store and the clock; time is read here and passed to core as a parameter. */
export interface AppContext {
  store: Store;
  now: () => Date;
  /**
   * The IANA time zone whose calendar "today" is (the command line's person's zone); UTC when
   * absent, as on the server, where many people share the stored day-by-day state.
   */
  timeZone?: string;
  /**
   * True when `timeZone` is this process's own zone (the command line's): "today" is then read
   * from Date's local fields (`machineDay`), and the zone's name, which needs Intl, is looked up
   * only when something asks for it.
   */
  machineZone?: boolean;
}

/** The person a request acts for. */
export interface Actor {
  userId: number;
  workspaceId: number;
}

/** Builds a context with the system clock (and "today" in `timeZone`, UTC by default). */
export function appContext(store: Store, now: () => Date = () => new Date(), timeZone?: string): AppContext {
  return timeZone === undefined ? { store, now } : { store, now, timeZone };
}

/** The current instant as an ISO timestamp. */
export function nowIso(ctx: AppContext): string {
  return ctx.now().toISOString();
}

/** Today's day in the context's time zone (UTC unless one is given). */
export function today(ctx: AppContext): string {
  if (ctx.machineZone) return machineDay(ctx.now());
  return ctx.timeZone === undefined ? dayOf(ctx.now()) : dayIn(ctx.now(), ctx.timeZone);
}

/** The viewer an actor is: which teams they are in decides what they may see. */
export async function viewerOf(db: Kysely<Database>, actor: Actor): Promise<Viewer> {
  return { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: await teamIdsOf(db, actor.userId) };
}

/** What the policy needs to know about the actor (their workspace role and teams), in one query. */
export async function actorFacts(db: Kysely<Database>, actor: Actor): Promise<ActorFacts> {
  return factsOf(actor, await actorFactsOf(db, actor.userId));
}

/** Appends an event for something the actor did, inside the caller's transaction. */
export async function emit(
  db: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  type: string,
  subject: { type: string; id: number },
  payload: Record<string, unknown>,
): Promise<void> {
  await appendEvent(db, {
    workspaceId: actor.workspaceId,
    type,
    actorId: actor.userId,
    subjectType: subject.type,
    subjectId: subject.id,
    payload,
    createdAt: nowIso(ctx),
  });
}
