import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import type { Env } from "./env.js";
import { serveWebApp } from "./web.js";

const dir = mkdtempSync(join(tmpdir(), "throughline-web-"));
mkdirSync(join(dir, "assets"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>Throughline</title>");
writeFileSync(join(dir, "assets", "index-abc123.js"), "export {};");
writeFileSync(join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = new Hono<Env>();
serveWebApp(app, dir);
const get = (path: string) => app.request(`http://localhost${path}`);

const SESSION = "</api/auth/session>; rel=preload; as=fetch; crossorigin=anonymous";

describe("the web app's files", () => {
  it("asks the browser to start the session check and a page's data with its HTML: My week and a goal page", async () => {
    const week = await get("/");
    expect(week.status).toBe(200);
    expect(week.headers.get("link")).toBe(
      `${SESSION}, </api/week>; rel=preload; as=fetch; crossorigin=anonymous`,
    );
    const goal = await get("/goals/12");
    expect(goal.status).toBe(200);
    expect(await goal.text()).toContain("<title>Throughline</title>");
    expect(goal.headers.get("link")).toBe(
      `${SESSION}, </api/goals/12/page>; rel=preload; as=fetch; crossorigin=anonymous`,
    );
  });

  it("preloads only the session check for the app's other pages", async () => {
    for (const path of [
      "/goals",
      "/goals/0",
      "/goals/12/check-in",
      "/goals/abc",
      "/settings",
      "/index.html",
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("link"), path).toBe(SESSION);
    }
  });

  it("preloads nothing with a file or an unknown file name", async () => {
    for (const [path, status] of [
      ["/assets/index-abc123.js", 200],
      ["/favicon.svg", 200],
      ["/nothing-here.png", 404],
      ["/assets/%E0%A4%A.js", 404],
      ["/%2e%2e/secret.txt", 404],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect(r.headers.get("link"), path).toBeNull();
    }
  });

  it("lets the browser keep hashed files for a year and revalidate the HTML by its ETag", async () => {
    const asset = await get("/assets/index-abc123.js");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    for (const path of ["/", "/goals/12", "/settings"]) {
      const first = await get(path);
      expect(first.headers.get("cache-control"), path).toBe("no-cache");
      const etag = first.headers.get("etag");
      expect(etag, path).toMatch(/^W\/".+"$/);
      const again = await app.request(`http://localhost${path}`, {
        headers: { "If-None-Match": etag ?? "" },
      });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe("");
      expect(again.headers.get("etag"), path).toBe(etag);
      expect(again.headers.get("cache-control"), path).toBe("no-cache");
      // The 304 still starts the page's requests: the browser reads Link from it.
      expect(again.headers.get("link"), path).toBe(first.headers.get("link"));
      const stale = await app.request(`http://localhost${path}`, { headers: { "If-None-Match": 'W/"old"' } });
      expect(stale.status, path).toBe(200);
    }
  });

  it("changes the HTML's ETag when a new build replaces it", async () => {
    const before = (await get("/")).headers.get("etag");
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>Throughline, rebuilt</title>");
    const after = await get("/");
    expect(after.headers.get("etag")).not.toBe(before);
    expect(await after.text()).toContain("rebuilt");
  });
});
