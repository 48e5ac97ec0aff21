/**
 * The calendar feed's reminders (issue 19): a VALARM on every step, at its time (a timed event) or
 * at the person's nudge hour on its day (an all-day event); UIDs under the server's host name; a
 * repeating step one recurring event whose moved or dropped days are EXDATEs. Read back line by
 * line as RFC 5545 writes them.
 */
import { describe, expect, it } from "vitest";
import { buildCalendar, type CalendarInput } from "./ical.js";

/** Each VEVENT with its properties, and its VALARMs' properties, read from unfolded lines. */
function read(text: string) {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const events: { props: Record<string, string>; alarms: Record<string, string>[] }[] = [];
  let alarm: Record<string, string> | null = null;
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (line === "BEGIN:VEVENT") events.push({ props: {}, alarms: [] });
    else if (line === "BEGIN:VALARM") alarm = {};
    else if (line === "END:VALARM") {
      events.at(-1)?.alarms.push(alarm ?? {});
      alarm = null;
    } else if (alarm) alarm[name] = value;
    else if (events.length && !line.startsWith("END:"))
      (events.at(-1) as { props: Record<string, string> }).props[name] = value;
  }
  return events;
}

const input: CalendarInput = {
  name: "Ana's plans",
  stamp: new Date("2026-11-21T10:00:00.000Z"),
  uidDomain: "plans.example.com",
  timeZone: "Europe/Berlin",
  nudgeHour: 8,
  goalUrl: (g) => `https://plans.example.com/goals/${g}`,
  stepUrl: (g, s) => `https://plans.example.com/goals/${g}#step-${s}`,
  plans: [
    {
      goal: {
        id: 4,
        title: "Launch the newsletter",
        why: null,
        status: "done",
        startDate: "2026-11-01",
        dueDate: null,
        cadenceDays: 7,
      },
      steps: [
        { id: 12, text: "Call the printer", status: "todo", dueDate: "2026-11-27", dueTime: "15:30" },
        { id: 13, text: "Draft the welcome email", status: "todo", dueDate: "2026-11-28" },
        {
          id: 14,
          text: "Send the numbers to Dana",
          status: "todo",
          dueDate: "2026-11-23",
          dueTime: "09:00",
          recurrence: "FREQ=WEEKLY;BYDAY=MO",
          skippedDays: ["2026-11-30"],
        },
        {
          id: 15,
          text: "Water the plants",
          status: "todo",
          dueDate: "2026-11-23",
          recurrence: "FREQ=WEEKLY;BYDAY=MO;COUNT=4",
          skippedDays: ["2026-12-07"],
        },
      ],
    },
  ],
};
const text = buildCalendar(input);
const byUid = new Map(read(text).map((e) => [e.props.UID, e]));

describe("the calendar feed's reminders", () => {
  it("writes a timed event at the step's time in the person's zone, with an alarm then", () => {
    const e = byUid.get("step-12@plans.example.com");
    expect(e?.props.DTSTART).toBe("20261127T143000Z");
    expect(e?.props.DTEND).toBe("20261127T150000Z");
    expect(e?.props["URL;VALUE=URI"]).toBe("https://plans.example.com/goals/4#step-12");
    expect(e?.alarms).toEqual([
      { ACTION: "DISPLAY", "TRIGGER;RELATED=START": "PT0S", DESCRIPTION: "Call the printer" },
    ]);
  });

  it("writes an all-day event with an alarm at the person's nudge hour on its day", () => {
    const e = byUid.get("step-13@plans.example.com");
    expect(e?.props["DTSTART;VALUE=DATE"]).toBe("20261128");
    expect(e?.alarms.map((a) => [a.ACTION, a["TRIGGER;RELATED=START"]])).toEqual([["DISPLAY", "PT8H"]]);
  });

  it("keeps UIDs stable under the server's host name", () => {
    expect([...byUid.keys()].sort()).toEqual([
      "step-12@plans.example.com",
      "step-13@plans.example.com",
      "step-14@plans.example.com",
      "step-15@plans.example.com",
    ]);
    expect(buildCalendar({ ...input, stamp: new Date("2026-12-01T00:00:00Z") }).match(/^UID:.*$/gm)).toEqual(
      text.match(/^UID:.*$/gm),
    );
  });

  it("writes a repeating step as one recurring event, its moved or dropped days left out", () => {
    const timed = byUid.get("step-14@plans.example.com");
    expect(timed?.props.RRULE).toBe("FREQ=WEEKLY;BYDAY=MO");
    expect(timed?.props.DTSTART).toBe("20261123T080000Z");
    expect(timed?.props.EXDATE).toBe("20261130T080000Z");
    expect(timed?.alarms).toHaveLength(1);
    const allDay = byUid.get("step-15@plans.example.com");
    expect(allDay?.props.RRULE).toBe("FREQ=WEEKLY;BYDAY=MO;COUNT=4");
    expect(allDay?.props["EXDATE;VALUE=DATE"]).toBe("20261207");
    expect(allDay?.alarms.map((a) => a["TRIGGER;RELATED=START"])).toEqual(["PT8H"]);
  });

  it("prints a sample for docs/integrations.md", () => {
    if (process.env.PRINT_ICS) console.log(text);
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  });
});
