/**
 * Where to go after signing in (issue 19, deep links): the `next` parameter, else the page the
 * person opened (an email's link to `/goals/5#step-12` shows the sign-in page at that address),
 * with its hash kept. Only a path of this site: it must start with a single "/" (never "//", "/\",
 * a scheme such as `https:` or `javascript:`, or control characters), so it is never an open
 * redirect; the sign-in pages themselves lead to "/". Pure, so it is tested without a browser
 * (test/web/next-path.test.ts).
 */

const SIGN_IN_PAGES = /^\/(sign-in|welcome|join|invite)(\/|$)/;

/** A same-origin path to go to, or "/" when `candidate` is anything else. */
export function safeNextPath(candidate: string | null | undefined, origin: string): string {
  if (!candidate) return "/";
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return "/";
  // Browsers drop tabs and newlines inside URLs ("/\t/evil.example" becomes "//evil.example").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return "/";
  let url: URL;
  try {
    url = new URL(candidate, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  if (SIGN_IN_PAGES.test(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The path to land on after signing in at `pathname` + `search` + `hash`: `?next=` when given
 * (checked the same way), else that address itself without its `invite` parameter.
 */
export function nextPathOf(pathname: string, search: string, hash: string, origin: string): string {
  const params = new URLSearchParams(search);
  const asked = params.get("next");
  if (asked !== null) return safeNextPath(asked, origin);
  params.delete("invite");
  const rest = params.toString();
  return safeNextPath(`${pathname}${rest ? `?${rest}` : ""}${hash}`, origin);
}
