import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { cli, cliJson } from "../../../test/helpers/cli.js";
import { freshStore } from "../../../test/helpers/dialects.js";
import type { OkrImportResult } from "../../app/imports/okr.js";

const TEMPLATE = join(import.meta.dirname, "..", "..", "..", "docs", "templates", "okr-import.csv");
const dir = mkdtempSync(join(tmpdir(), "throughline-csv-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
vi.setConfig({ testTimeout: 120_000 });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function oneLine(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr.trim().split("\n")).toHaveLength(1);
}

describe("throughline import csv", () => {
  it("imports the template by its column names and ends with the per-field report", async () => {
    const s = await freshStore("sqlite");
    try {
      const r = cli(["import", "csv", TEMPLATE], s.config);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Imported from CSV: 2 goals, 3 key results and \d+ dated check-ins/);
      expect(r.stdout).toMatch(
        /Owners nobody in the workspace matches \(by email or name\): dana@example.com, Raj Patel/,
      );
      expect(r.stdout).toMatch(/^Check-in date\s+checkin\.date\s+0\s+5\s+0$/m);
      const again = cliJson<OkrImportResult>(["import", "csv", TEMPLATE], s.config);
      expect(again.created.goals).toBe(0);
      expect(again.existing.goals).toBe(2);
    } finally {
      await s.dispose();
    }
  });

  it("maps other column names with --map, and previews without importing", async () => {
    const s = await freshStore("sqlite");
    try {
      const f = file("sheet.csv", "Goal,Measure,From,To,Comment\nGrow the list,Subscribers,100,500,x\n");
      const preview = cli(
        ["import", "csv", f, "--map", "title=Goal,kr=Measure,start=From,target=To", "--preview"],
        s.config,
      );
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stdout).toMatch(/Preview of 1 row: 1 objective; nothing was imported/);
      expect(preview.stdout).toMatch(/^Comment\s+\(none\)\s+0\s+0\s+1\s+No field is mapped/m);
      const r = cliJson<OkrImportResult>(
        ["import", "csv", f, "--map", "title=Goal,kr=Measure,start=From,target=To"],
        s.config,
      );
      expect(r.created).toEqual({ goals: 1, keyResults: 1, checkins: 0 });
    } finally {
      await s.dispose();
    }
  });

  it.each([
    [
      ["--map", "titel=Goal"],
      "Goal,KR\nA,B\n",
      /the field 'titel', which the CSV import does not know\. Use field=Column pairs/,
    ],
    [
      ["--map", "title=Objective"],
      "Goal,KR\nA,B\n",
      /title=Objective names a column the file does not have\. Its columns are: Goal, KR/,
    ],
    [[], "Goal,KR\nA,B\n", /No column holds the objective\. Name a column 'Objective'/],
    [
      [],
      "Objective,Key result,Start,Target\nGrow,Signups,0,lots\n",
      /Row 2, column 'Target': 'lots' is not a number/,
    ],
  ])("refuses %j with one sentence and a non-zero exit", async (args, text, message) => {
    const s = await freshStore("sqlite");
    try {
      const r = cli(["import", "csv", file("bad.csv", text), ...args], s.config);
      expect(r.code).not.toBe(0);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(message);
    } finally {
      await s.dispose();
    }
  });
});
