/**
 * The CLI's side of the shared API client (src/client): each request times out, follows no
 * redirect and must answer JSON; a network failure becomes one line that says which server could
 * not be reached and what to do, and an `{ error }` answer becomes an AppError carrying the
 * server's message.
 */
import { AppError } from "../../app/errors.js";
import {
  type ApiClient,
  createApiClient,
  dataOrThrow,
  type ErrorParts,
  type Outcome,
} from "../../client/client.js";

/** How long one request may take before the CLI gives up. */
export const REQUEST_TIMEOUT_MS = 30_000;

const APP_STATUSES = new Set([400, 401, 403, 404, 409, 413, 422, 429]);

function reasonOf(e: unknown): string {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`;
  }
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const text = cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e);
  return text.replace(/\.$/, "");
}

/** How the CLI reaches a server: its address, headers for every request, and the end of "Cannot reach". */
export interface ServerOptions {
  headers?: Record<string, string>;
  unreachableHint: string;
}

/** A client of the API at `base`, failing the CLI's way. */
export function serverClient(base: string, o: ServerOptions): ApiClient {
  const client = createApiClient({
    baseUrl: base,
    headers: { accept: "application/json", ...o.headers },
    redirect: "error",
    fetch: async (request) => {
      try {
        return await fetch(request, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (e) {
        throw new AppError(
          400,
          "server_unreachable",
          `Cannot reach ${base}: ${reasonOf(e)}.${o.unreachableHint ? ` ${o.unreachableHint}` : ""}`,
        );
      }
    },
  });
  client.use({
    async onResponse({ request, response }) {
      // Whatever its status, a Throughline server answers JSON; anything else is another server.
      try {
        JSON.parse(await response.clone().text());
      } catch {
        const path = new URL(request.url).pathname.slice(new URL(base).pathname.replace(/\/$/, "").length);
        throw new AppError(
          400,
          "not_a_throughline_server",
          `${base} answered ${request.method} ${path} with HTTP ${response.status} and no JSON: is it a Throughline server? Check the address.`,
        );
      }
    },
  });
  return client;
}

/** The error a non-2xx answer stands for, with the server's own message. */
function apiError(base: string, status: number, err: ErrorParts): Error {
  const code = err.code ?? "http_error";
  const message = err.message ?? `The server answered HTTP ${status}.`;
  if (APP_STATUSES.has(status)) return new AppError(status as AppError["status"], code, message, err.details);
  return new Error(`${base} answered HTTP ${status}: ${message}`);
}

/** The data of one call to the server at `base`, or the AppError its answer stands for. */
export function answerOf<D>(base: string, call: Promise<Outcome<D>>): Promise<D> {
  return dataOrThrow(call, (res, err) => apiError(base, res.status, err));
}
