import { describe, expect, it } from "vitest";
import { readServerConfig } from "./config.js";

describe("readServerConfig", () => {
  it("starts on 127.0.0.1:3000 with SQLite when nothing is set", () => {
    expect(readServerConfig({})).toEqual({
      ok: true,
      config: {
        port: 3000,
        host: "127.0.0.1",
        databaseUrl: undefined,
        dbFile: undefined,
        trustProxy: false,
        pgPrepared: true,
      },
    });
  });

  it("lists every problem at once with how to fix it", () => {
    const r = readServerConfig({
      PORT: "eighty",
      DATABASE_URL: "mysql://x",
      THROUGHLINE_PG_PREPARED: "maybe",
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(3);
      expect(r.problems[0]).toMatch(/PORT 'eighty' is not a port number/);
      expect(r.problems[1]).toMatch(/postgres:\/\//);
      expect(r.problems[2]).toMatch(/THROUGHLINE_PG_PREPARED 'maybe' must be on or off/);
    }
    const off = readServerConfig({ THROUGHLINE_PG_PREPARED: "off" });
    expect(off.ok && off.config.pgPrepared).toBe(false);
  });
});
