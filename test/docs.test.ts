import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serverFlagsOf, startFlags } from "../bench/server-command.js";
import type { AppContext } from "../src/app/context.js";
import { createHttpApp } from "../src/server/app.js";

describe("docs/api.md", () => {
  it("lists every route of the OpenAPI document", async () => {
    const app = createHttpApp({ store: null, now: () => new Date() } as unknown as AppContext);
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const text = readFileSync(join(import.meta.dirname, "..", "docs", "api.md"), "utf8");
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const line = `${method.toUpperCase()} ${path}`;
        if (!text.includes(line)) missing.push(line);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("docs/deploy.md", () => {
  it("starts each instance with the node flags of npm start", () => {
    const root = join(import.meta.dirname, "..");
    const text = readFileSync(join(root, "docs", "deploy.md"), "utf8");
    const commands = text.split("\n").filter((line) => /\bnode\b.*dist\/server\/main\.js/.test(line));
    expect(commands.length).toBeGreaterThan(0);
    const flags = startFlags(root);
    for (const command of commands) expect(serverFlagsOf(command)).toEqual(flags);
    // Node refuses some V8 flags (this one among them) in NODE_OPTIONS, but takes them here.
    expect(spawnSync(process.execPath, [...flags, "-e", ""]).status).toBe(0);
  });
});
