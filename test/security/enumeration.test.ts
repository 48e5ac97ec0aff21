/**
 * Account enumeration through sign-up: whether an address has an account must not show in the
 * answer to someone without a valid invitation (timing is not asserted: the password is hashed
 * before anything is looked up, either way).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { fixedContext } from "../helpers/factories.js";
import { signUp, testApp } from "../helpers/http.js";

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe.each(DIALECTS)("sign-up does not tell which addresses have accounts on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
    await signUp(app, { email: "owner@example.com", name: "Olu Owner" });
  });
  afterAll(async () => db?.dispose());

  async function answer(body: Record<string, unknown>) {
    const res = await app.request(
      "/api/auth/sign-up",
      json({ name: "Sam", password: "a lantern over the quiet harbour", ...body }),
    );
    return { status: res.status, body: await res.text() };
  }

  it.skipIf(skip)("answers the same for a known and an unknown address without an invitation", async () => {
    const known = await answer({ email: "owner@example.com" });
    const unknown = await answer({ email: "stranger@example.com" });
    expect(known).toEqual(unknown);
    expect(known.status).toBe(403);
    expect(JSON.parse(known.body).error.code).toBe("invitation_required");
    // Capitals and spaces change nothing.
    expect(await answer({ email: "  Owner@Example.COM " })).toEqual(unknown);
  });

  it.skipIf(skip)(
    "answers the same for a known and an unknown address with a link that is not valid",
    async () => {
      const known = await answer({ email: "owner@example.com", inviteToken: "tli_made-up" });
      const unknown = await answer({ email: "stranger@example.com", inviteToken: "tli_made-up" });
      expect(known).toEqual(unknown);
      expect(JSON.parse(known.body).error.code).toBe("invitation_invalid");
    },
  );
});
