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

/** The limits the server applies; tests may raise them for set-up traffic. */
export interface Limits {
  signInPerAccount: Limit;
  signInPerAddress: Limit;
  signUpPerAddress: Limit;
  invitationsPerAddress: Limit;
  tokensPerUser: Limit;
  /** Playbook previews: the editor asks once a pause in typing, so this is far above any writer. */
  previewsPerUser: Limit;
}

/** Production limits. */
export const DEFAULT_LIMITS: Limits = {
  signInPerAccount: { max: 5, windowSeconds: 15 * 60 },
  signInPerAddress: { max: 20, windowSeconds: 15 * 60 },
  signUpPerAddress: { max: 10, windowSeconds: 60 * 60 },
  invitationsPerAddress: { max: 30, windowSeconds: 60 * 60 },
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

/** Counts a hit and refuses with 429 (and how long to wait) once the limit is passed. */
export async function consume(ctx: AppContext, key: string, limit: Limit): Promise<void> {
  const w = window(ctx, limit);
  const count = await accounts.hitRateLimit(ctx.store.db, key, w.start);
  if (count > limit.max) throw tooMany(w.retryAfter);
}

/** Refuses with 429 when the limit is already reached, without counting. */
export async function check(ctx: AppContext, key: string, limit: Limit): Promise<void> {
  const w = window(ctx, limit);
  if ((await accounts.peekRateLimit(ctx.store.db, key, w.start)) >= limit.max) throw tooMany(w.retryAfter);
}

/** Counts a hit without refusing (a failure to remember). */
export async function record(ctx: AppContext, key: string, limit: Limit): Promise<void> {
  await accounts.hitRateLimit(ctx.store.db, key, window(ctx, limit).start);
}

/** Forgets a key's count. */
export async function reset(ctx: AppContext, key: string): Promise<void> {
  await accounts.clearRateLimit(ctx.store.db, key);
}
