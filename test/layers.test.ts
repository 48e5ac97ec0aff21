import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");

/** What each layer may import from (besides itself and packages). Imports point inward only. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  store: ["core"],
  app: ["core", "store"],
  server: ["core", "app", "integrations"],
  cli: ["core", "app", "integrations", "client"],
  jobs: ["core", "app", "integrations"],
  integrations: ["core", "app"],
  // The API client shared with the web app: its own files and openapi-fetch only.
  client: [],
};

/** Packages that do I/O, which the pure core must not use. */
const IO_PACKAGES = /^(node:|fs$|path$|kysely|better-sqlite3|pg$|hono|@hono\/|commander)/;

/** The only package the API client may use: it runs in browsers as well as in Node. */
const CLIENT_PACKAGES = /^openapi-fetch$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:import|export)[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

describe("the layers", () => {
  it("import inward only: core ← store ← app ← integrations ← {server, cli, jobs}", () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const layer = relative(SRC, file).split("/")[0] as string;
      const allowed = ALLOWED[layer];
      if (!allowed) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) {
          if (layer === "core" && IO_PACKAGES.test(spec))
            violations.push(`${relative(SRC, file)} imports ${spec}`);
          if (layer === "client" && !CLIENT_PACKAGES.test(spec))
            violations.push(`${relative(SRC, file)} imports ${spec}`);
          continue;
        }
        const target = relative(SRC, resolve(file, "..", spec)).split("/")[0] as string;
        // The server's entry point is the composition root: it also starts the jobs scheduler.
        if (relative(SRC, file) === "server/main.ts" && target === "jobs") continue;
        if (target !== layer && !allowed.includes(target))
          violations.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("keep queries in the store: use cases call repositories and never build a query", () => {
    const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/;
    const offenders = files(join(SRC, "app"))
      .map((f) => relative(SRC, f))
      .filter((f) => QUERY.test(readFileSync(join(SRC, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("keep the clock out of core", () => {
    const offenders = files(join(SRC, "core")).filter((f) =>
      /Date\.now\(\)|new Date\(\)/.test(readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
