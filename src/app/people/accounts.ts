/**
 * Accounts: sign-up (the first account owns the workspace; others join by invitation), sign-in
 * and sign-out with sessions, API tokens, invitations, teams and roles, and the audit log.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { isTimeZone } from "../../core/nudges.js";
import { ROLES } from "../../core/types.js";
import * as accounts from "../../store/repos/accounts.js";
import * as people from "../../store/repos/people.js";
import { deleteSessionsOf } from "../../store/repos/resets.js";
import { settingsRowsOf } from "../../store/repos/settings.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, nowIso } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { assertCan, can } from "../policy.js";
import { id, parse, text } from "../validation.js";
import { passwordProblem } from "./passwords.js";
import * as limits from "./ratelimit.js";
import { hashPassword, hashToken, newToken, verifyDecoy, verifyPassword } from "./secrets.js";

/** How long a session lives without use. */
export const SESSION_DAYS = 30;
/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 7;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: "is too long." })
  .email({ message: "is not an email address. Use the form name@example.com." });
/** A password being set (sign-up, invitation, change, reset): at least 12 characters; strength is `passwordProblem`. */
export const password = z
  .string()
  .min(12, { message: "is too short: use at least 12 characters (a few unrelated words work well)." })
  .max(200, { message: "is too long (at most 200 characters)." });

/** Body of "sign up". */
export const SignUpInput = z.strictObject({
  email,
  password,
  name: text(100),
  inviteToken: z.string().max(200).optional(),
});

/** Body of "sign in". */
export const SignInInput = z.strictObject({ email, password: z.string().max(200) });

/** Body of "create an API token". */
export const TokenCreateInput = z.strictObject({ name: text(100) });

/** Body of "invite someone". */
export const InvitationCreateInput = z.strictObject({
  email: email.optional(),
  teamId: id.nullish(),
  role: z.enum(ROLES).default("member"),
});

/** Body of "create a team". */
export const TeamCreateInput = z.strictObject({ name: text(100) });

/** Body of "set a person's role in a team". */
export const RoleInput = z.strictObject({ role: z.enum(ROLES) });

/** Where a request came from, for limits and the audit log. */
export interface RequestMeta {
  ip: string | null;
}

/** A new session: the secret for the cookie and the token the client must echo on writes. */
export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** Who is signed in, as the web app shows it. */
export interface Me {
  user: { id: number; name: string; email: string | null; workspaceRole: string; values: string[] };
  workspace: { id: number; name: string };
  teams: { id: number; name: string; role: string }[];
  /** The IANA time zone of their settings (UTC by default): the web app says times and days in it. */
  timeZone: string;
}

/**
 * Appends to the audit log what someone did (`who`: null parts when nobody is known), from the
 * request's address, in the caller's transaction.
 */
export async function recordAudit(
  db: Kysely<Database>,
  who: { workspaceId: number | null; userId: number | null },
  action: string,
  detail: Record<string, unknown>,
  meta: RequestMeta,
  now: string,
): Promise<void> {
  await accounts.audit(db, {
    workspaceId: who.workspaceId,
    actorId: who.userId,
    action,
    detail,
    ip: meta.ip,
    now,
  });
}

function expiry(ctx: AppContext, days: number): string {
  return new Date(ctx.now().getTime() + days * 86_400_000).toISOString();
}

async function startSession(ctx: AppContext, userId: number): Promise<NewSession> {
  const token = newToken("tls_");
  const csrfToken = newToken("");
  const expiresAt = expiry(ctx, SESSION_DAYS);
  await accounts.insertSession(ctx.store.db, {
    userId,
    tokenHash: hashToken(token),
    csrfToken,
    now: nowIso(ctx),
    expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

/** True on a fresh server where the first account will own the workspace. */
export async function needsSetup(ctx: AppContext): Promise<boolean> {
  return accounts.noAccountsYet(ctx.store.db);
}

/**
 * Creates an account and signs it in. On a fresh server the first account owns the workspace
 * (claiming the local owner's data if the CLI made some); later accounts need an invitation.
 */
export async function signUp(
  ctx: AppContext,
  raw: unknown,
  meta: RequestMeta,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
): Promise<{ user: Me["user"]; session: NewSession }> {
  const input = parse(SignUpInput, raw);
  await limits.consume(ctx, `signup:ip:${meta.ip ?? "unknown"}`, lim.signUpPerAddress);
  const weak = passwordProblem(input.password, [input.email, input.name]);
  if (weak) throw invalid("password_weak", weak, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  const now = nowIso(ctx);
  const userId = await ctx.store.db.transaction().execute(async (trx) => {
    // Whether an address has an account is told only to the holder of a valid invitation: the
    // invitation (or the lack of one) is judged first, so a stranger gets the same answer for
    // every address.
    if (input.inviteToken) {
      const inv = await accounts.findOpenInvitation(trx, hashToken(input.inviteToken), now);
      if (!inv) {
        throw invalid(
          "invitation_invalid",
          "This invitation link is not valid: it was used or has expired. Ask for a new one.",
        );
      }
      if (inv.email && inv.email !== input.email) {
        throw invalid(
          "invitation_email_mismatch",
          `This invitation is for ${inv.email}. Sign up with that address.`,
          {
            field: "email",
          },
        );
      }
      if (await accounts.findAccountByEmail(trx, input.email)) throw emailTaken(input.email);
      const userId = await accounts.insertAccount(trx, {
        workspaceId: inv.workspaceId,
        name: input.name,
        email: input.email,
        passwordHash,
        now,
      });
      if (!(await accounts.claimInvitation(trx, inv.id, userId, now))) {
        throw invalid("invitation_invalid", "This invitation link was just used. Ask for a new one.");
      }
      if (inv.teamId !== null) {
        await people.addMembership(trx, { teamId: inv.teamId, userId, role: inv.role, createdAt: now });
      }
      await recordAudit(
        trx,
        { workspaceId: inv.workspaceId, userId: userId },
        "sign-up",
        { invitation: inv.id },
        meta,
        now,
      );
      return userId;
    }
    if (!(await accounts.noAccountsYet(trx))) {
      throw new AppError(
        403,
        "invitation_required",
        "This workspace is invite-only. Ask its owner for an invitation link.",
      );
    }
    const local = (await people.findLocalOwner(trx)) ?? (await people.createLocalWorkspace(trx, now));
    await accounts.claimLocalOwner(trx, local.id, { name: input.name, email: input.email, passwordHash });
    await recordAudit(
      trx,
      { workspaceId: local.workspaceId, userId: local.id },
      "sign-up",
      { owner: true },
      meta,
      now,
    );
    return local.id;
  });
  const session = await startSession(ctx, userId);
  const me = await whoAmI(ctx, await actorOf(ctx, userId));
  return { user: me.user, session };
}

function emailTaken(address: string): AppError {
  return new AppError(409, "email_taken", `An account with ${address} exists. Sign in instead.`, {
    field: "email",
  });
}

async function actorOf(ctx: AppContext, userId: number): Promise<Actor> {
  const a = await accounts.findAccount(ctx.store.db, userId);
  if (!a) throw notFound("user", userId);
  return { userId: a.id, workspaceId: a.workspaceId };
}

/**
 * How long an address someone signed in from counts as theirs: past the per-account ceiling on
 * sign-in attempts, they can still sign in from it.
 */
export const KNOWN_ADDRESS_DAYS = 90;

/**
 * Signs in with email and password; the answer never says whether the email exists. Every attempt
 * is counted before the password is checked, in one store operation per bucket, so attempts that
 * arrive together cannot slip past: per address (whatever the account), per account at that
 * address (what locks a guesser), and per account everywhere (a slower ceiling that an address the
 * owner signed in from before passes). Over any of them: 429 with how long to wait.
 */
export async function signIn(
  ctx: AppContext,
  raw: unknown,
  meta: RequestMeta,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
): Promise<{ user: Me["user"]; session: NewSession }> {
  const input = parse(SignInInput, raw);
  const address = meta.ip ?? "unknown";
  const accountKey = `signin:account:${input.email}`;
  const accountAddressKey = `signin:account-ip:${address}:${input.email}`;
  await limits.consume(ctx, `signin:ip:${address}`, lim.signInPerAddress);
  await limits.consume(ctx, accountAddressKey, lim.signInPerAccountAndAddress);
  const ceiling = await limits.hit(ctx, accountKey, lim.signInPerAccountEverywhere);
  const account = await accounts.findAccountByEmail(ctx.store.db, input.email);
  if (ceiling) {
    const since = new Date(ctx.now().getTime() - KNOWN_ADDRESS_DAYS * 86_400_000).toISOString();
    const known =
      account && meta.ip && (await accounts.signedInFrom(ctx.store.db, account.id, meta.ip, since));
    if (!known) throw ceiling;
  }
  let ok = false;
  if (account?.passwordHash) ok = await verifyPassword(input.password, account.passwordHash);
  else await verifyDecoy(input.password);
  const now = nowIso(ctx);
  if (!ok || !account) {
    await recordAudit(
      ctx.store.db,
      { workspaceId: account?.workspaceId ?? null, userId: account?.id ?? null },
      "sign-in.failed",
      { email: input.email },
      meta,
      now,
    );
    throw new AppError(
      401,
      "invalid_credentials",
      "The email or password is wrong. Check both and try again.",
    );
  }
  // The owner's own typos at this address are forgiven, and their sign-in does not use up the
  // account's ceiling. The address's count stays: a valid account must not buy more guesses at
  // others.
  await limits.reset(ctx, accountAddressKey);
  await limits.refund(ctx, accountKey, lim.signInPerAccountEverywhere);
  await recordAudit(
    ctx.store.db,
    { workspaceId: account.workspaceId, userId: account.id },
    "sign-in",
    {},
    meta,
    now,
  );
  const session = await startSession(ctx, account.id);
  const me = await whoAmI(ctx, { userId: account.id, workspaceId: account.workspaceId });
  return { user: me.user, session };
}

/** Ends the session the token belongs to. */
export async function signOut(ctx: AppContext, sessionToken: string): Promise<void> {
  await accounts.deleteSession(ctx.store.db, hashToken(sessionToken));
}

/** The actor behind a session cookie, with the CSRF token writes must echo; null when none. */
export async function actorFromSession(
  ctx: AppContext,
  sessionToken: string,
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const now = nowIso(ctx);
  const s = await accounts.findSession(ctx.store.db, hashToken(sessionToken), now);
  if (!s) return null;
  // Sliding expiry, written at most once an hour.
  if (Date.parse(now) - Date.parse(s.lastSeenAt) > 3_600_000) {
    await accounts.touchSession(ctx.store.db, s.sessionId, now, expiry(ctx, SESSION_DAYS));
  }
  return { actor: { userId: s.userId, workspaceId: s.workspaceId }, csrfToken: s.csrfToken };
}

/** The actor behind an API token; null when unknown or revoked. */
export async function actorFromApiToken(ctx: AppContext, token: string): Promise<Actor | null> {
  const t = await accounts.findApiToken(ctx.store.db, hashToken(token));
  if (!t) return null;
  const now = nowIso(ctx);
  if (!t.lastUsedAt || Date.parse(now) - Date.parse(t.lastUsedAt) > 60_000) {
    await accounts.touchApiToken(ctx.store.db, t.tokenId, now);
  }
  return { userId: t.userId, workspaceId: t.workspaceId };
}

/** Who the actor is: name, workspace and teams. */
export async function whoAmI(ctx: AppContext, actor: Actor): Promise<Me> {
  const u = await accounts.profileOf(ctx.store.db, actor.userId);
  if (!u) throw notFound("user", actor.userId);
  const [teams, settingsRows] = await Promise.all([
    people.membershipsOf(ctx.store.db, actor.userId),
    settingsRowsOf(ctx.store.db, [actor.userId]),
  ]);
  const zone = settingsRows[0]?.timeZone;
  let values: string[] = [];
  try {
    values = JSON.parse(u.valuesJson) as string[];
  } catch {
    values = [];
  }
  return {
    user: { id: u.id, name: u.name, email: u.email, workspaceRole: u.workspaceRole, values },
    workspace: { id: u.workspaceId, name: u.workspaceName },
    teams,
    timeZone: zone && isTimeZone(zone) ? zone : "UTC",
  };
}

/** Creates an API token; the secret is shown once and only its hash is kept. */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  meta: RequestMeta,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
) {
  const input = parse(TokenCreateInput, raw);
  await limits.consume(ctx, `token:user:${actor.userId}`, lim.tokensPerUser);
  const token = newToken("tl_");
  const now = nowIso(ctx);
  const row = await ctx.store.db.transaction().execute(async (trx) => {
    const r = await accounts.insertApiToken(trx, {
      userId: actor.userId,
      name: input.name,
      prefix: token.slice(0, 7),
      tokenHash: hashToken(token),
      now,
    });
    await recordAudit(trx, actor, "token.created", { tokenId: r.id, name: r.name }, meta, now);
    return r;
  });
  return { ...row, token };
}

/** The actor's API tokens, without secrets. */
export async function listApiTokens(ctx: AppContext, actor: Actor) {
  return accounts.listApiTokens(ctx.store.db, actor.userId);
}

/** Revokes one of the actor's tokens. */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  tokenId: number,
  meta: RequestMeta,
): Promise<void> {
  const now = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await accounts.revokeApiToken(trx, actor.userId, tokenId, now))) throw notFound("token", tokenId);
    await recordAudit(trx, actor, "token.revoked", { tokenId }, meta, now);
  });
}

/**
 * Invites someone into the workspace (and a team, with a role). Returns the single-use link's
 * token once; it expires after INVITATION_DAYS.
 */
export async function createInvitation(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  meta: RequestMeta,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
) {
  const input = parse(InvitationCreateInput, raw);
  await limits.consume(ctx, `invite:create:user:${actor.userId}`, lim.invitationsPerUser);
  const teamId = input.teamId ?? null;
  const facts = await actorFacts(ctx.store.db, actor);
  if (teamId !== null) {
    if (!(await people.teamExists(ctx.store.db, actor.workspaceId, teamId))) throw notFound("team", teamId);
    const team = { id: teamId, workspaceId: actor.workspaceId };
    assertCan(facts, "team.manage", team);
    if (input.role === "owner") {
      assertCan(
        facts,
        "team.setOwnerRole",
        team,
        "Only the workspace owner can invite a team owner. Invite as leader or member.",
      );
    }
  } else {
    assertCan(facts, "workspace.invite", actor);
  }
  const token = newToken("tli_");
  const now = nowIso(ctx);
  const row = await ctx.store.db.transaction().execute(async (trx) => {
    const r = await accounts.insertInvitation(trx, {
      workspaceId: actor.workspaceId,
      teamId,
      role: input.role,
      email: input.email ?? null,
      tokenHash: hashToken(token),
      createdBy: actor.userId,
      now,
      expiresAt: expiry(ctx, INVITATION_DAYS),
    });
    await recordAudit(
      trx,
      actor,
      "invitation.created",
      { invitationId: r.id, teamId, role: input.role },
      meta,
      now,
    );
    return r;
  });
  return { ...row, token, path: `/join/${token}` };
}

/** What an invitation link offers, for its landing page; not found once used or expired. */
export async function invitationInfo(
  ctx: AppContext,
  token: string,
  meta: RequestMeta,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
) {
  await limits.consume(ctx, `invite:lookup:ip:${meta.ip ?? "unknown"}`, lim.invitationLookupsPerAddress);
  const inv = await accounts.findOpenInvitation(ctx.store.db, hashToken(token), nowIso(ctx));
  if (!inv) throw notFound("invitation", "(link)");
  return {
    workspace: inv.workspaceName,
    email: inv.email,
    role: inv.role,
    teamId: inv.teamId,
    expiresAt: inv.expiresAt,
  };
}

/** Creates a team; the creator (the workspace owner) becomes its owner. */
export async function createTeam(ctx: AppContext, actor: Actor, raw: unknown) {
  const input = parse(TeamCreateInput, raw);
  assertCan(await actorFacts(ctx.store.db, actor), "team.create", actor);
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const team = await people.insertTeam(trx, {
      workspaceId: actor.workspaceId,
      name: input.name,
      createdAt: now,
    });
    await people.addMembership(trx, { teamId: team.id, userId: actor.userId, role: "owner", createdAt: now });
    return team;
  });
}

/** Teams of the workspace with each member's role (members see their own teams only). */
export async function listTeams(ctx: AppContext, actor: Actor) {
  const db = ctx.store.db;
  const facts = await actorFacts(db, actor);
  const teams = (await people.teamsIn(db, actor.workspaceId)).filter((t) => can(facts, "team.read", t));
  const members = await people.membersOf(
    db,
    teams.map((t) => t.id),
  );
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: members.filter((m) => m.teamId === t.id).map((m) => ({ id: m.id, name: m.name, role: m.role })),
  }));
}

/**
 * Sets a person's role in a team (adding them when not yet a member); audited. A change of role
 * ends the person's sessions, so they sign in again under the new one (issue 16, defect 8) —
 * except the session making the change (`keepSession`), when someone changes their own role.
 */
export async function setRole(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  userId: number,
  raw: unknown,
  meta: RequestMeta,
  keepSession: string | null = null,
) {
  const input = parse(RoleInput, raw);
  const team = { id: teamId, workspaceId: actor.workspaceId };
  if (!(await people.teamExists(ctx.store.db, actor.workspaceId, teamId))) throw notFound("team", teamId);
  const facts = await actorFacts(ctx.store.db, actor);
  assertCan(facts, "team.manage", team);
  if (!(await people.findUser(ctx.store.db, actor.workspaceId, userId))) throw notFound("user", userId);
  if (input.role === "owner") assertCan(facts, "team.setOwnerRole", team);
  const now = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await people.roleIn(trx, teamId, userId);
    if (before === "owner") {
      assertCan(facts, "team.setOwnerRole", team, "Only the workspace owner can change a team owner's role.");
    }
    if (before !== null) await people.setMembershipRole(trx, teamId, userId, input.role);
    else await people.addMembership(trx, { teamId, userId, role: input.role, createdAt: now });
    const sessionsEnded =
      before === input.role
        ? 0
        : await deleteSessionsOf(
            trx,
            userId,
            userId === actor.userId && keepSession ? hashToken(keepSession) : null,
          );
    await recordAudit(
      trx,
      actor,
      "role.changed",
      { teamId, userId, from: before, to: input.role, sessionsEnded },
      meta,
      now,
    );
  });
  return { teamId, userId, role: input.role };
}

/** The workspace's audit log (the owner only). */
export async function auditLog(ctx: AppContext, actor: Actor) {
  assertCan(await actorFacts(ctx.store.db, actor), "auditLog.read", actor);
  return accounts.listAudit(ctx.store.db, actor.workspaceId);
}

/** Records an export in the audit log. */
export async function auditExport(
  ctx: AppContext,
  actor: Actor,
  format: string,
  meta: RequestMeta,
): Promise<void> {
  await recordAudit(ctx.store.db, actor, "export", { format }, meta, nowIso(ctx));
}
