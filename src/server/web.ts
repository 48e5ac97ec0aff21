/**
 * Serves the web app (built by Vite into web/dist) beside the API: static files for every path
 * outside /api and index.html for the app's own addresses (the router runs in the browser), under
 * the Content-Security-Policy of app.ts (`script-src 'self'`: the build has no inline scripts). Without
 * a build, a short page says how to make one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono } from "hono";
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

function isApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** Registers the web app's routes on the HTTP app (after the API routes). */
export function serveWebApp(app: Hono<Env>, dir: string = WEB_DIST): void {
  const index = join(dir, "index.html");
  const files = serveStatic({
    root: dir,
    onFound: (path, c) => {
      // Built assets carry a content hash in their name, so they never change.
      c.header(
        "Cache-Control",
        path.includes(`${join(dir, "assets")}`) ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  const shell = serveStatic({
    root: dir,
    path: "index.html",
    onFound: (_path, c) => {
      c.header("Cache-Control", "no-cache");
    },
  });

  app.on(["GET", "HEAD"], "*", async (c: Context<Env>, next) => {
    const path = c.req.path;
    if (isApi(path)) return next();
    if (!existsSync(index)) return c.html(NOT_BUILT, path === "/" ? 200 : 404);
    // Set before serving ("/" is served as the file index.html, a goal page as the shell).
    const data = dataPreloadFor(path);
    if (data) c.header("Link", `<${data}>; rel=preload; as=fetch; crossorigin=anonymous`);
    const served = await files(c, async () => {});
    if (served) return served;
    // A file name that was not found is a 404; any other address is one of the app's pages.
    if (/\.[a-z0-9]+$/i.test(path)) return next();
    return (await shell(c, async () => {})) ?? next();
  });
}
