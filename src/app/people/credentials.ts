/**
 * Keeping an account safe after sign-up (issue 16, defect 8): changing a password (with the current
 * one), signing out everywhere (every session and, when asked, every API token), and resetting a
 * forgotten password with a single-use, expiring link — sent by email when the server has SMTP, or
 * made by the workspace owner. Every one is written to the audit log.
 */
import { z } from "zod";
import * as accounts from "../../store/repos/accounts.js";
import * as resets from "../../store/repos/resets.js";
import { type Actor, type AppContext, actorFacts, nowIso } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { assertCan } from "../policy.js";
import { parse } from "../validation.js";
import { password, type RequestMeta, recordAudit } from "./accounts.js";
import { passwordProblem } from "./passwords.js";
import * as limits from "./ratelimit.js";
import { hashPassword, hashToken, newToken, verifyPassword } from "./secrets.js";

/** How long a reset link sent by email works. */
export const RESET_EMAIL_MINUTES = 60;
/** How long a reset link made by the workspace owner works (they hand it over themselves). */
export const RESET_LINK_HOURS = 24;
/** At most this many reset emails to one account an hour (more requests are answered the same). */
export const RESET_EMAILS_PER_HOUR = 3;

/** Limits of these routes, apart from the sign-in ones. */
export const CREDENTIAL_LIMITS = {
  /** Wrong current passwords guessed through a stolen session. */
  changePerUser: { max: 5, windowSeconds: 15 * 60 },
  forgotPerAddress: { max: 10, windowSeconds: 60 * 60 },
  resetPerAddress: { max: 20, windowSeconds: 15 * 60 },
} satisfies Record<string, limits.Limit>;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: "is too long." })
  .email({ message: "is not an email address. Use the form name@example.com." });

/** Body of "change my password". */
export const PasswordChangeInput = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: password,
});

/** Body of "sign out everywhere". */
export const SignOutEverywhereInput = z.strictObject({
  /** Also revoke every API token (the command line's logins and integrations). */
  tokens: z.boolean().default(false),
});

/** Body of "I forgot my password". */
export const ForgotPasswordInput = z.strictObject({ email });

/** Body of "set a new password with a reset link". */
export const ResetPasswordInput = z.strictObject({
  token: z.string().min(1).max(200),
  password,
});

function later(ctx: AppContext, ms: number): string {
  return new Date(ctx.now().getTime() + ms).toISOString();
}

function checkStrength(password: string, related: (string | null)[], field: string): void {
  const problem = passwordProblem(
    password,
    related.filter((r): r is string => Boolean(r)),
  );
  if (problem) throw invalid("weak_password", problem, { field });
}

/**
 * Changes the actor's password. The current one is required (a session left open on a shared
 * computer is not enough); every other session ends, the caller's own stays (`keepSession`).
 */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  meta: RequestMeta,
  keepSession: string | null,
): Promise<{ changed: true; sessionsEnded: number }> {
  const input = parse(PasswordChangeInput, raw);
  await limits.consume(ctx, `password:user:${actor.userId}`, CREDENTIAL_LIMITS.changePerUser);
  const account = await accounts.findAccount(ctx.store.db, actor.userId);
  if (!account) throw notFound("user", actor.userId);
  const ok = account.passwordHash ? await verifyPassword(input.currentPassword, account.passwordHash) : false;
  if (!ok) {
    throw invalid("wrong_password", "The current password is wrong. Type the one you sign in with.", {
      field: "currentPassword",
    });
  }
  checkStrength(input.newPassword, [account.email, account.name], "newPassword");
  if (input.newPassword === input.currentPassword) {
    throw invalid("same_password", "The new password is the current one. Choose another.", {
      field: "newPassword",
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = nowIso(ctx);
  const sessionsEnded = await ctx.store.db.transaction().execute(async (trx) => {
    await resets.setPasswordHash(trx, actor.userId, passwordHash);
    const ended = await resets.deleteSessionsOf(
      trx,
      actor.userId,
      keepSession ? hashToken(keepSession) : null,
    );
    await resets.closeOpenResets(trx, actor.userId, now);
    await recordAudit(trx, actor, "password.changed", { sessionsEnded: ended }, meta, now);
    return ended;
  });
  return { changed: true, sessionsEnded };
}

/** Ends every session of the actor, this one included, and every API token when asked. */
export async function signOutEverywhere(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  meta: RequestMeta,
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  const input = parse(SignOutEverywhereInput, raw ?? {});
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const sessionsEnded = await resets.deleteSessionsOf(trx, actor.userId);
    const tokensRevoked = input.tokens ? await resets.revokeTokensOf(trx, actor.userId, now) : 0;
    await recordAudit(trx, actor, "sessions.ended", { sessionsEnded, tokensRevoked }, meta, now);
    return { sessionsEnded, tokensRevoked };
  });
}

/** What to send someone who asked for a reset link by email. */
export interface ResetMail {
  to: string;
  name: string;
  token: string;
  expiresAt: string;
}

/** The one answer to "I forgot my password", whether or not the address has an account. */
export function forgotPasswordAnswer(byEmail: boolean): string {
  return byEmail
    ? `If an account uses that address, we have emailed it a link to choose a new password. The link works once, within ${RESET_EMAIL_MINUTES} minutes. Check your spam folder if it does not arrive.`
    : "This server does not send email. Ask the owner of your workspace for a password reset link: they can make one on the Team page.";
}

/**
 * "I forgot my password". The answer is the same sentence for a known and an unknown address
 * (no account enumeration); when the server sends email (`byEmail`) and the address has an
 * account, it also returns the mail to send (with the only copy of the token). At most
 * RESET_EMAILS_PER_HOUR mails go to one account; further requests are answered the same.
 */
export async function requestPasswordReset(
  ctx: AppContext,
  raw: unknown,
  meta: RequestMeta,
  byEmail: boolean,
): Promise<{ message: string; mail: ResetMail | null }> {
  const input = parse(ForgotPasswordInput, raw);
  await limits.consume(ctx, `forgot:ip:${meta.ip ?? "unknown"}`, CREDENTIAL_LIMITS.forgotPerAddress);
  const message = forgotPasswordAnswer(byEmail);
  const account = await accounts.findAccountByEmail(ctx.store.db, input.email);
  if (!account?.passwordHash || !account.email) return { message, mail: null };
  const now = nowIso(ctx);
  const who = { workspaceId: account.workspaceId, userId: account.id };
  if (!byEmail) {
    await recordAudit(ctx.store.db, who, "password.reset-requested", { email: false }, meta, now);
    return { message, mail: null };
  }
  const since = new Date(ctx.now().getTime() - 3_600_000).toISOString();
  const to = account.email;
  return ctx.store.db.transaction().execute(async (trx) => {
    if ((await resets.emailedResetsSince(trx, account.id, since)) >= RESET_EMAILS_PER_HOUR) {
      await recordAudit(trx, who, "password.reset-requested", { email: false, capped: true }, meta, now);
      return { message, mail: null };
    }
    const token = newToken("tlr_");
    const expiresAt = later(ctx, RESET_EMAIL_MINUTES * 60_000);
    await resets.insertReset(trx, {
      userId: account.id,
      tokenHash: hashToken(token),
      createdBy: null,
      now,
      expiresAt,
    });
    await recordAudit(trx, who, "password.reset-requested", { email: true }, meta, now);
    return { message, mail: { to, name: account.name, token, expiresAt } };
  });
}

const linkInvalid = () =>
  invalid(
    "reset_link_invalid",
    "This reset link is not valid: it was used or has expired. Ask for a new one (Forgot password? on the sign-in page).",
  );

/**
 * Sets a new password with a reset link: once, before it expires. Every session of the account
 * ends and every other open link closes; the person then signs in with the new password.
 */
export async function resetPassword(
  ctx: AppContext,
  raw: unknown,
  meta: RequestMeta,
): Promise<{ reset: true }> {
  const input = parse(ResetPasswordInput, raw);
  await limits.consume(ctx, `reset:ip:${meta.ip ?? "unknown"}`, CREDENTIAL_LIMITS.resetPerAddress);
  const tokenHash = hashToken(input.token);
  const found = await resets.findOpenReset(ctx.store.db, tokenHash, nowIso(ctx));
  if (!found) throw linkInvalid();
  checkStrength(input.password, [found.email, found.name], "password");
  const passwordHash = await hashPassword(input.password);
  const now = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await resets.claimReset(trx, found.id, now))) throw linkInvalid();
    await resets.setPasswordHash(trx, found.userId, passwordHash);
    const sessionsEnded = await resets.deleteSessionsOf(trx, found.userId);
    await resets.closeOpenResets(trx, found.userId, now);
    await recordAudit(
      trx,
      { workspaceId: found.workspaceId, userId: found.userId },
      "password.reset",
      { resetId: found.id, by: found.createdBy === null ? "email" : "owner link", sessionsEnded },
      meta,
      now,
    );
  });
  return { reset: true };
}

/**
 * The workspace owner makes a single-use reset link for someone of the workspace who has an
 * account (for servers without email). The token is returned once; only its hash is kept.
 */
export async function createResetLink(
  ctx: AppContext,
  actor: Actor,
  userId: number,
  meta: RequestMeta,
): Promise<{ userId: number; token: string; path: string; expiresAt: string }> {
  const target = await accounts.findAccount(ctx.store.db, userId);
  if (!target || target.workspaceId !== actor.workspaceId) throw notFound("user", userId);
  assertCan(await actorFacts(ctx.store.db, actor), "person.resetPassword", {
    workspaceId: target.workspaceId,
  });
  if (!target.passwordHash) {
    throw invalid(
      "no_account",
      `${target.name} has no account to reset yet. Invite them instead (Team page, Invite someone).`,
    );
  }
  const token = newToken("tlr_");
  const now = nowIso(ctx);
  const expiresAt = later(ctx, RESET_LINK_HOURS * 3_600_000);
  await ctx.store.db.transaction().execute(async (trx) => {
    await resets.insertReset(trx, {
      userId,
      tokenHash: hashToken(token),
      createdBy: actor.userId,
      now,
      expiresAt,
    });
    await recordAudit(trx, actor, "password.reset-link-created", { userId }, meta, now);
  });
  return { userId, token, path: `/reset-password#${token}`, expiresAt };
}
