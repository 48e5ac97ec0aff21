/**
 * The iCalendar (RFC 5545) view of plans: open steps and goals on their due days as all-day
 * events, a step that repeats as a recurring all-day event (its stored RRULE, DTSTART its due
 * date), and each active goal's check-in rhythm as a recurring all-day event
 * (RRULE FREQ=DAILY;INTERVAL=cadenceDays). A pure function of the plans and a timestamp, so the
 * CLI's export and a server's per-user feed make the same calendar.
 */
import ical, { type ICalCalendar, type ICalEventData } from "ical-generator";
import { addDays } from "../core/dates.js";
import { alignStart, describeRecurrence, occurrencesBetween } from "../core/recurrence.js";
import type { Goal, Step } from "../core/types.js";

/** What the calendar needs of a step; `recurrence` is its RRULE when it repeats. */
export type CalendarStep = Pick<Step, "id" | "text" | "status" | "dueDate"> & { recurrence?: string | null };

/** What the calendar needs of one goal's plan. */
export interface CalendarPlan {
  goal: Pick<Goal, "id" | "title" | "why" | "status" | "startDate" | "dueDate" | "cadenceDays">;
  steps: CalendarStep[];
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
 * A repeating step as RFC 5545 wants it: DTSTART on one of the rule's days. When the due date is
 * one, a single event carries the rule (COUNT counts DTSTART, as ours does). When it is not (due
 * on a Wednesday, then every Monday), the RFC leaves the set undefined, so the due day is an event
 * of its own and the rule starts on its next day, with one fewer COUNT.
 */
function addRepeatingStep(
  cal: ICalCalendar,
  event: ICalEventData & { id: string; description: string },
  due: string,
  rrule: string,
  allDay: (day: string) => Pick<ICalEventData, "start" | "end" | "allDay">,
): void {
  let next: string | undefined;
  let onRule: boolean;
  try {
    onRule = alignStart(rrule, due) === due;
    next = occurrencesBetween(rrule, due, addDays(due, 1), addDays(due, 3700))[0];
  } catch (e) {
    // A stored rule this version cannot read must not take the whole feed down: show the due day.
    if (!(e instanceof RangeError)) throw e;
    cal.createEvent(event);
    return;
  }
  const description = `${event.description} It repeats ${describeRecurrence(rrule)}.`;
  if (onRule) {
    cal.createEvent({ ...event, description, repeating: rrule });
    return;
  }
  cal.createEvent({ ...event, id: event.id.replace(/@/, "-first@"), description });
  if (next === undefined) return;
  const count = /(?:^|;)COUNT=(\d+)/.exec(rrule);
  const rest = count ? rrule.replace(/COUNT=\d+/, `COUNT=${Number(count[1]) - 1}`) : rrule;
  cal.createEvent({ ...event, ...allDay(next), description, repeating: rest });
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
      const event = {
        id: `step-${s.id}@${domain}`,
        ...allDay(s.dueDate),
        stamp: input.stamp,
        summary: s.text,
        description: `A step of "${goal.title}".`,
        url,
      };
      if (s.recurrence) addRepeatingStep(cal, event, s.dueDate, s.recurrence, allDay);
      else cal.createEvent(event);
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
