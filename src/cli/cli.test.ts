import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, cliJson } from "../../test/helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "throughline-cli-"));
const db = { file: join(dir, "nested", "folder", "t.db") };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function noStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
}

describe("the throughline command line", () => {
  it("creates the database folder on first use and prints a created object with its id", () => {
    const g = cliJson<{ id: number; title: string }>(["goal", "add", "Run a 10k", "--due", "2027-06-01"], db);
    expect(g.id).toBe(1);
    expect(g.title).toBe("Run a 10k");
  });

  it("reads dates written in words", () => {
    const s = cliJson<{ dueDate: string }>(["step", "add", "1", "Book the physio", "--due", "tomorrow"], db);
    expect(s.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("refuses an impossible date with how to fix it, exit 1, no stack trace", () => {
    const r = cli(["step", "add", "1", "Buy shoes", "--due", "31/02/2026"], db);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'31\/02\/2026' is not a date\. Use YYYY-MM-DD/);
    noStack(r.stderr);
  });

  it("exits 2 on a usage error", () => {
    const r = cli(["goal", "add"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
    expect(cli(["goal", "frobnicate"], db).code).toBe(2);
    expect(cli(["kr", "add", "1", "Km per week"], db).code).toBe(2);
  });

  it("says which goal is missing", () => {
    const r = cli(["goal", "show", "42"], db);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No goal with id 42/);
    noStack(r.stderr);
  });

  it("refuses ids and numbers that are not numbers", () => {
    const a = cli(["goal", "show", "abc"], db);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/not an id/);
    const b = cli(["kr", "add", "1", "Km per week", "--from", "ten", "--to", "30"], db);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/--from 'ten' is not a number/);
    const c = cli(["checkin", "1", "--kr", "nonsense"], db);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/<krId>=<value>/);
  });

  it("lists steps and hides done ones unless --all", () => {
    const s = cliJson<{ id: number }>(["step", "add", "1", "Run 3 km on Monday", "--due", "2026-11-23"], db);
    cliJson(["step", "done", String(s.id)], db);
    const open = cliJson<{ id: number }[]>(["step", "list"], db);
    expect(open.map((x) => x.id)).not.toContain(s.id);
    const all = cliJson<{ id: number }[]>(["step", "list", "--all"], db);
    expect(all.map((x) => x.id)).toContain(s.id);
  });

  it("asks for one small step when the week is empty", () => {
    const empty = { file: join(dir, "empty.db") };
    const r = cli(["week"], empty);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/What is one small step you can take this week\?/);
  });

  it("prints readable text without --json", () => {
    const r = cli(["goal", "show", "1"], db);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/#1 Run a 10k/);
    expect(r.stdout).toMatch(/Why: \(no why yet/);
  });
});
