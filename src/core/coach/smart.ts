/**
 * SMART in full: the A (achievable) and R (relevant) of a goal, judged from what the plan holds.
 * S, M and T are read from the text (`lintGoal`); A and R need the plan around the goal, so each
 * check runs only on the facts it is given and says nothing when they are missing.
 *
 * - Achievable: a key result whose target needs more than `PACE_LIMIT` times the best pace its own
 *   check-ins have shown (`target-out-of-reach`); a due date before the open steps' estimates could
 *   fit in the working days left (`due-before-steps-fit`).
 * - Relevant: a goal with a why or a parent goal (`not-relevant` when it has neither). Steps are
 *   not judged for R: the data model does not link a step to a key result, and a word-overlap test
 *   flagged good steps ("Post the job ad" under "Hire 3 analysts"), so it was left out.
 *
 * Pure: no I/O, and the reference day is a parameter. Imported by the web app too, so it must not
 * import the language tools.
 */
import { type Finding, finding, quote } from "./findings.js";

/** The needed pace may be at most this many times the best pace so far before A fails. */
export const PACE_LIMIT = 3;
/** Check-ins must span at least this many days before a pace is trusted. */
export const MIN_HISTORY_DAYS = 14;
/** Working time in a working day (Monday to Friday) when steps' estimates are fitted: a full day. */
export const WORKING_MINUTES_PER_DAY = 8 * 60;

/** One key result with the values its check-ins recorded. */
export interface KeyResultHistory {
  title: string;
  unit?: string | null;
  startValue: number;
  targetValue: number;
  direction: "increase" | "decrease";
  /** The key result's own due date, else the goal's. */
  dueDate: string | null;
  /** The goal's start day: the start value is taken as read on that day. */
  startDate: string;
  /** Values recorded by check-ins, in any order. */
  points: { day: string; value: number }[];
}

/** What is known of a goal's plan for A and R. Leave a field out when it is unknown. */
export interface SmartFacts {
  /** The reference day, YYYY-MM-DD. */
  now: string;
  /** The goal's due date. */
  dueDate?: string | null;
  keyResults?: KeyResultHistory[];
  /** The open (not done, not dropped) steps' estimates in minutes; null when not estimated. */
  openStepEstimates?: (number | null)[];
  /** The goal's why; null or blank when it has none. */
  why?: string | null;
  /** The parent goal's id, or null when it serves none. */
  parentId?: number | null;
}

/** The A and R verdicts (null when the facts to judge them were not given) and their findings. */
export interface SmartAR {
  achievable: boolean | null;
  relevant: boolean | null;
  findings: Finding[];
}

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY);

/** Working days (Monday to Friday) from `from` to `to`, both included; 0 when `to` is before `from`. */
export function workingDaysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  let n = 0;
  for (let d = a; d <= b && d - a < 3660; d++) {
    const weekday = new Date(d * DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6) n++;
  }
  return n;
}

function round(x: number): string {
  const a = Math.abs(x);
  return a >= 100
    ? String(Math.round(x))
    : a >= 10
      ? x.toFixed(1).replace(/\.0$/, "")
      : x.toFixed(2).replace(/\.?0+$/, "");
}

/**
 * The key result's pace check: the pace the rest needs against the best pace between two
 * readings so far (per week, in the direction of the target). Null when the history is too short
 * to judge, or the target is already reached or overdue.
 *
 * @example
 * paceCheck({ title: "Clients", startValue: 0, targetValue: 40, direction: "increase",
 *   dueDate: "2027-01-31", startDate: "2026-10-01",
 *   points: [{ day: "2026-10-15", value: 2 }, { day: "2026-11-12", value: 4 }] }, "2026-11-18");
 * // { needPerWeek: 3.95, bestPerWeek: 1, tooFast: true }
 */
export function paceCheck(
  kr: KeyResultHistory,
  now: string,
): { needPerWeek: number; bestPerWeek: number; tooFast: boolean } | null {
  if (!kr.dueDate || !ISO.test(kr.dueDate) || !ISO.test(now) || !ISO.test(kr.startDate)) return null;
  const sign = kr.direction === "decrease" ? -1 : 1;
  const readings = [{ day: kr.startDate, value: kr.startValue }, ...kr.points.filter((p) => ISO.test(p.day))]
    .filter((p) => Number.isFinite(p.value) && p.day <= now)
    .sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  if (readings.length < 2) return null;
  const span = dayNumber(readings[readings.length - 1].day) - dayNumber(readings[0].day);
  if (span < MIN_HISTORY_DAYS) return null;
  const current = readings[readings.length - 1].value;
  const remaining = sign * (kr.targetValue - current);
  const daysLeft = dayNumber(kr.dueDate) - dayNumber(now);
  if (remaining <= 0 || daysLeft <= 0) return null;
  // Best pace between readings at least a week apart, so one lucky day does not set the bar.
  let best = 0;
  for (let i = 0; i < readings.length; i++) {
    for (let j = i + 1; j < readings.length; j++) {
      const days = dayNumber(readings[j].day) - dayNumber(readings[i].day);
      if (days < 7) continue;
      best = Math.max(best, (sign * (readings[j].value - readings[i].value) * 7) / days);
    }
  }
  const needPerWeek = (remaining * 7) / daysLeft;
  return { needPerWeek, bestPerWeek: best, tooFast: needPerWeek > PACE_LIMIT * best };
}

/**
 * Judges whether a goal is achievable and relevant from its plan. Each check runs only when its
 * facts are given; a verdict is null when none of its checks could run.
 *
 * @example
 * achievableAndRelevant({ now: "2026-11-18", why: "", parentId: null }).findings.map((f) => f.code);
 * // ["not-relevant"]
 */
export function achievableAndRelevant(facts: SmartFacts): SmartAR {
  const findings: Finding[] = [];
  const now = facts.now;
  let achievable: boolean | null = null;
  for (const kr of facts.keyResults ?? []) {
    const pace = paceCheck(kr, now);
    if (!pace) continue;
    achievable = achievable ?? true;
    if (!pace.tooFast) continue;
    achievable = false;
    const unit = kr.unit ? ` ${kr.unit}` : "";
    findings.push(
      finding(
        "target-out-of-reach",
        `${quote(kr.title, 40)}|${round(pace.needPerWeek)}${unit} a week|${round(pace.bestPerWeek)}${unit} a week|${kr.dueDate}`,
      ),
    );
  }
  const estimates = (facts.openStepEstimates ?? []).filter(
    (m): m is number => typeof m === "number" && Number.isFinite(m) && m > 0,
  );
  if (facts.dueDate && ISO.test(facts.dueDate) && estimates.length > 0) {
    const need = estimates.reduce((a, b) => a + b, 0);
    const days = workingDaysBetween(now, facts.dueDate);
    const left = days * WORKING_MINUTES_PER_DAY;
    achievable = achievable ?? true;
    if (need > left) {
      achievable = false;
      const hours = (m: number) => `${round(m / 60)} hours`;
      findings.push(
        finding(
          "due-before-steps-fit",
          `${hours(need)}|${days === 0 ? "no time" : hours(left)}|${facts.dueDate}`,
        ),
      );
    }
  }

  let relevant: boolean | null = null;
  if ("why" in facts || "parentId" in facts) {
    const hasWhy = typeof facts.why === "string" && facts.why.trim() !== "";
    const hasParent = typeof facts.parentId === "number";
    relevant = hasWhy || hasParent;
    if (!relevant) findings.push(finding("not-relevant"));
  }
  return { achievable, relevant, findings };
}
