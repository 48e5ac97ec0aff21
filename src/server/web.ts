/**
 * Serves the web app (built by Vite into web/dist) beside the API: static files for every path
 * outside /api and index.html for the app's own addresses (the router runs in the browser), under
 * the Content-Security-Policy of app.ts (`script-src 'self'`: the build has no inline scripts). Without
 * a build, a short page says how to make one.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono } from "hono";
import { getMimeType } from "hono/utils/mime";
import type { Env } from "./env.js";

/** Where the built web app lives: <repo>/web/dist, from src/server or dist/server alike. */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Throughline</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Throughline</h1><p>The server is running, but the web app has not been built.
Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload this page.</p>
<p>The API is under <code>/api</code>; its reference is at <a href="/api/docs">/api/docs</a> and
<a href="/api/openapi.json">/api/openapi.json</a>.</p></main></body></html>`;

/**
 * The API request a page of the app makes first, for a `Link: rel=preload` header on its shell
 * (issue 17): the browser starts it as soon as the HTML arrives, while the app's script is still
 * being compiled, instead of when the script has run; web/src/lib/prefetch.ts makes the same
 * request (same URL, same-origin credentials) and the browser hands it the preloaded answer.
 * Only pages whose request needs nothing but the address: My week and a goal page.
 */
export function dataPreloadFor(path: string): string | null {
  if (path === "/") return "/api/week";
  const goal = /^\/goals\/([1-9]\d{0,9})$/.exec(path);
  return goal ? `/api/goals/${goal[1]}/page` : null;
}

/** Every page of the app asks who is signed in first (web/src/api/session.tsx): preloaded too. */
const SESSION_PRELOAD = "</api/auth/session>; rel=preload; as=fetch; crossorigin=anonymous";

/**
 * The `Link` header of an app page's shell: the session check first, then the page's data (issue
 * 17). Both start when the HTML arrives, in parallel; the app takes the answers (main.tsx).
 */
export function preloadsFor(path: string): string {
  const data = dataPreloadFor(path);
  return data
    ? `${SESSION_PRELOAD}, <${data}>; rel=preload; as=fetch; crossorigin=anonymous`
    : SESSION_PRELOAD;
}

function isApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** A small file outside assets/ (index.html, favicon.svg), read once per change, with its ETag. */
interface SmallFile {
  stamp: string;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  type: string;
}

/** Reads the small files that are revalidated (no content hash in their name), keyed by path. */
function smallFiles(): (file: string) => SmallFile | null {
  const known = new Map<string, SmallFile>();
  return (file) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(file);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    // A new build replaces the file: its size or time changes, and so does its ETag.
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const seen = known.get(file);
    if (seen?.stamp === stamp) return seen;
    const body = new Uint8Array(readFileSync(file));
    const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const type = getMimeType(file) ?? "application/octet-stream";
    const read = { stamp, body, etag, type };
    known.set(file, read);
    return read;
  };
}

/** Whether an If-None-Match header names this ETag (weak comparison, as for GET). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

/** Registers the web app's routes on the HTTP app (after the API routes). */
export function serveWebApp(app: Hono<Env>, dir: string = WEB_DIST): void {
  const root = resolve(dir);
  const index = join(root, "index.html");
  const assets = join(root, "assets");
  // Built assets carry a content hash in their name, so they never change: kept for a year.
  const files = serveStatic({ root: dir });
  const read = smallFiles();
  /** The HTML and the files without a hash: `no-cache` with an ETag, so a reload may get a 304. */
  const revalidated = (c: Context<Env>, file: SmallFile, headers: Record<string, string>) => {
    const common = { ...headers, "Cache-Control": "no-cache", ETag: file.etag };
    if (matches(c.req.header("If-None-Match"), file.etag)) return c.body(null, 304, common);
    const full = { ...common, "Content-Type": file.type, "Content-Length": String(file.body.length) };
    return c.req.method === "HEAD" ? c.body(null, 200, full) : c.body(file.body, 200, full);
  };

  app.on(["GET", "HEAD"], "*", async (c: Context<Env>, next) => {
    const path = c.req.path;
    if (isApi(path)) return next();
    const shell = read(index);
    if (!shell) return c.html(NOT_BUILT, path === "/" ? 200 : 404);
    const isFile = /\.[a-z0-9]+$/i.test(path);
    // One of the app's pages (the router runs in the browser): the shell, with its preloads.
    if (!isFile || path === "/index.html") return revalidated(c, shell, { Link: preloadsFor(path) });
    let local: string;
    try {
      local = resolve(root, `.${decodeURIComponent(path)}`);
    } catch {
      return next(); // a malformed escape names no file
    }
    if (local.startsWith(assets + sep)) {
      const served = await files(c, async () => {});
      if (!served) return next();
      served.headers.set("Cache-Control", "public, max-age=31536000, immutable");
      return served;
    }
    // Another file of the build (favicon.svg); a file name that was not found is a 404.
    const other = local.startsWith(root + sep) ? read(local) : null;
    return other ? revalidated(c, other, {}) : next();
  });
}
