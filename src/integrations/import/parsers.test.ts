import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../app/errors.js";
import type { ImportSource } from "../../app/imports/imports.js";
import { nameFromFile, parseImportFile } from "./index.js";
import { taskwarriorRepeat } from "./taskwarrior.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "import");
const TODAY = "2026-11-21";

function fixture(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name));
}

function parse(source: ImportSource, name: string, goal = "Fixture") {
  return parseImportFile(source, fixture(name), { today: TODAY, name: goal });
}

function failure(source: ImportSource, bytes: Uint8Array | string): AppError {
  try {
    parseImportFile(source, typeof bytes === "string" ? Buffer.from(bytes) : bytes, {
      today: TODAY,
      name: "x",
    });
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the file to be refused");
}

describe("the Taskwarrior parser", () => {
  const data = parse("taskwarrior", "taskwarrior.json");

  it("makes a goal of each project and an inbox for tasks without one", () => {
    expect(data.goals.map((g) => [g.externalId, g.title, g.steps.length])).toEqual([
      ["project:Newsletter", "Newsletter", 3],
      ["project:Home.Garden", "Home · Garden", 3],
      ["inbox", "Taskwarrior inbox", 1],
    ]);
  });

  it("keeps status, due day, tags with priority, and annotations as notes", () => {
    const [deck, welcome, grow] = data.goals[0]?.steps ?? [];
    expect(deck).toMatchObject({
      externalId: "5f2c8a4e-1b7d-4c1e-9a57-0c2d8e9b1a01",
      status: "todo",
      dueDate: "2026-11-27",
      tags: ["email", "sponsors", "priority:H"],
    });
    expect(welcome?.notes).toBe("2026-11-02: Keep it under 150 words\n2026-11-03: Link the archive");
    expect(grow).toMatchObject({ status: "done", doneAt: "2026-11-05T16:00:00.000Z" });
    const garden = data.goals[1]?.steps ?? [];
    expect(garden.map((s) => s.status)).toEqual(["todo", "dropped", "todo"]);
  });

  it("leaves out recurring templates and says so", () => {
    expect(data.skipped).toEqual([expect.stringMatching(/recurring template "Water the tomatoes"/)]);
  });

  it("makes a recurring template one step that repeats, due on its first open instance", () => {
    const tomatoes = data.goals[1]?.steps[2];
    expect(tomatoes).toMatchObject({
      externalId: "5f2c8a4e-1b7d-4c1e-9a57-0c2d8e9b1a07",
      text: "Water the tomatoes",
      status: "todo",
      dueDate: "2026-11-21",
      recurrence: "FREQ=DAILY",
    });
    expect(data.skipped).toEqual([
      '1 open instance of the recurring template "Water the tomatoes" (imported once, as a step that repeats every day)',
    ]);
    const others = data.goals.flatMap((g) => g.steps).filter((s) => s !== tomatoes);
    expect(others.map((s) => s.recurrence)).toEqual(others.map(() => null));
  });

  describe("with recurring tasks", () => {
    const home = parse("taskwarrior", "taskwarrior-recurring.json");
    const steps = home.goals[0]?.steps ?? [];

    it("keeps completed instances as done steps and folds open ones into the repeating step", () => {
      expect(
        steps.map((s) => [
          s.externalId.slice(0, 2) + s.externalId.slice(-2),
          s.status,
          s.dueDate,
          s.recurrence,
        ]),
      ).toEqual([
        ["r101", "todo", "2027-02-28", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;UNTIL=20270630"],
        ["r1a1", "done", "2027-01-31", null],
        ["r202", "todo", "2026-11-16", "FREQ=WEEKLY"],
        ["r2b1", "done", "2026-11-02", null],
        ["r2b2", "done", "2026-11-09", null],
        ["go00", "todo", "2026-11-20", "FREQ=WEEKLY;INTERVAL=2"],
        ["r3d1", "todo", "2026-11-20", null],
        ["p001", "todo", "2026-11-25", null],
      ]);
      expect(steps[2]?.tags).toEqual(["work"]);
    });

    it("names what it folded and the repeat it could not read", () => {
      expect(home.skipped).toEqual([
        '2 open instances of the recurring template "Pay the rent" (imported once, as a step that repeats every month on the 31st (or the month\'s last day), until 30 Jun 2027)',
        '1 open instance of the recurring task "Water the ferns" (imported once, as a step that repeats every 2 weeks)',
        'recurring template "Stretch" (its recur "2h" has no Throughline form; its pending instances are imported)',
      ]);
    });

    it.each([
      ["daily", "every day"],
      ["weekdays", "every weekday"],
      ["weekly", "every week"],
      ["2weeks", "every 2 weeks"],
      ["biweekly", "every 2 weeks"],
      ["monthly", "every month"],
      ["3mo", "every 3 months"],
      ["quarterly", "every 3 months"],
      ["2q", "every 6 months"],
      ["yearly", "every year"],
      ["P3D", "every 3 days"],
      ["P1W", "every week"],
      ["P2M", "every 2 months"],
      ["10d", "every 10 days"],
      ["2h", null],
      ["30min", null],
      ["sennight", null],
      ["P1M2D", null],
      ["1.5d", null],
    ])("reads recur:%s as %j", (recur, words) => {
      expect(taskwarriorRepeat(recur)).toBe(words);
    });
  });

  it("reads the one-task-per-line format of Taskwarrior before 2.4", () => {
    const lines =
      '{"uuid":"a1","description":"Call Dana","status":"pending"}\n{"uuid":"a2","description":"Email Raj","status":"completed","end":"20261101T100000Z"}\n';
    const old = parseImportFile("taskwarrior", Buffer.from(lines), { today: TODAY, name: "x" });
    expect(old.goals[0]?.steps.map((s) => [s.externalId, s.status])).toEqual([
      ["a1", "todo"],
      ["a2", "done"],
    ]);
  });

  it("names the task and field of a bad value", () => {
    expect(failure("taskwarrior", fixture("taskwarrior-bad-status.json")).message).toMatch(
      /^Task 2 \(9b1d0a7e\): field 'status' is "someday"/,
    );
    expect(
      failure("taskwarrior", '[{"uuid":"u1","description":"x","status":"pending","due":"next week"}]')
        .message,
    ).toMatch(/Task 1 \(u1\): field 'due' is "next week", not a Taskwarrior date/);
    expect(failure("taskwarrior", '[{"uuid":"u1","status":"pending"}]').message).toMatch(
      /field 'description' is missing/,
    );
  });

  it("says a cut-off file looks cut off", () => {
    const e = failure("taskwarrior", fixture("taskwarrior-truncated.json"));
    expect(e.code).toBe("invalid_import_file");
    expect(e.message).toMatch(/ends in the middle of its JSON \(line \d+\): it looks cut off/);
  });

  it("names the line and column of a JSON syntax error", () => {
    expect(
      failure("taskwarrior", '[\n{"uuid":"a", "description":"x",, "status":"pending"}\n]').message,
    ).toMatch(/^Line 2, column \d+ of the Taskwarrior file is not valid JSON/);
  });
});

describe("the Trello parser", () => {
  const data = parse("trello", "trello.json");

  it("makes a goal of each open list, with the board's description as the why", () => {
    expect(data.goals.map((g) => [g.externalId, g.title])).toEqual([
      ["list:list-venue", "Spring meetup: Venue"],
      ["list:list-speakers", "Spring meetup: Speakers"],
    ]);
    expect(data.goals[0]?.why).toMatch(/meetup for 80 local founders/);
    expect(data.skipped).toEqual(['archived list "Old ideas" and its cards']);
  });

  it("makes steps of cards and their checklist items, in order, with labels as tags", () => {
    const venue = data.goals[0]?.steps ?? [];
    expect(venue.map((s) => [s.externalId, s.text, s.status, s.dueDate])).toEqual([
      ["card:card-hall", "Call the town hall to book the main room", "todo", "2026-12-04"],
      ["checkitem:ci-capacity", "Check the room holds 80 people", "done", null],
      ["checkitem:ci-deposit", "Ask Sam to approve the deposit", "todo", "2026-12-01"],
      ["card:card-catering", "Improve the catering", "todo", null],
    ]);
    expect(venue[0]?.tags).toEqual(["urgent"]);
    expect(venue[0]?.notes).toBe("Ask for the 14th or the 21st.");
    expect(venue[1]?.notes).toMatch(/checklist "Before booking" on the card "Call the town hall/);
    expect(venue[3]?.tags).toEqual(["green"]);
  });

  it("marks completed cards done and archived ones dropped", () => {
    const speakers = data.goals[1]?.steps ?? [];
    expect(speakers.map((s) => s.status)).toEqual(["done", "dropped"]);
    // No action says when it was completed: not dateLastActivity, but the import's time (the app's default).
    expect(speakers[0]?.doneAt).toBeNull();
  });

  it("treats a board of workflow columns as one goal, the column giving the status", () => {
    const board = {
      id: "b1",
      name: "Website relaunch",
      lists: [
        { id: "l1", name: "To Do", pos: 1 },
        { id: "l2", name: "Doing", pos: 2 },
        { id: "l3", name: "Done", pos: 3 },
      ],
      cards: [
        { id: "c1", name: "Write the About page", idList: "l1", pos: 1 },
        { id: "c2", name: "Pick the font", idList: "l2", pos: 1 },
        { id: "c3", name: "Buy the domain", idList: "l3", pos: 1 },
      ],
    };
    const one = parseImportFile("trello", Buffer.from(JSON.stringify(board)), { today: TODAY, name: "x" });
    expect(one.goals).toHaveLength(1);
    expect(one.goals[0]?.title).toBe("Website relaunch");
    expect(one.goals[0]?.steps.map((s) => s.status)).toEqual(["todo", "doing", "done"]);
  });

  it("refuses a file that is not a board export, naming what is missing", () => {
    expect(failure("trello", fixture("trello-not-a-board.json")).message).toMatch(/has no 'lists' list/);
    expect(
      failure(
        "trello",
        JSON.stringify({ id: "b", name: "B", lists: [], cards: [{ id: "c", name: "x", idList: "zz" }] }),
      ).message,
    ).toMatch(/cards\[0\] \("x"\): field 'idList'/);
  });
});

describe("the Todoist parser", () => {
  const data = parse("todoist", "todoist.csv", "Get fit by spring");

  it("makes one goal named after the file and a step of each task", () => {
    expect(data.goals).toHaveLength(1);
    expect(data.goals[0]?.title).toBe("Get fit by spring");
    expect(data.goals[0]?.steps.map((s) => s.text)).toEqual([
      "Book the physio appointment",
      "Get fit",
      "Buy running shoes",
      "Try on three pairs at the shop",
      "Run 5 km on Sunday, easy pace",
    ]);
  });

  it("reads labels, sections and priority as tags, notes and sub-tasks as notes, and dates", () => {
    const [physio, fit, shoes, tryOn, run] = data.goals[0]?.steps ?? [];
    expect(physio).toMatchObject({
      tags: ["phone", "p1"],
      dueDate: "2026-11-25",
      notes: "Ask for an evening slot",
    });
    expect(fit).toMatchObject({ tags: [], notes: "The big one" });
    expect(shoes?.tags).toEqual(["errands", "shopping", "section:Running", "p2"]);
    // Its DATE "every saturday" repeats: due on the first Saturday from today (2026-11-21 is one).
    expect(shoes?.dueDate).toBe("2026-11-21");
    expect(shoes?.recurrence).toBe("FREQ=WEEKLY;BYDAY=SA");
    expect(shoes?.notes).toMatch(/Size 43, neutral\nTodoist date: every saturday/);
    expect(tryOn?.notes).toBe('Sub-task of "Buy running shoes".');
    expect(run?.dueDate).toBe("2026-11-29");
  });

  it("gives tasks the same ids every time the file is read", () => {
    const again = parse("todoist", "todoist.csv", "Get fit by spring");
    expect(again.goals[0]?.steps.map((s) => s.externalId)).toEqual(
      data.goals[0]?.steps.map((s) => s.externalId),
    );
    expect(new Set(data.goals[0]?.steps.map((s) => s.externalId)).size).toBe(5);
  });

  it("refuses a file that is not UTF-8, naming the line", () => {
    expect(failure("todoist", fixture("todoist-latin1.csv")).message).toBe(
      "Line 2 of the Todoist file is not UTF-8 text. Save the file as UTF-8 and import it again.",
    );
  });

  it("refuses an unclosed quote, naming where it starts", () => {
    expect(failure("todoist", fixture("todoist-unclosed-quote.csv")).message).toMatch(
      /ends inside a quoted field that starts by line 3/,
    );
  });

  it("refuses a file without Todoist's columns", () => {
    expect(failure("todoist", fixture("asana.csv")).message).toMatch(
      /^Line 1 of the Todoist file lacks the columns TYPE, CONTENT/,
    );
  });

  it("reads a repeating DATE as the step's recurrence, due on its first day from today", () => {
    const csv = [
      "TYPE,CONTENT,DATE",
      "task,Send the numbers,every monday at 9am",
      "task,Water the ferns,every 2 weeks",
      "task,Pay the rent,every 15th",
      "task,Stretch,every day until Dec 31",
      "task,Run,every weekday starting 2026-12-01",
      "task,Back up the laptop,every! 3 days",
      "task,Call Dana,2026-11-30",
    ].join("\n");
    const one = parseImportFile("todoist", Buffer.from(csv), { today: TODAY, name: "x" });
    expect(one.goals[0]?.steps.map((s) => [s.text, s.dueDate, s.recurrence])).toEqual([
      ["Send the numbers", "2026-11-23", "FREQ=WEEKLY;BYDAY=MO"],
      ["Water the ferns", "2026-11-21", "FREQ=WEEKLY;INTERVAL=2"],
      ["Pay the rent", "2026-12-15", "FREQ=MONTHLY;BYMONTHDAY=15"],
      ["Stretch", "2026-11-21", "FREQ=DAILY;UNTIL=20261231"],
      ["Run", "2026-12-01", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
      ["Back up the laptop", null, null],
      ["Call Dana", "2026-11-30", null],
    ]);
    expect(one.goals[0]?.steps[0]?.notes).toBe("Todoist date: every monday at 9am");
    expect(one.skipped).toEqual([
      'the repeat "every! 3 days" of "Back up the laptop" (it counts from when the task is done, and Throughline repeats on fixed days; the step has no due date)',
    ]);
  });

  it("names the line and column of a bad value", () => {
    expect(failure("todoist", "TYPE,CONTENT,PRIORITY\ntask,Call Dana,1\ntask,Email Raj,7\n").message).toBe(
      'Line 3, column PRIORITY of the Todoist file is "7"; use 1 to 4.',
    );
  });
});

describe("the Asana parser", () => {
  const data = parse("asana", "asana.csv", "asana export");

  it("makes a goal of each project, and one named after the file for tasks in none", () => {
    expect(data.goals.map((g) => [g.title, g.steps.length])).toEqual([
      ["Support team 2027", 4],
      ["asana export", 1],
    ]);
  });

  it("keeps ids, completion, due dates, tags, sections, notes and parents", () => {
    const [ad, band, , post] = data.goals[0]?.steps ?? [];
    expect(ad).toMatchObject({
      externalId: "1206001000000001",
      status: "todo",
      dueDate: "2026-11-28",
      tags: ["hiring", "writing", "section:Hiring"],
    });
    expect(ad?.notes).toMatch(/^Use the template from the last hire\.$/);
    expect(band).toMatchObject({ status: "done", doneAt: "2026-11-09T12:00:00.000Z" });
    expect(post?.notes).toBe(
      'Boards: "RemoteOK", local council\nSub-task of "Write the job ad for the support hire".',
    );
  });

  it("refuses a cut-off row, naming its line", () => {
    expect(failure("asana", fixture("asana-short-row.csv")).message).toMatch(
      /^Line 4 of the Asana file has a different number of fields than the header/,
    );
  });

  it("names the line and column of a bad date", () => {
    expect(failure("asana", "Task ID,Name,Due Date\n1,Call Dana,next week\n").message).toBe(
      'Line 2, column Due Date of the Asana file is "next week", not a date like 2026-11-30.',
    );
  });
});

describe("any import file", () => {
  it("is refused when empty, binary, UTF-16 or too large", () => {
    expect(failure("trello", "").message).toMatch(/is empty/);
    expect(failure("trello", fixture("binary.bin")).message).toMatch(
      /^Line 2 of the Trello file is not UTF-8 text/,
    );
    expect(failure("trello", Buffer.from("\ufeff{}", "utf16le")).message).toMatch(/UTF-16/);
    expect(failure("taskwarrior", '[{"uuid":"a","description":"x\u0000y"}]').message).toMatch(
      /NUL character/,
    );
    const huge = { length: 300 * 1024 * 1024 } as Uint8Array;
    const e = failure("asana", huge);
    expect([e.status, e.code]).toEqual([413, "import_too_large"]);
  });

  it("reads a goal name from a file name", () => {
    expect(nameFromFile("/home/a/get-fit_2027.csv")).toBe("get fit 2027");
  });
});

describe("due dates in the importing person's time zone", () => {
  const inZone = (source: ImportSource, name: string, timeZone: string, today = TODAY) =>
    parseImportFile(source, fixture(name), { today, timeZone, name: "Launch" });
  const dues = (data: ReturnType<typeof inZone>) => data.goals.flatMap((g) => g.steps.map((s) => s.dueDate));

  it("keeps a Taskwarrior due day set in Tokyo on that day for someone in Tokyo", () => {
    // `due:2026-12-05` typed in Tokyo is stored as Tokyo's midnight in UTC: 20261204T150000Z.
    expect(dues(inZone("taskwarrior", "taskwarrior-tokyo.json", "Asia/Tokyo"))).toEqual([
      "2026-12-05",
      "2026-12-05",
    ]);
    expect(dues(inZone("taskwarrior", "taskwarrior-tokyo.json", "UTC"))).toEqual([
      "2026-12-04",
      "2026-12-05",
    ]);
    expect(dues(parse("taskwarrior", "taskwarrior-tokyo.json"))).toEqual(["2026-12-04", "2026-12-05"]);
  });

  it("reads a Todoist time with an offset in the person's zone, and words from their today", () => {
    // Sunday 22 November is already today in Tokyo while it is still the 21st in UTC.
    expect(dues(inZone("todoist", "todoist-times.csv", "Asia/Tokyo", "2026-11-22"))).toEqual([
      "2026-12-05",
      "2026-12-05",
      "2026-11-23",
    ]);
    expect(dues(inZone("todoist", "todoist-times.csv", "America/Los_Angeles"))).toEqual([
      "2026-12-04",
      "2026-12-05",
      "2026-11-22",
    ]);
  });

  it("reads a Trello card's due instant as the person's day", () => {
    const tokyo = inZone("trello", "trello.json", "Asia/Tokyo");
    const utc = parse("trello", "trello.json");
    const card = (d: typeof utc) =>
      d.goals.flatMap((g) => g.steps).find((s) => s.externalId === "card:card-hall");
    // 2026-12-04T17:00Z is 02:00 on the 5th in Tokyo.
    expect(card(utc)?.dueDate).toBe("2026-12-04");
    expect(card(tokyo)?.dueDate).toBe("2026-12-05");
  });
});
