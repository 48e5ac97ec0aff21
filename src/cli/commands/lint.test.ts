import { describe, expect, it } from "vitest";
import { cli } from "../../../test/helpers/cli.js";

const noDb = { file: "/nonexistent/never-opened.db" };

describe("throughline lint", () => {
  it("prints one JSON object per text, in order, with kind for steps", () => {
    const r = cli(
      [
        "lint",
        "get the budget approved by finance",
        "Call Dana to book the venue by Friday",
        "--json",
        "--now",
        "2026-11-21",
      ],
      noDb,
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.text, l.kind])).toEqual([
      ["get the budget approved by finance", "outcome"],
      ["Call Dana to book the venue by Friday", "action"],
    ]);
    expect(lines[0].findings.map((f: { code: string }) => f.code)).toContain("outcome-not-action");
    expect(lines[1]).toMatchObject({ findings: [], due: "2026-11-27", measure: null });
  });

  it("reads one text per line from stdin when given none", () => {
    const input = ["work on the deck", "", "Email Raj the revised quote tomorrow"].join("\n");
    const r = cli(["lint", "--json", "--now", "2026-11-21"], noDb, input);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].findings.map((f: { code: string }) => f.code)).toContain("vague-verb");
    expect(lines[1].findings.map((f: { code: string }) => f.code)).toContain("empty");
    expect(lines[2].due).toBe("2026-11-22");
  });

  it("streams a large stdin line by line", () => {
    const n = 20_000;
    const input = Array.from({ length: n }, (_, i) => `Email client ${i} the invoice by Friday`).join("\n");
    const r = cli(["lint", "--json", "--now", "2026-11-21"], noDb, input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(n);
    expect(JSON.parse(lines[n - 1] as string).text).toBe(`Email client ${n - 1} the invoice by Friday`);
  });

  it("checks goals for SMART when asked", () => {
    const r = cli(["lint", "--as", "goal", "Be a better leader", "--json", "--now", "2026-11-21"], noDb);
    const item = JSON.parse(r.stdout);
    expect(item.smart).toEqual({
      specific: expect.any(Boolean),
      measurable: false,
      timeBound: false,
      achievable: null,
      relevant: null,
    });
    expect(item.findings.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(["not-measurable", "no-due-date"]),
    );
  });

  it("shows the five SMART letters for a goal, with A and R unknown from the text alone", () => {
    const r = cli(["lint", "--as", "goal", "Sign 40 clients by 31 January", "--now", "2026-11-21"], noDb);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SMART  S ✓  M ✓  T ✓  A ?  R ?");
  });

  it("writes a readable report with suggestions without --json", () => {
    const r = cli(["lint", "look into CRMs", "--now", "2026-11-21"], noDb);
    expect(r.stdout).toMatch(/vague-verb/);
    expect(r.stdout).toMatch(/→ /);
    expect(r.stdout.includes("\u001b[")).toBe(false);
  });

  it("refuses a bad --as or --now with how to fix it", () => {
    const a = cli(["lint", "x", "--as", "task"], noDb);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/--as 'task' is not step, goal or planB/);
    const b = cli(["lint", "x", "--now", "2026-02-31"], noDb);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/Use YYYY-MM-DD/);
  });
});
