/**
 * SMART in full: the A (achievable) and R (relevant) of a goal, judged from what the plan holds.
 * S, M and T are read from the text (`lintGoal`); A and R need the plan around the goal, so each
 * check runs only on the facts it is given and says nothing when they are missing.
 *
 * - Achievable: a key result whose target needs more than `PACE_LIMIT` times the best pace its own
 *   check-ins have shown (`target-out-of-reach`), or, while it has too little history of its own,
 *   the best pace the team's similar key results have shown (`beyond-team-pace`); a due date before
 *   the open steps' estimates could fit in the working days left (`due-before-steps-fit`).
 * - Relevant: a goal with a why or a parent goal (`not-relevant` when it has neither). A step is
 *   relevant when it is linked to one of the goal's key results (issue 18, krlink18); an unlinked
 *   step whose words share nothing with the why, any key result or the goal's title gets
 *   `step-not-relevant`, whose fix is to link it. Word overlap alone flagged good steps ("Post the
 *   job ad" under "Hire 3 analysts"), which is why the link, not the words, is the answer: one click
 *   clears the finding. Not judged when the goal has neither key results nor a why.
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
  /**
   * The best paces the team's similar key results have shown (issue 18): other goals of the goal's
   * team, which its owner may read, with a key result in the same unit and direction.
   */
  teamPaces?: TeamPace[];
  /** The goal's why; null or blank when it has none. */
  why?: string | null;
  /** The parent goal's id, or null when it serves none. */
  parentId?: number | null;
  // R for a step
  /** The open steps: their text and whether each is linked to a key result. */
  stepLinks?: StepLink[];
  /** The titles of the key results that still count. */
  keyResultTitles?: string[];
  /** The goal's title (its words make a step relevant too). */
  title?: string;
}

/** A step as R sees it: its words, and whether it is linked to one of its goal's key results. */
export interface StepLink {
  text: string;
  linked: boolean;
}

/** The fastest pace the team's similar key results (same unit and direction) have shown. */
export interface TeamPace {
  unit: string;
  direction: "increase" | "decrease";
  /** Per week, in the direction of the target. */
  bestPerWeek: number;
  /** How many of the team's key results it was taken from. */
  keyResults: number;
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
  const readings = readingsOf(kr, now);
  if (readings.length < 2) return null;
  const span = dayNumber(readings[readings.length - 1].day) - dayNumber(readings[0].day);
  if (span < MIN_HISTORY_DAYS) return null;
  const current = readings[readings.length - 1].value;
  const remaining = sign * (kr.targetValue - current);
  const daysLeft = dayNumber(kr.dueDate) - dayNumber(now);
  if (remaining <= 0 || daysLeft <= 0) return null;
  const needPerWeek = (remaining * 7) / daysLeft;
  const best = bestPace(readings, sign);
  return { needPerWeek, bestPerWeek: best, tooFast: needPerWeek > PACE_LIMIT * best };
}

/** Readings of a key result up to `now`, the start value on the start day first, in day order. */
function readingsOf(kr: KeyResultHistory, now: string): { day: string; value: number }[] {
  return [{ day: kr.startDate, value: kr.startValue }, ...kr.points.filter((p) => ISO.test(p.day))]
    .filter((p) => Number.isFinite(p.value) && p.day <= now)
    .sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}

/** Best pace per week between readings at least a week apart, so one lucky day does not set the bar. */
function bestPace(readings: { day: string; value: number }[], sign: number): number {
  let best = 0;
  for (let i = 0; i < readings.length; i++) {
    for (let j = i + 1; j < readings.length; j++) {
      const days = dayNumber(readings[j].day) - dayNumber(readings[i].day);
      if (days < 7) continue;
      best = Math.max(best, (sign * (readings[j].value - readings[i].value) * 7) / days);
    }
  }
  return best;
}

/**
 * The best pace a key result has shown, per week in the direction of its target, when its
 * readings span at least `MIN_HISTORY_DAYS`; null otherwise. What the team's similar key results
 * are measured by (`TeamPace`).
 */
export function shownPace(kr: KeyResultHistory, now: string): number | null {
  const readings = readingsOf(kr, now);
  if (readings.length < 2) return null;
  if (dayNumber(readings[readings.length - 1].day) - dayNumber(readings[0].day) < MIN_HISTORY_DAYS)
    return null;
  return bestPace(readings, kr.direction === "decrease" ? -1 : 1);
}

/** The same unit, whatever its case and spacing: "Clients" and " clients" are one unit. */
export const unitKey = (unit: string | null | undefined): string | null => {
  const u = (unit ?? "").trim().toLowerCase();
  return u === "" ? null : u;
};

/**
 * A key result with too little history of its own against the team's similar ones: the pace the
 * rest needs, from its latest reading to its target by its due date, against `PACE_LIMIT` times the
 * fastest pace a key result of the team in the same unit and direction has shown. Null when there
 * is no such key result, none has moved, or the target is reached or overdue.
 */
function teamCheck(
  kr: KeyResultHistory,
  now: string,
  paces: TeamPace[],
): (TeamPace & { needPerWeek: number; tooFast: boolean }) | null {
  const unit = unitKey(kr.unit);
  if (unit === null || !kr.dueDate || !ISO.test(kr.dueDate) || !ISO.test(now)) return null;
  const team = paces.find((p) => unitKey(p.unit) === unit && p.direction === kr.direction);
  if (!team || !(team.bestPerWeek > 0)) return null;
  const readings = readingsOf(kr, now);
  const current = readings.length > 0 ? readings[readings.length - 1].value : kr.startValue;
  const remaining = (kr.direction === "decrease" ? -1 : 1) * (kr.targetValue - current);
  const daysLeft = dayNumber(kr.dueDate) - dayNumber(now);
  if (remaining <= 0 || daysLeft <= 0) return null;
  const needPerWeek = (remaining * 7) / daysLeft;
  return { ...team, needPerWeek, tooFast: needPerWeek > PACE_LIMIT * team.bestPerWeek };
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
    if (!pace) {
      // Too little history of its own: the team's similar key results are the evidence.
      const team = teamCheck(kr, now, facts.teamPaces ?? []);
      if (!team) continue;
      achievable = achievable ?? true;
      if (!team.tooFast) continue;
      achievable = false;
      const unit = ` ${kr.unit ?? team.unit}`;
      findings.push(
        finding(
          "beyond-team-pace",
          `${quote(kr.title, 40)}|${round(team.needPerWeek)}${unit} a week|${team.keyResults}|${round(team.bestPerWeek)}${unit} a week|${kr.dueDate}`,
        ),
      );
      continue;
    }
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
  // R for a step
  const stepFindings = unrelatedSteps(facts);
  if (stepFindings !== null) {
    relevant = (relevant ?? true) && stepFindings.length === 0;
    findings.push(...stepFindings);
  }
  return { achievable, relevant, findings };
}

// R for a step

/** Words that carry no subject: a step sharing only these with the why shares nothing. */
const STOP = new Set(
  "the and for with from into onto that this these those then than them they their there our your his her its who what when where which why how all any each more most some such only own same not can will just now one two three out off over under again about after before above below between have has had was were are been being does did doing get got make made take put set let use per via also a an of to in on at by or as is it be do we you i me my us".split(
    " ",
  ),
);

/** A word's rough stem, so "subscribers" meets "subscriber" and "hiring" meets "hire". */
function stem(word: string): string {
  for (const [end, by] of [
    ["ies", "y"],
    ["ing", ""],
    ["ers", ""],
    ["er", ""],
    ["ed", ""],
    ["es", ""],
    ["s", ""],
    ["e", ""],
  ] as const) {
    if (word.endsWith(end) && word.length - end.length >= 3) return word.slice(0, -end.length) + by;
  }
  return word;
}

/** The content words of a text, stemmed: letters only, three or more, not a stop word. */
export function contentStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (w.length < 3 || STOP.has(w)) continue;
    out.add(stem(w));
  }
  return out;
}

/**
 * The content stems a step may share with its goal to be relevant: of the key results' titles, the
 * why and the goal's title; null when there is nothing to tie a step to (no key results, no why).
 */
function relevantStems(facts: Pick<SmartFacts, "keyResultTitles" | "why" | "title">): Set<string> | null {
  const titles = (facts.keyResultTitles ?? []).filter((t) => typeof t === "string" && t.trim() !== "");
  const why = typeof facts.why === "string" ? facts.why.trim() : "";
  if (titles.length === 0 && why === "") return null;
  const known = new Set<string>();
  for (const t of [...titles, why, facts.title ?? ""]) for (const w of contentStems(t)) known.add(w);
  return known;
}

/** `step-not-relevant` for one step against the stems of its goal, or null when it is relevant. */
function unrelatedStep(step: StepLink, known: Set<string>): Finding | null {
  if (step.linked || typeof step.text !== "string" || step.text.trim() === "") return null;
  if ([...contentStems(step.text)].some((w) => known.has(w))) return null;
  return finding("step-not-relevant", quote(step.text, 50));
}

/**
 * The `step-not-relevant` findings of a goal's open steps, or null when R for steps cannot be
 * judged (no steps given, or a goal with neither key results nor a why: nothing to tie a step to).
 */
function unrelatedSteps(facts: SmartFacts): Finding[] | null {
  if (!Array.isArray(facts.stepLinks) || facts.stepLinks.length === 0) return null;
  const known = relevantStems(facts);
  if (known === null) return null;
  const out: Finding[] = [];
  for (const step of facts.stepLinks.slice(0, 200)) {
    const f = unrelatedStep(step, known);
    if (f) out.push(f);
  }
  return out;
}

// R for one step, as it is added or changed
/**
 * R for one step on its own: `step-not-relevant` when it is linked to no key result and shares no
 * word with its goal's key results, why or title; null when it is relevant or cannot be judged (a
 * goal with neither key results nor a why).
 *
 * @example
 * stepRelevance({ text: "Repaint the office", linked: false }, { why: "Readers fund the work" })?.code
 * // "step-not-relevant"
 */
export function stepRelevance(
  step: StepLink,
  goal: Pick<SmartFacts, "keyResultTitles" | "why" | "title">,
): Finding | null {
  const known = relevantStems(goal);
  return known === null ? null : unrelatedStep(step, known);
}
