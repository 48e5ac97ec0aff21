/**
 * Hook URLs: which addresses a webhook or a team's channel may point at, and how a channel's URL
 * is shown (masked, since the URL is itself the credential).
 */
import { z } from "zod";

/**
 * A hook URL: https, or plain http to this machine (127.0.0.1, ::1, localhost) for local
 * receivers and tests. With NODE_ENV=production only https to another host is accepted.
 */
export function hookUrlProblem(
  raw: string,
  production = process.env.NODE_ENV === "production",
): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL. Paste the whole address, starting with https://.";
  }
  if (url.username || url.password) return "must not contain a user name or password.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (production && loopback) return "points at this server itself. Use the receiver's public https address.";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && loopback && !production) return null;
  return "must start with https:// (plain http is accepted only for 127.0.0.1 or localhost outside production).";
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
