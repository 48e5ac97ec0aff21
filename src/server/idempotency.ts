/**
 * The Idempotency-Key header on POSTs (issue 16): a retry with the same key and body gets the first
 * answer (same status and body, with `Idempotent-Replayed: true`) and writes nothing; the same key
 * with another body is a 422. Per signed-in person, kept 24 hours, in the database.
 */
import type { MiddlewareHandler } from "hono";
import {
  presentIdempotencyKey,
  recordIdempotentAnswer,
  releaseIdempotencyKeyOf,
} from "../app/idempotency/idempotency.js";
import type { Env } from "./env.js";

/**
 * POSTs whose answers carry a secret (a session, an API token, an invitation or calendar link, a
 * webhook's signing secret) or that act without a person: their answers are never stored, so the
 * header is ignored there.
 */
const NOT_KEYED = /^\/api\/(auth\/|tokens$|invitations$|calendar\/token$|webhooks$|unsubscribe\/)/;

/** Answers that are not kept: the client should retry those for real. */
function keepable(status: number): boolean {
  return status < 500 && status !== 429 && status !== 409;
}

/** Honours Idempotency-Key on every POST under /api by a signed-in person (run after authentication). */
export function idempotency(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const actor = c.get("actor");
    if (key === undefined || c.req.method !== "POST" || !actor || NOT_KEYED.test(c.req.path)) return next();
    const ctx = c.var.ctx;
    // Read once here; Hono keeps the body, so the route's validator reads it again.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const outcome = await presentIdempotencyKey(ctx, actor, {
      key,
      method: c.req.method,
      path: c.req.path,
      body,
    });
    if (outcome.kind === "replay") {
      const { answer } = outcome;
      const headers: Record<string, string> = { "idempotent-replayed": "true" };
      if (answer.contentType) headers["content-type"] = answer.contentType;
      return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers });
    }
    try {
      await next();
    } catch (e) {
      await releaseIdempotencyKeyOf(ctx, actor, key).catch(() => {});
      throw e;
    }
    if (!keepable(c.res.status)) {
      await releaseIdempotencyKeyOf(ctx, actor, key);
      return;
    }
    // Should this fail, the key stays reserved: a retry is told to wait (409), never written twice.
    await recordIdempotentAnswer(ctx, actor, key, {
      status: c.res.status,
      contentType: c.res.headers.get("content-type"),
      body: await c.res.clone().text(),
    });
  };
}
