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

/** Creates a client of the API at `baseUrl`: the server's address, or "" for the page's own origin. */
export function createApiClient(options: ClientOptions): ApiClient {
  return createClient<paths>(options);
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
