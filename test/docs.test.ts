import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
