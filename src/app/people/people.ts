/** The local owner, and the people named as owners of steps or goals. */
import type { Kysely } from "kysely";
import { z } from "zod";
import type { User } from "../../core/types.js";
import * as people from "../../store/repos/people.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { invalid } from "../errors.js";
import { assertCan } from "../policy.js";
import { parse } from "../validation.js";

/** The local owner's actor, in local.ts (no zod schema), re-exported for the callers that know it here. */
export { localActor } from "./local.js";

/**
 * Finds the person a name, email or "me" refers to; with `create`, adds a person without an
 * account when nobody matches (so `--owner Dana` works before Dana has signed up).
 */
export async function resolvePerson(
  ctx: AppContext,
  actor: Actor,
  who: string,
  opts: { create: boolean },
): Promise<User> {
  const db = ctx.store.db;
  const name = who.trim();
  if (name === "" || name.length > 200) {
    throw invalid("invalid_person", "A person's name must be 1 to 200 characters. Use a name or an email.");
  }
  if (name.toLowerCase() === "me") {
    const me = await people.findUser(db, actor.workspaceId, actor.userId);
    if (me) return me;
  }
  if (/^\d+$/.test(name)) {
    const byId = await people.findUser(db, actor.workspaceId, Number(name));
    if (byId) return byId;
  }
  const found = await people.findUserByName(db, actor.workspaceId, name);
  if (found) return found;
  if (!opts.create)
    throw invalid("person_not_found", `Nobody called '${name}' is in this workspace. Check the name.`);
  return people.createPerson(db, actor.workspaceId, name, nowIso(ctx));
}

/** A person in the actor's workspace by id, or an error saying so. */
export async function personOrThrow(
  ctx: AppContext,
  actor: Actor,
  userId: number,
  db: Kysely<Database> = ctx.store.db,
): Promise<User> {
  const u = await people.findUser(db, actor.workspaceId, userId);
  if (!u) throw invalid("person_not_found", `No person with id ${userId} in this workspace. Check the id.`);
  return u;
}

/** Query of "find people": an exact email address. */
export const PeopleQuery = z.strictObject({ email: z.string().trim().min(3).max(320) });
export type PeopleQuery = z.input<typeof PeopleQuery>;

/**
 * The people of the actor's workspace with exactly this email (case aside): none or one, by id
 * and name only. It lets a person be named by their address (delegating, witnesses) without
 * listing anyone's address.
 */
export async function findPeople(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
): Promise<{ items: { id: number; name: string }[] }> {
  const { email } = parse(PeopleQuery, raw);
  assertCan(actor, "person.find", { workspaceId: actor.workspaceId });
  return { items: await people.usersByEmail(ctx.store.db, actor.workspaceId, email) };
}
