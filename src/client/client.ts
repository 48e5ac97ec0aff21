/**
 * The one typed client of Throughline's HTTP API, shared by the web app and the CLI: openapi-fetch
 * over the `paths` that openapi-typescript generates from GET /api/openapi.json into openapi.d.ts
 * (`npm run api:client` regenerates it; a test fails when it is stale). It runs in browsers and in
 * Node, so it imports nothing but openapi-fetch and its own generated types.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./openapi.js";

export type { components, operations, paths };

/** The document's named schemas (Goal, Step, Checkin, ...). */
export type Schemas = components["schemas"];

/** A client of the API: `GET("/api/goals/{id}", { params: { path: { id } } })` and so on. */
export type ApiClient = Client<paths>;

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : never;

/** The JSON an operation (named by its operationId) answers on success (200 or 201). */
export type Answer<O extends keyof operations> = operations[O]["responses"] extends infer R
  ? R extends { 200: infer Ok }
    ? JsonOf<Ok>
    : R extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;

/** The JSON body an operation takes. */
export type Body<O extends keyof operations> = operations[O] extends { requestBody?: infer B }
  ? JsonOf<NonNullable<B>>
  : never;

/** The query parameters an operation takes. */
export type Query<O extends keyof operations> = NonNullable<operations[O]["parameters"]["query"]>;

/**
 * Creates a client of the API at `baseUrl`: the server's address, or "" for the page's own origin.
 * Every POST carries an Idempotency-Key (`keyedPosts`), reused by its retries.
 */
export function createApiClient(options: ClientOptions): ApiClient {
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  return createClient<paths>({ ...options, fetch: keyedPosts(base) });
}

// Idempotency-Key on every POST, and retries that reuse it

/** A fresh Idempotency-Key: 128 random bits in hex (getRandomValues works on plain-http pages too). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** How many times a POST is sent again after a busy answer (503, 409 in flight) or a lost reply. */
export const POST_RETRIES = 2;

/**
 * Wraps a fetch so that each POST (one logical create) gets one Idempotency-Key, and is sent again
 * with the same key when the answer was lost (a network error) or the server asked to retry (503
 * database_busy, 409 idempotency_key_in_flight): the server then answers the first answer instead
 * of writing twice.
 */
export function keyedPosts(
  base: (request: Request) => Promise<Response>,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "POST") return base(request);
    const headers = new Headers(request.headers);
    if (!headers.has("idempotency-key")) headers.set("idempotency-key", newIdempotencyKey());
    const keyed = new Request(request, { headers });
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= POST_RETRIES;
      let response: Response;
      try {
        response = await base(last ? keyed : keyed.clone());
      } catch (e) {
        if (last) throw e;
        await wait(500 * (attempt + 1));
        continue;
      }
      if (last || (response.status !== 503 && response.status !== 409)) return response;
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { error?: { code?: string } } | null;
      const code = body?.error?.code;
      if (code !== "database_busy" && code !== "idempotency_key_in_flight") return response;
      const after = Number(response.headers.get("retry-after"));
      await wait(Math.min(Number.isFinite(after) && after > 0 ? after * 1000 : 1000, 3000));
    }
  };
}

/** The parts of an `{ error: { code, message, details } }` answer, each kept only when it has its type. */
export interface ErrorParts {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Reads the error parts of any answer body (an object, text, or nothing). */
export function errorParts(body: unknown): ErrorParts {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err === null || typeof err !== "object") return {};
  const parts: ErrorParts = {};
  if (typeof err.code === "string") parts.code = err.code;
  if (typeof err.message === "string" && err.message !== "") parts.message = err.message;
  if (err.details !== null && typeof err.details === "object") {
    parts.details = err.details as Record<string, unknown>;
  }
  return parts;
}

/** What one call of an ApiClient settles to. */
export type Outcome<D> = { data?: D; error?: unknown; response: Response };

/**
 * The data of a call that succeeded; otherwise the error that `fail` makes of the answer and its
 * error parts. Callers pick their own error type (the web app's ApiError, the CLI's AppError).
 */
export async function dataOrThrow<D>(
  call: Promise<Outcome<D>>,
  fail: (response: Response, parts: ErrorParts) => Error,
): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  throw fail(response, errorParts(error));
}
