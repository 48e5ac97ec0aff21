import { describe, expect, it } from "vitest";
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
    } else if (current) current[name] = value;
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

  it("is an empty but valid calendar without plans", () => {
    const out = buildCalendar({ name: "Nothing", stamp: STAMP, plans: [] });
    expect(parseIcs(out)).toEqual([]);
    expect(out).toContain("PRODID:-//Throughline//Throughline//EN");
  });
});
