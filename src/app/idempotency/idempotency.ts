/**
 * Idempotent retries (issue 16): a client sends an Idempotency-Key with a POST; the same key and
 * request again get the first answer instead of a second write. Keys are per person, kept 24
 * hours, and reserved atomically in the database, so duplicates at once, on any instance, create
 * once.
 */
import { createHash } from "node:crypto";
import {
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
} from "../../store/repos/idempotency.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { AppError, invalid } from "../errors.js";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** What the client sent: the header's value and the request it came with. */
export interface KeyedRequest {
  key: string;
  method: string;
  path: string;
  body: Uint8Array;
}

/** A stored answer to send again. */
export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** The outcome of presenting a key: go ahead (the key is now reserved), or replay an answer. */
export type KeyOutcome = { kind: "proceed" } | { kind: "replay"; answer: StoredAnswer };

/** Refuses a key that is not 1–255 printable ASCII characters. */
export function checkIdempotencyKey(key: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError(
      400,
      "invalid_idempotency_key",
      "The Idempotency-Key header must be 1 to 255 printable characters without spaces, e.g. a UUID. Send one new key per thing you create, and the same key when you retry it.",
    );
  }
}

function hashOf(r: KeyedRequest): string {
  return createHash("sha256").update(`${r.method} ${r.path}\n`).update(r.body).digest("hex");
}

/**
 * Presents a key: reserves it for this request, or answers what the first request with it got.
 * Throws 422 when the key came with another request, and 409 while the first is still being
 * answered (or was cut off before it answered).
 */
export async function presentIdempotencyKey(
  ctx: AppContext,
  actor: Actor,
  request: KeyedRequest,
): Promise<KeyOutcome> {
  checkIdempotencyKey(request.key);
  const requestHash = hashOf(request);
  const now = ctx.now();
  const createdAt = nowIso(ctx);
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_HOURS * 3_600_000).toISOString();
  const db = ctx.store.db;
  const reserved = await reserveIdempotencyKey(db, {
    userId: actor.userId,
    key: request.key,
    requestHash,
    createdAt,
    expiresAt,
  });
  if (reserved) return { kind: "proceed" };
  const row = await findIdempotencyKey(db, actor.userId, request.key);
  // Released or expired between the two reads: one more try settles it.
  if (!row) return presentIdempotencyKey(ctx, actor, request);
  if (row.requestHash !== requestHash) {
    throw invalid(
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request. Use a new key for a new thing to create; send the same key only to retry the very same request.",
    );
  }
  if (row.status === null) {
    throw new AppError(
      409,
      "idempotency_key_in_flight",
      "A request with this Idempotency-Key is still being answered, or was cut off before it answered. Wait a moment and send it again; if it keeps saying this, check whether it was saved before sending it with a new key.",
      { retryAfter: 1 },
    );
  }
  return {
    kind: "replay",
    answer: { status: row.status, contentType: row.contentType, body: row.responseBody ?? "" },
  };
}

/** Records the answer to a request whose key was reserved, to replay to retries. */
export async function recordIdempotentAnswer(
  ctx: AppContext,
  actor: Actor,
  key: string,
  answer: StoredAnswer,
): Promise<void> {
  await completeIdempotencyKey(ctx.store.db, actor.userId, key, {
    status: answer.status,
    contentType: answer.contentType,
    responseBody: answer.body,
  });
}

/** Frees a reserved key whose request failed in a way worth retrying (busy, a fault). */
export async function releaseIdempotencyKeyOf(ctx: AppContext, actor: Actor, key: string): Promise<void> {
  await releaseIdempotencyKey(ctx.store.db, actor.userId, key);
}
