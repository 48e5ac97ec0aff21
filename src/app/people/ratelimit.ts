/**
 * Rate limits counted in the database, so they hold across several app instances. Fixed windows:
 * simple, and enough to stop brute force.
 */
import * as accounts from "../../store/repos/accounts.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";

/** A limit: at most `max` hits per `windowSeconds`. */
export interface Limit {
  max: number;
  windowSeconds: number;
}

/**
 * The limits the server applies; tests may raise them for set-up traffic. Each action has buckets
 * of its own, so spending one (say, looking up invitation links) never refuses another.
 */
export interface Limits {
  /** Sign-in attempts at one account from one address: the lock a guesser runs into. */
  signInPerAccountAndAddress: Limit;
  /**
   * Sign-in attempts at one account from anywhere: a slower ceiling against guessing from many
   * addresses. Addresses the owner signed in from before are let through past it.
   */
  signInPerAccountEverywhere: Limit;
  /** Sign-in attempts from one address, whatever the account. */
  signInPerAddress: Limit;
  signUpPerAddress: Limit;
  /** Anonymous look-ups of invitation links from one address. */
  invitationLookupsPerAddress: Limit;
  /** Invitations one person creates. */
  invitationsPerUser: Limit;
  tokensPerUser: Limit;
  /** Playbook previews: the editor asks once a pause in typing, so this is far above any writer. */
  previewsPerUser: Limit;
}

/** Production limits. */
export const DEFAULT_LIMITS: Limits = {
  signInPerAccountAndAddress: { max: 5, windowSeconds: 15 * 60 },
  signInPerAccountEverywhere: { max: 30, windowSeconds: 60 * 60 },
  signInPerAddress: { max: 20, windowSeconds: 15 * 60 },
  signUpPerAddress: { max: 10, windowSeconds: 60 * 60 },
  invitationLookupsPerAddress: { max: 30, windowSeconds: 60 * 60 },
  invitationsPerUser: { max: 50, windowSeconds: 60 * 60 },
  tokensPerUser: { max: 20, windowSeconds: 60 * 60 },
  previewsPerUser: { max: 120, windowSeconds: 60 },
};

function window(ctx: AppContext, limit: Limit): { start: number; retryAfter: number } {
  const ms = limit.windowSeconds * 1000;
  const now = ctx.now().getTime();
  const start = Math.floor(now / ms) * ms;
  return { start, retryAfter: Math.max(1, Math.ceil((start + ms - now) / 1000)) };
}

function tooMany(retryAfter: number): AppError {
  return new AppError(429, "rate_limited", `Too many attempts. Wait ${retryAfter} seconds and try again.`, {
    retryAfter,
  });
}

/**
 * Counts a hit, then refuses with 429 (and how long to wait) once the limit is passed. The count is
 * one store operation that adds and answers together, so requests arriving at once each see a
 * different count and no more than `max` of them ever get through in a window.
 */
export async function consume(ctx: AppContext, key: string, limit: Limit): Promise<void> {
  const refusal = await hit(ctx, key, limit);
  if (refusal) throw refusal;
}

/**
 * Counts a hit like {@link consume} but returns the refusal instead of throwing it (null while
 * under the limit), for a caller that may still let the request through.
 */
export async function hit(ctx: AppContext, key: string, limit: Limit): Promise<AppError | null> {
  const w = window(ctx, limit);
  const count = await accounts.hitRateLimit(ctx.store.db, key, w.start);
  return count > limit.max ? tooMany(w.retryAfter) : null;
}

/** Takes back one hit of the current window (a sign-in that turned out to be the owner's). */
export async function refund(ctx: AppContext, key: string, limit: Limit): Promise<void> {
  await accounts.unhitRateLimit(ctx.store.db, key, window(ctx, limit).start);
}

/** Forgets a key's count. */
export async function reset(ctx: AppContext, key: string): Promise<void> {
  await accounts.clearRateLimit(ctx.store.db, key);
}
