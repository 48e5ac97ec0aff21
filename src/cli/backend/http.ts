/**
 * A small JSON client for Throughline's HTTP API: one request, its `{ error }` answer turned into
 * an AppError carrying the server's message, and a network failure turned into one line that says
 * which server could not be reached and what to do.
 */
import { AppError } from "../../app/errors.js";

/** How long one request may take before the CLI gives up. */
export const REQUEST_TIMEOUT_MS = 30_000;

const APP_STATUSES = new Set([400, 401, 403, 404, 409, 413, 422, 429]);

/** Query values; undefined ones are left out. */
export type Query = Record<string, string | number | boolean | undefined | null>;

/** One request's parts. */
export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A response read as JSON. */
export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

function reasonOf(e: unknown): string {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`;
  }
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const text = cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e);
  return text.replace(/\.$/, "");
}

/** The base address joined with an API path and its query. */
export function endpoint(base: string, path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ""}`;
}

/** Calls the API at `base`; `unreachableHint` ends the message when the server cannot be reached. */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly defaults: { headers?: Record<string, string>; unreachableHint: string },
  ) {}

  /** Sends a request and reads the JSON answer, whatever its status. */
  async send<T>(method: string, path: string, o: RequestOptions = {}): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = {
      accept: "application/json",
      ...this.defaults.headers,
      ...o.headers,
    };
    if (o.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(endpoint(this.base, path, o.query), {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        redirect: "error",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new AppError(
        400,
        "server_unreachable",
        `Cannot reach ${this.base}: ${reasonOf(e)}.${this.defaults.unreachableHint ? ` ${this.defaults.unreachableHint}` : ""}`,
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new AppError(
        400,
        "not_a_throughline_server",
        `${this.base} answered ${method} ${path} with HTTP ${res.status} and no JSON: is it a Throughline server? Check the address.`,
      );
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  /** Sends a request and returns its JSON body, or throws the server's error message. */
  async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const r = await this.send<T>(method, path, o);
    if (r.status >= 200 && r.status < 300) return r.body;
    throw apiError(this.base, r.status, r.body);
  }
}

/** The error a non-2xx answer stands for, with the server's own message. */
export function apiError(base: string, status: number, body: unknown): Error {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof err?.code === "string" ? err.code : "http_error";
  const message =
    typeof err?.message === "string" && err.message !== ""
      ? err.message
      : `The server answered HTTP ${status}.`;
  const details =
    err?.details !== null && typeof err?.details === "object" ? (err.details as Record<string, unknown>) : {};
  if (APP_STATUSES.has(status)) return new AppError(status as AppError["status"], code, message, details);
  return new Error(`${base} answered HTTP ${status}: ${message}`);
}
