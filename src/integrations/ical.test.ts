import rrule from "rrule";
import { describe, expect, it } from "vitest";
import { occurrencesThrough } from "../core/recurrence.js";
import { buildCalendar, type CalendarPlan } from "./ical.js";

const STAMP = new Date("2026-11-21T10:00:00.000Z");

function plan(over: Partial<CalendarPlan["goal"]> = {}, steps: CalendarPlan["steps"] = []): CalendarPlan {
  return {
    goal: {
      id: 1,
      title: "Grow the newsletter to 2,000 subscribers",
      why: "Sponsors need reach; readers fund the work",
      status: "active",
      startDate: "2026-11-01",
      dueDate: "2027-03-31",
      cadenceDays: 7,
      ...over,
    },
    steps,
  };
}

/** Unfolds continuation lines and reads each component's properties. */
function parseIcs(text: string) {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const stack: string[] = [];
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (name === "BEGIN") {
      stack.push(value);
      if (value === "VEVENT") current = {};
    } else if (name === "END") {
      expect(stack.pop()).toBe(value);
      if (value === "VEVENT" && current) {
        events.push(current);
        current = null;
      }
    } else if (current && stack.at(-1) === "VEVENT") current[name] = value;
  }
  expect(stack).toEqual([]);
  return events;
}

const unescapeText = (v: string) => v.replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");

describe("the iCalendar builder", () => {
  const steps: CalendarPlan["steps"] = [
    { id: 11, text: "Email Raj the deck; ask about Q1, Q2", status: "todo", dueDate: "2026-11-27" },
    { id: 12, text: "Draft the welcome email", status: "done", dueDate: "2026-11-24" },
    { id: 13, text: "Call Dana", status: "doing", dueDate: null },
    {
      id: 14,
      text: `Book the hall 🎉 ${"and confirm the caterer ".repeat(6)}`,
      status: "doing",
      dueDate: "2026-12-02",
    },
  ];
  const text = buildCalendar({ name: "My plans", stamp: STAMP, plans: [plan({}, steps)] });

  it("writes CRLF line endings and folds lines at 75 octets without splitting a character", () => {
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(text).toMatch(/\r\n [^\r\n]/);
    expect(text).not.toContain("\uFFFD");
  });

  it("has one all-day event per open dated step, with a stable UID, DTSTAMP and the text escaped", () => {
    const events = parseIcs(text);
    const stepEvents = events.filter((e) => e.UID?.startsWith("step-"));
    expect(stepEvents.map((e) => e.UID)).toEqual(["step-11@throughline", "step-14@throughline"]);
    const first = stepEvents[0] as Record<string, string>;
    expect(first["DTSTART;VALUE=DATE"]).toBe("20261127");
    expect(first["DTEND;VALUE=DATE"]).toBe("20261128");
    expect(first.DTSTAMP).toBe("20261121T100000Z");
    expect(first.SUMMARY).toBe("Email Raj the deck\\; ask about Q1\\, Q2");
    expect(unescapeText(first.SUMMARY as string)).toBe("Email Raj the deck; ask about Q1, Q2");
    expect(unescapeText(stepEvents[1]?.SUMMARY as string)).toBe(steps[3]?.text);
  });

  it("puts the goal's due date as an all-day event and the check-in rhythm as a recurring one", () => {
    const events = parseIcs(text);
    const due = events.find((e) => e.UID === "goal-1-due@throughline");
    expect(due?.["DTSTART;VALUE=DATE"]).toBe("20270331");
    expect(unescapeText(due?.SUMMARY as string)).toBe("Goal due: Grow the newsletter to 2,000 subscribers");
    const rhythm = events.find((e) => e.UID === "goal-1-checkin@throughline");
    expect(rhythm?.["DTSTART;VALUE=DATE"]).toBe("20261108");
    expect(rhythm?.RRULE).toBe("FREQ=DAILY;INTERVAL=7;UNTIL=20270331");
    for (const e of events) {
      expect(e.UID).toBeTruthy();
      expect(e.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  it("leaves out done and dropped goals' dates and rhythms, and a rhythm that would start after the due date", () => {
    const out = buildCalendar({
      name: "x",
      stamp: STAMP,
      plans: [
        plan({ id: 2, status: "done" }),
        plan({ id: 3, status: "dropped" }),
        plan({ id: 4, startDate: "2026-11-20", dueDate: "2026-11-22", cadenceDays: 7 }),
        plan({ id: 5, dueDate: null, cadenceDays: 1 }),
      ],
    });
    const uids = parseIcs(out).map((e) => e.UID);
    expect(uids).toEqual(["goal-4-due@throughline", "goal-5-checkin@throughline"]);
    expect(out).toContain("RRULE:FREQ=DAILY;INTERVAL=1\r\n");
  });

  describe("with steps that repeat", () => {
    const repeating: CalendarPlan["steps"] = [
      // 2026-11-23 is a Monday, 2026-11-25 a Wednesday.
      {
        id: 21,
        text: "Send the numbers",
        status: "todo",
        dueDate: "2026-11-23",
        recurrence: "FREQ=WEEKLY;BYDAY=MO;COUNT=4",
      },
      {
        id: 22,
        text: "Water the ferns",
        status: "todo",
        dueDate: "2026-11-25",
        recurrence: "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
      },
      {
        id: 23,
        text: "Pay the rent",
        status: "doing",
        dueDate: "2027-01-31",
        recurrence: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;UNTIL=20270630",
      },
      { id: 24, text: "Stretch", status: "done", dueDate: "2026-11-23", recurrence: "FREQ=DAILY" },
      { id: 25, text: "Call Dana", status: "todo", dueDate: "2026-11-24", recurrence: null },
    ];
    const events = parseIcs(
      buildCalendar({ name: "Habits", stamp: STAMP, plans: [plan({ id: 2 }, repeating)] }),
    ).filter((e) => e.UID?.startsWith("step-"));
    /** The days an event stands for, read back with rrule's own RFC 5545 parser. */
    const daysOf = (e: Record<string, string>) => {
      const start = e["DTSTART;VALUE=DATE"] as string;
      if (!e.RRULE) return [`${start.slice(0, 4)}-${start.slice(4, 6)}-${start.slice(6, 8)}`];
      // rrule.js reads DTSTART;VALUE=DATE as no start at all, so the same day is given as UTC midnight.
      const set = rrule.rrulestr(`DTSTART:${start}T000000Z\nRRULE:${e.RRULE}`);
      return set.all((_d, i) => i < 50).map((d) => d.toISOString().slice(0, 10));
    };
    const daysOfStep = (id: number) =>
      events
        .filter((e) => e.UID?.startsWith(`step-${id}@`) || e.UID?.startsWith(`step-${id}-`))
        .flatMap(daysOf)
        .sort();

    it("writes a step that repeats as one event with its RRULE and DTSTART on the due date", () => {
      const numbers = events.find((e) => e.UID === "step-21@throughline");
      expect(numbers?.["DTSTART;VALUE=DATE"]).toBe("20261123");
      expect(numbers?.["DTEND;VALUE=DATE"]).toBe("20261124");
      expect(numbers?.RRULE).toBe("FREQ=WEEKLY;BYDAY=MO;COUNT=4");
      expect(unescapeText(numbers?.DESCRIPTION as string)).toBe(
        `A step of "Grow the newsletter to 2,000 subscribers". It repeats every Monday, 4 times.`,
      );
      expect(daysOfStep(21)).toEqual(["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]);
    });

    it("gives calendars the same days Throughline counts, month ends included", () => {
      for (const s of repeating.slice(0, 3)) {
        expect(daysOfStep(s.id)).toEqual(
          occurrencesThrough(s.recurrence as string, s.dueDate as string, "2030-01-01"),
        );
      }
      expect(daysOfStep(23)).toEqual([
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
      ]);
    });

    it("keeps DTSTART on the rule: a due date off it is an event of its own, the rule starting after it", () => {
      const ferns = events.filter((e) => e.UID?.startsWith("step-22"));
      expect(ferns.map((e) => [e.UID, e["DTSTART;VALUE=DATE"], e.RRULE])).toEqual([
        ["step-22-first@throughline", "20261125", undefined],
        ["step-22@throughline", "20261130", "FREQ=WEEKLY;BYDAY=MO;COUNT=2"],
      ]);
      expect(daysOfStep(22)).toEqual(["2026-11-25", "2026-11-30", "2026-12-07"]);
    });

    it("leaves out a done step that repeats, and writes a step without a rule as one day", () => {
      expect(events.map((e) => e.UID)).not.toContain("step-24@throughline");
      const dana = events.find((e) => e.UID === "step-25@throughline");
      expect(dana?.RRULE).toBeUndefined();
      expect(dana?.["DTSTART;VALUE=DATE"]).toBe("20261124");
    });
  });

  it("is an empty but valid calendar without plans", () => {
    const out = buildCalendar({ name: "Nothing", stamp: STAMP, plans: [] });
    expect(parseIcs(out)).toEqual([]);
    expect(out).toContain("PRODID:-//Throughline//Throughline//EN");
  });
});
