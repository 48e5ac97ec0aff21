/**
 * The password policy: guessable passwords are refused wherever a password is set, with a sentence
 * saying why (zxcvbn's warning and suggestions), and nothing is half-written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordProblem } from "../../src/app/people/passwords.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { fixedContext } from "../helpers/factories.js";
import { type Person, signUp, testApp } from "../helpers/http.js";

/** The probe's passwords: ten characters, so the length rule is the first to refuse them. */
const WEAK = ["1234567890", "password12", "qwertyuiop", "aaaaaaaaaa"];
/** Long enough, still guessable: the score refuses them. */
const WEAK_LONG = ["123456789012", "password1234", "qwertyuiopas", "aaaaaaaaaaaa", "iloveyou2024"];
const STRONG = "correct horse battery staple";

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("passwordProblem", () => {
  it.each([...WEAK, ...WEAK_LONG])("refuses %s with a readable reason", (pw) => {
    const problem = passwordProblem(pw, []);
    expect(problem).not.toBeNull();
    expect(problem).toMatch(/^This password is easy to guess\. [A-Z].*\.$/);
    expect(problem).not.toMatch(/undefined|null|\[object/);
  });

  it("accepts a strong passphrase", () => {
    expect(passwordProblem(STRONG, ["owner@example.com", "Olu Owner"])).toBeNull();
    expect(passwordProblem("tangerine lighthouse marmalade", [])).toBeNull();
  });

  it("counts the person's own name and address as guessable", () => {
    expect(passwordProblem("mia.morgan@example.org", [])).toBeNull();
    expect(passwordProblem("mia.morgan@example.org", ["mia.morgan@example.org", "Mia Morgan"])).toMatch(
      /easy to guess/,
    );
  });
});

describe.each(DIALECTS)("setting a password over HTTP on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof testApp>;
  let owner: Person;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("refuses a weak password at the first sign-up and creates nothing", async () => {
    for (const pw of WEAK) {
      const res = await app.request(
        "/api/auth/sign-up",
        json({ email: "owner@example.com", name: "Olu Owner", password: pw }),
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/password.*is too short: use at least 12 characters/);
    }
    for (const pw of WEAK_LONG) {
      const res = await app.request(
        "/api/auth/sign-up",
        json({ email: "owner@example.com", name: "Olu Owner", password: pw }),
      );
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe("password_weak");
      expect(body.error.message).toMatch(/^This password is easy to guess\. /);
      expect(body.error.details).toMatchObject({ field: "password" });
      expect(await (await app.request("/api/auth/setup")).json()).toEqual({ needsSetup: true });
    }
    owner = await signUp(app, { email: "owner@example.com", name: "Olu Owner", password: STRONG });
  });

  it.skipIf(skip)("asks for at least 12 characters, however random", async () => {
    const res = await app.request(
      "/api/auth/sign-up",
      json({ email: "owner2@example.com", name: "Olu Owner", password: "Zq8#vT1!pW4" }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/at least 12 characters/);
  });

  it.skipIf(skip)(
    "refuses a weak password when an invitation is accepted, leaving the link usable",
    async () => {
      const inv = (await (
        await owner.api.request("/api/invitations", json({ email: "mia@example.com" }))
      ).json()) as {
        token: string;
      };
      for (const pw of [...WEAK_LONG, "mia@example.com"]) {
        const res = await app.request(
          "/api/auth/sign-up",
          json({ email: "mia@example.com", name: "Mia", password: pw, inviteToken: inv.token }),
        );
        expect(res.status).toBe(422);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("password_weak");
      }
      expect((await app.request(`/api/invitations/${inv.token}`)).status).toBe(200);
      await signUp(app, {
        email: "mia@example.com",
        name: "Mia",
        password: "another horse battery staple",
        inviteToken: inv.token,
      });
    },
  );
});
