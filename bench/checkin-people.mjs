/**
 * The people a check-in load sends as (bench/checkin-http-cpu.mjs, bench/tail-ab.mjs): active goals'
 * owners (every twentieth person), each with an API token and the body of a check-in on their first
 * active goal, its key results given new values. Made with `buildRoot`'s own code (its
 * dist/bench-build), on the SQLite file `file`.
 */
export async function checkinPeople(buildRoot, file, { count, tokenName }) {
  const B = `${buildRoot}/dist/bench-build`;
  const { appContext } = await import(`${B}/src/app/context.js`);
  const { createApiToken } = await import(`${B}/src/app/people/accounts.js`);
  const { DEFAULT_LIMITS } = await import(`${B}/src/app/people/ratelimit.js`);
  const { openAndMigrate } = await import(`${B}/src/store/db.js`);
  const people = [];
  const store = await openAndMigrate({ file });
  try {
    const ctx = appContext(store);
    const goals = await store.db
      .selectFrom("goals")
      .select(["ownerId", (eb) => eb.fn.min("id").as("goalId")])
      .where("status", "=", "active")
      .where("ownerId", ">", 1)
      .where((eb) => eb(eb("ownerId", "%", 20), "=", 0))
      .groupBy("ownerId")
      .orderBy("ownerId")
      .limit(count)
      .execute();
    const limits = { ...DEFAULT_LIMITS, tokensPerUser: { max: 1e6, windowSeconds: 60 } };
    for (const g of goals) {
      const goalId = Number(g.goalId);
      const krs = await store.db.selectFrom("keyResults").select("id").where("goalId", "=", goalId).execute();
      const actor = { userId: g.ownerId, workspaceId: 1 };
      const { token } = await createApiToken(ctx, actor, { name: tokenName }, { ip: null }, limits);
      const body = JSON.stringify({
        krValues: krs.map((k, j) => ({ keyResultId: k.id, value: 100 + j })),
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
        nextStep: "Draft the welcome email",
      });
      people.push({ token, goalId, body });
    }
  } finally {
    await store.close();
  }
  return people;
}
