import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { ExportedPlan, PlanExport } from "../../app/exports/exports.js";
import type { Backup } from "../../app/imports/imports.js";
import { backupToJson } from "./backup.js";
import { CSV_COLUMNS, plansToCsv } from "./csv.js";
import { mdText, plansToMarkdown } from "./markdown.js";

const T = "2026-11-21T10:00:00.000Z";

const PLAN: ExportedPlan = {
  goal: {
    id: 1,
    workspaceId: 1,
    title: "Grow the newsletter to 2,000 subscribers",
    why: "Sponsors need reach",
    values: ["growth"],
    ownerId: 1,
    teamId: null,
    parentId: null,
    visibility: "private",
    status: "active",
    priority: "high",
    startDate: "2026-11-01",
    dueDate: "2027-03-31",
    cadenceDays: 7,
    successLooksLike: null,
    createdAt: T,
    updatedAt: T,
  },
  ownerName: "Alex",
  keyResults: [
    {
      id: 1,
      goalId: 1,
      title: "Subscribers",
      unit: "users",
      startValue: 1200,
      targetValue: 2000,
      currentValue: 1400,
      direction: "increase",
      dueDate: null,
      createdAt: T,
      updatedAt: T,
    },
  ],
  steps: [
    {
      id: 7,
      goalId: 1,
      text: 'Email Raj the "revised" deck, then call',
      ownerId: null,
      dueDate: "2026-11-27",
      status: "done",
      position: 1,
      estimateMinutes: 20,
      doneAt: T,
      delegatedBy: null,
      doneLooksLike: null,
      delegationState: null,
      recurrence: null,
      createdAt: T,
      updatedAt: T,
      notes: "line one\nline two",
      tags: ["email", "sponsors"],
    },
    {
      id: 8,
      goalId: 1,
      text: "Draft the *welcome* email",
      ownerId: null,
      dueDate: null,
      status: "dropped",
      position: 2,
      estimateMinutes: null,
      doneAt: null,
      delegatedBy: null,
      doneLooksLike: null,
      delegationState: null,
      recurrence: null,
      createdAt: T,
      updatedAt: T,
      notes: null,
      tags: [],
    },
  ],
  resources: [
    { id: 1, goalId: 1, stepId: null, kind: "person", name: "Dana", ask: "Share the issue", createdAt: T },
  ],
  barriers: [
    {
      id: 1,
      goalId: 1,
      obstacle: "Approval slips",
      likelihood: "high",
      planB: "If approval slips past Friday, then I ask Dana",
      status: "anticipated",
      hitAt: null,
      createdAt: T,
      updatedAt: T,
    },
  ],
  checkins: [],
};

const EMPTY_GOAL: ExportedPlan = {
  ...PLAN,
  goal: { ...PLAN.goal, id: 2, title: "Run a 10k" },
  steps: [],
  keyResults: [],
};
const DATA: PlanExport = { exportedAt: T, today: "2026-11-21", plans: [PLAN, EMPTY_GOAL] };

describe("the CSV export", () => {
  const text = plansToCsv(DATA);

  it("has a header and one row per step, plus one for a goal without steps, with CRLF line ends", () => {
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      goal_id: "1",
      goal: "Grow the newsletter to 2,000 subscribers",
      step_id: "7",
      step: 'Email Raj the "revised" deck, then call',
      status: "done",
      due: "2026-11-27",
      estimate_minutes: "20",
      tags: "email, sponsors",
      notes: "line one\nline two",
      goal_owner: "Alex",
    });
    expect(rows[2]).toMatchObject({ goal_id: "2", goal: "Run a 10k", step_id: "", step: "" });
  });
});

describe("the Markdown export", () => {
  const md = plansToMarkdown(DATA);

  it("reads as a plan: goal, why, key results, a step checklist, resources and Plan B", () => {
    expect(md).toMatch(/^# Plans\n\nExported 2026-11-21\. 2 goals\.\n/);
    expect(md).toContain("## Grow the newsletter to 2,000 subscribers");
    expect(md).toContain("**Why:** Sponsors need reach");
    expect(md).toContain("- Subscribers: 1400 users (from 1200 to 2000 users, 25%)");
    expect(md).toContain(
      '- [x] Email Raj the "revised" deck, then call — by 2026-11-27 · ~20 min · #email #sponsors',
    );
    expect(md).toContain("  > line one\n  > line two");
    expect(md).toContain("- [ ] ~~Draft the \\*welcome\\* email~~ (dropped)");
    expect(md).toContain('- Dana (person): ask "Share the issue"');
    expect(md).toContain(
      "- **Approval slips** (high likelihood, anticipated) — Plan B: If approval slips past Friday, then I ask Dana",
    );
  });

  it("escapes Markdown syntax in people's text", () => {
    expect(mdText("# not a heading [link](x) <b>")).toBe("\\# not a heading \\[link\\](x) \\<b\\>");
  });
});

describe("the backup's JSON text", () => {
  it("parses back to the same backup, one row per line", () => {
    const b: Backup = {
      format: "throughline-backup",
      version: 1,
      exportedAt: T,
      dialect: "sqlite",
      migrations: ["0001-initial"],
      tables: {
        goals: {
          columns: ["id", "title"],
          rows: [
            [1, 'a "b"\nc'],
            [2, null],
          ],
        },
        kudos: { columns: ["checkin_id"], rows: [] },
      },
    };
    const text = backupToJson(b);
    expect(JSON.parse(text)).toEqual(b);
    expect(text.split("\n")).toContain('        [1,"a \\"b\\"\\nc"],');
  });
});
