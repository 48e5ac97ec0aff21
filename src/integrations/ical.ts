/**
 * The iCalendar (RFC 5545) view of plans: open steps and goals on their due days as all-day
 * events, and each active goal's check-in rhythm as a recurring all-day event
 * (RRULE FREQ=DAILY;INTERVAL=cadenceDays). A pure function of the plans and a timestamp, so the
 * CLI's export and a server's per-user feed make the same calendar.
 */
import ical from "ical-generator";
import { addDays } from "../core/dates.js";
import type { Goal, Step } from "../core/types.js";

/** What the calendar needs of one goal's plan. */
export interface CalendarPlan {
  goal: Pick<Goal, "id" | "title" | "why" | "status" | "startDate" | "dueDate" | "cadenceDays">;
  steps: Pick<Step, "id" | "text" | "status" | "dueDate">[];
}

/** The calendar's name, its plans, and the instant it is made (every event's DTSTAMP). */
export interface CalendarInput {
  name: string;
  plans: readonly CalendarPlan[];
  stamp: Date;
  /** A link to the goal's page, if the caller has one. */
  goalUrl?: (goalId: number) => string;
  /** The host part of each event's UID (default "throughline"). */
  uidDomain?: string;
}

function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function compact(day: string): string {
  return day.replace(/-/g, "");
}

/**
 * Builds the calendar text (CRLF line endings, lines folded at 75 octets).
 * @example
 * buildCalendar({ name: "My plans", stamp: new Date("2026-11-21T10:00:00Z"), plans: [{ goal, steps }] })
 * // "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n..."
 */
export function buildCalendar(input: CalendarInput): string {
  const domain = input.uidDomain ?? "throughline";
  const cal = ical({
    name: input.name,
    prodId: { company: "Throughline", product: "Throughline", language: "EN" },
  });
  const allDay = (day: string) => ({ start: utcDay(day), end: utcDay(addDays(day, 1)), allDay: true });
  for (const { goal, steps } of input.plans) {
    const open = goal.status === "active" || goal.status === "draft";
    const url = input.goalUrl?.(goal.id) ?? null;
    for (const s of steps) {
      if (!s.dueDate || (s.status !== "todo" && s.status !== "doing")) continue;
      cal.createEvent({
        id: `step-${s.id}@${domain}`,
        ...allDay(s.dueDate),
        stamp: input.stamp,
        summary: s.text,
        description: `A step of "${goal.title}".`,
        url,
      });
    }
    if (!open) continue;
    if (goal.dueDate) {
      cal.createEvent({
        id: `goal-${goal.id}-due@${domain}`,
        ...allDay(goal.dueDate),
        stamp: input.stamp,
        summary: `Goal due: ${goal.title}`,
        description: goal.why ? `Why: ${goal.why}` : null,
        url,
      });
    }
    if (goal.status !== "active") continue;
    const first = addDays(goal.startDate, goal.cadenceDays);
    if (goal.dueDate && first > goal.dueDate) continue;
    const until = goal.dueDate ? `;UNTIL=${compact(goal.dueDate)}` : "";
    cal.createEvent({
      id: `goal-${goal.id}-checkin@${domain}`,
      ...allDay(first),
      stamp: input.stamp,
      summary: `Check in: ${goal.title}`,
      description: `Every ${goal.cadenceDays === 1 ? "day" : `${goal.cadenceDays} days`}: key results, confidence, what got done, the next step.`,
      repeating: `FREQ=DAILY;INTERVAL=${goal.cadenceDays}${until}`,
      url,
    });
  }
  // RFC 5545 ends every content line, the last one included, with CRLF; ical-generator omits the last.
  const text = cal.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
