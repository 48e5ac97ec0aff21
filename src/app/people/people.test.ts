import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { fixedContext } from "../../../test/helpers/factories.js";
import type { AppContext } from "../context.js";
import { signUp } from "./accounts.js";
import { findPeople } from "./people.js";

describe.each(DIALECTS)("finding people by email on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "finds the one person with that exact address, whatever its case, by id and name",
    async () => {
      const { user } = await signUp(
        ctx,
        { email: "olu@example.com", name: "Olu Owner", password: "correct horse battery staple" },
        { ip: "127.0.0.1" },
      );
      const { workspaceId } = await db.store.db
        .selectFrom("users")
        .select("workspaceId")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      const actor = { userId: user.id, workspaceId };
      expect(await findPeople(ctx, actor, { email: "OLU@example.com" })).toEqual({
        items: [{ id: user.id, name: "Olu Owner" }],
      });
      expect(await findPeople(ctx, actor, { email: "olu@example" })).toEqual({ items: [] });
      expect(
        await findPeople(ctx, { ...actor, workspaceId: actor.workspaceId + 1 }, { email: "olu@example.com" }),
      ).toEqual({
        items: [],
      });
    },
  );
});
