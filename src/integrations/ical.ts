/**
 * The iCalendar (RFC 5545) view of plans: open steps and goals on their due days as all-day
 * events, a step that repeats as a recurring all-day event (its stored RRULE, DTSTART its due
 * date), and each active goal's check-in rhythm as a recurring all-day event
 * (RRULE FREQ=DAILY;INTERVAL=cadenceDays). A pure function of the plans and a timestamp, so the
 * CLI's export and a server's per-user feed make the same calendar.
 *
 * Issue 19: a step with a time of day is a timed event at that time in the person's zone; every
 * step carries a VALARM at its time, or at the person's nudge hour on its day when it has none; a
 * moved or dropped day of a repeating step is an EXDATE; UIDs sit under the server's host name.
 */
import ical, {
  type ICalAlarmData,
  ICalAlarmType,
  type ICalCalendar,
  type ICalEventData,
} from "ical-generator";
import { addDays } from "../core/dates.js";
import { alignStart, describeRecurrence, occurrencesBetween } from "../core/recurrence.js";
import { zonedTime } from "../core/time-of-day.js";
import type { Goal, Step } from "../core/types.js";

/** What the calendar needs of a step; `recurrence` is its RRULE when it repeats. */
export type CalendarStep = Pick<Step, "id" | "text" | "status" | "dueDate"> & {
  recurrence?: string | null;
  /** "HH:MM" on the person's wall clock: a timed event. */
  dueTime?: string | null;
  /** Days of a repeating step that were moved or dropped: left out of the series (EXDATE). */
  skippedDays?: readonly string[];
};

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
  /** A link to a step on its goal's page, if the caller has one. */
  stepUrl?: (goalId: number, stepId: number) => string;
  /** The host part of each event's UID (default "throughline"): the server's host name. */
  uidDomain?: string;
  /** The person's time zone, for steps with a time (default UTC). */
  timeZone?: string;
  /** The hour (their wall clock) of the reminder of a step without a time (default 9). */
  nudgeHour?: number;
}

/** How long a timed step's event lasts when nothing says otherwise. */
const TIMED_MINUTES = 30;

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
  skipped: readonly string[] = [],
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
  // A moved or dropped day leaves the series: an EXDATE in the same value type as DTSTART.
  const exdates = skipped
    .filter((d) => d !== due)
    .map((d) => {
      const start = allDay(d).start as Date;
      return event.allDay ? compact(d) : `${start.toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
    });
  const exdate = event.allDay ? "EXDATE;VALUE=DATE:" : "EXDATE:";
  const repeating = (rule: string) =>
    exdates.length === 0 ? rule : `RRULE:${rule}\r\n${exdate}${exdates.join(",")}`;
  if (onRule) {
    cal.createEvent({ ...event, description, repeating: repeating(rrule) });
    return;
  }
  cal.createEvent({ ...event, id: event.id.replace(/@/, "-first@"), description });
  if (next === undefined) return;
  const count = /(?:^|;)COUNT=(\d+)/.exec(rrule);
  const rest = count ? rrule.replace(/COUNT=\d+/, `COUNT=${Number(count[1]) - 1}`) : rrule;
  cal.createEvent({ ...event, ...allDay(next), description, repeating: repeating(rest) });
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
      const tz = input.timeZone ?? "UTC";
      const time = s.dueTime ?? null;
      const when = (day: string) => {
        if (time === null) return allDay(day);
        const start = zonedTime(day, time, tz);
        return { start, end: new Date(start.getTime() + TIMED_MINUTES * 60_000), allDay: false };
      };
      // An all-day event starts at the day's midnight: the alarm comes that many seconds after it.
      const alarm: ICalAlarmData = {
        type: ICalAlarmType.display,
        trigger: time === null ? -(input.nudgeHour ?? 9) * 3600 : 0,
        description: s.text,
      };
      const event = {
        id: `step-${s.id}@${domain}`,
        ...when(s.dueDate),
        stamp: input.stamp,
        summary: s.text,
        description: `A step of "${goal.title}".`,
        url: input.stepUrl?.(goal.id, s.id) ?? url,
        alarms: [alarm],
      };
      if (s.recurrence) addRepeatingStep(cal, event, s.dueDate, s.recurrence, when, s.skippedDays ?? []);
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
  // Every alarm counts from the event's start (ical-generator's own default for a trigger after the
  // start is its end, which for an all-day event is the next day; its constructor drops relatesTo).
  for (const event of cal.events()) for (const alarm of event.alarms()) alarm.relatesTo("START");
  // RFC 5545 ends every content line, the last one included, with CRLF; ical-generator omits the last.
  const text = cal.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
