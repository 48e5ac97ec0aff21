/**
 * The local owner: the person the CLI acts as on its own file. Apart from people.ts, and importing
 * no zod schema, so that every local CLI command can find its actor without loading the validation
 * library (see src/app/plans/week.ts); people.ts re-exports it.
 */
import * as people from "../../store/repos/people.js";
import { type Actor, type AppContext, nowIso } from "../context.js";

/**
 * The actor for local use (the CLI on its own file, a server before accounts exist): the
 * workspace's local owner, created with the workspace on first start.
 */
export async function localActor(ctx: AppContext): Promise<Actor> {
  const db = ctx.store.db;
  const found = await people.findLocalOwner(db);
  if (found) return { userId: found.id, workspaceId: found.workspaceId };
  const user = await db.transaction().execute(async (trx) => {
    // Two processes may start at once on a fresh file; the second sees the first's owner.
    const again = await people.findLocalOwner(trx);
    return again ?? people.createLocalWorkspace(trx, nowIso(ctx));
  });
  return { userId: user.id, workspaceId: user.workspaceId };
}
