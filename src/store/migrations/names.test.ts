import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "./index.js";
import { MIGRATION_NAMES } from "./names.js";

describe("the migration names opening a database checks", () => {
  it("are every migration index.ts runs, in its order", () => {
    // A migration missing from the names would never run on a database that has the others.
    expect(MIGRATION_NAMES).toEqual(Object.keys(MIGRATIONS));
  });

  it("are every migration file in the folder", () => {
    const files = readdirSync(import.meta.dirname)
      .filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith(".test.ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect([...MIGRATION_NAMES].sort()).toEqual(files);
  });
});
