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
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = new Hono<Env>();
serveWebApp(app, dir);
const get = (path: string) => app.request(`http://localhost${path}`);

describe("the web app's files", () => {
  it("asks the browser to start a page's data with its HTML: My week and a goal page", async () => {
    const week = await get("/");
    expect(week.status).toBe(200);
    expect(week.headers.get("link")).toBe("</api/week>; rel=preload; as=fetch; crossorigin=anonymous");
    const goal = await get("/goals/12");
    expect(goal.status).toBe(200);
    expect(await goal.text()).toContain("<title>Throughline</title>");
    expect(goal.headers.get("link")).toBe(
      "</api/goals/12/page>; rel=preload; as=fetch; crossorigin=anonymous",
    );
  });

  it("preloads nothing for other pages or addresses that are not a goal", async () => {
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
      expect(r.headers.get("link"), path).toBeNull();
    }
  });
});
