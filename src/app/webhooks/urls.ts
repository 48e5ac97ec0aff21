/**
 * Hook URLs: which addresses a webhook or a team's channel may point at, and how a channel's URL
 * is shown (masked, since the URL is itself the credential).
 */
import { z } from "zod";
import {
  type AllowList,
  hostRefusal,
  isAllowListedHost,
  OUTBOUND_ALLOW_ENV,
  outboundAllowList,
} from "./outbound.js";

/**
 * A hook URL: https to a public host. A host written as a private, loopback, link-local or other
 * non-public address (or "localhost") is refused, in development as in production, unless the
 * allow-list (THROUGHLINE_OUTBOUND_ALLOW, src/app/webhooks/outbound.ts) names it; plain http is
 * accepted only to such an allow-listed address (a local receiver, the tests). Names are checked
 * again, resolved, at every send.
 */
export function hookUrlProblem(raw: string, allow: AllowList = outboundAllowList()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL. Paste the whole address, starting with https://.";
  }
  if (url.username || url.password) return "must not contain a user name or password.";
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "must start with https:// (the receiver's public https address).";
  }
  const refusal = hostRefusal(url.hostname, allow);
  if (refusal) return `points at ${refusal}`;
  if (url.protocol === "https:") return null;
  if (isAllowListedHost(url.hostname, allow)) return null;
  return `must start with https:// (plain http is accepted only to an address on ${OUTBOUND_ALLOW_ENV}, such as a local test receiver).`;
}

/** A hook URL in a request body, checked with `hookUrlProblem`. */
export const hookUrl = z
  .string()
  .trim()
  .max(2000, { message: "is too long (at most 2000 characters)." })
  .superRefine((v, c) => {
    const problem = hookUrlProblem(v);
    if (problem) c.addIssue({ code: "custom", message: problem });
  });

/** A hook URL with all but its origin and last four characters hidden. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const rest = `${u.pathname}${u.search}`;
    return rest.length > 8 ? `${u.origin}/…${rest.slice(-4)}` : `${u.origin}/…`;
  } catch {
    return "…";
  }
}
