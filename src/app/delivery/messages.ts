/**
 * What Throughline tells people, worded in one place: one function per kind of message, used by
 * every channel — the in-app inbox and email (nudges) and teams' Slack and Teams channels. Each
 * returns plain text; a channel only lays it out and escapes it for its own markup
 * (src/integrations: email.ts, slack.ts, teams.ts).
 */
import { leaderPrompt, microPrompt } from "../../core/engine/micro.js";
import type { NudgeKind } from "../../core/nudges.js";

/** A message in plain text, before a channel lays it out. */
export interface Message {
  /** One line: the email's subject, the inbox notice's title, the card's header. */
  title: string;
  /** One paragraph. */
  text: string;
  /** Further lines (a digest's sections, a weekly prompt's goals). */
  lines?: string[];
  /** Label and value pairs, for channels that show them as fields. */
  facts?: { label: string; value: string }[];
  /** Small print under the body. */
  context?: string;
}

const quote = (s: string) => `“${s}”`;

const STALL_REASONS: Record<string, string> = {
  behind: "progress is well behind the pace the due date needs",
  silent: "nothing moved for longer than the check-in cadence allows",
  "carried-over": "the same next step was carried over from the last check-in",
};

/** Why a goal stalled, in words: the engine's reasons joined with semicolons ("" when none). */
export function stallReasons(reasons: readonly string[]): string {
  return reasons.map((r) => STALL_REASONS[r] ?? r).join("; ");
}

/** The micro-step a stalled goal's message suggests, or the prompt to write one. */
function nextStepSuggestion(next: unknown, goalTitle: string): string {
  if (next && typeof next === "object") {
    const n = next as { text?: unknown; prompt?: unknown; estimateMinutes?: unknown };
    if (typeof n.text === "string") {
      const minutes = typeof n.estimateMinutes === "number" ? ` (${n.estimateMinutes} min)` : "";
      return `One small next step: ${quote(n.text)}${minutes}.`;
    }
    if (typeof n.prompt === "string") return n.prompt;
  }
  return microPrompt(goalTitle).prompt;
}

/** A step coming due or overdue, to the person who owns it. */
export function stepDue(
  kind: Extract<NudgeKind, "step-due-tomorrow" | "step-due-today" | "step-overdue">,
  step: { text: string; goalTitle: string; dueDate: string; dueTime?: string | null },
): Message {
  // A step with a time of day (issue 19) says it: "Due today at 15:30".
  const at = step.dueTime ? ` at ${step.dueTime}` : "";
  const [label, when, advice] =
    kind === "step-due-tomorrow"
      ? [`Due tomorrow${at}`, `is due tomorrow${at}`, "One sitting is enough: it is a micro-step."]
      : kind === "step-due-today"
        ? [`Due today${at}`, `is due today${at}`, "One sitting is enough: it is a micro-step."]
        : [
            "Overdue",
            `was due on ${step.dueDate}${at}`,
            "Do it now, move its date with a reason, or drop it.",
          ];
  return {
    title: `${label}: ${step.text}`,
    text: `${quote(step.text)} for ${step.goalTitle} ${when}. ${advice}`,
  };
}

/** A check-in that is due today, or was missed on `dueDay`, to the goal's owner. */
export function checkinReminder(missed: boolean, goal: { title: string; dueDay: string }): Message {
  return missed
    ? {
        title: `Missed check-in: ${goal.title}`,
        text: `The check-in on ${goal.title} was due on ${goal.dueDay}. A short one now keeps the goal moving.`,
      }
    : {
        title: `Check-in due: ${goal.title}`,
        text: `It is time to check in on ${goal.title}: key-result values, confidence, what got done and the next step.`,
      };
}

/** A goal that stalled, as its `goal.stalled` event tells it. */
export interface Stall {
  title: string;
  ownerName: string;
  dueDate: string | null;
  /** The engine's reasons: "behind", "silent", "carried-over". */
  reasons: readonly string[];
  leaderPrompt: string | null;
  /** The micro-step the engine picked (`{ text, estimateMinutes }`) or its prompt to write one. */
  nextStep: unknown;
}

/** A `goal.stalled` event's reasons, leader prompt and micro-step, about a goal as it is now. */
export function stallOf(
  goal: { title: string; ownerName: string; dueDate: string | null },
  payload: Record<string, unknown>,
): Stall {
  return {
    title: goal.title,
    ownerName: goal.ownerName,
    dueDate: goal.dueDate,
    reasons: Array.isArray(payload.reasons) ? (payload.reasons as string[]) : [],
    leaderPrompt: typeof payload.leaderPrompt === "string" ? payload.leaderPrompt : null,
    nextStep: payload.nextStep,
  };
}

/**
 * A stalled goal: to its owner (it is in micro-goal mode now), to someone who leads the owner (what
 * to agree with them), or to the team's channel (which the whole team reads, the owner too: so it
 * carries no leader prompt). Every reader is given the same reasons, in the words of `stallReasons`.
 */
export function goalStalled(stall: Stall, reader: "owner" | "leader" | "team"): Message {
  const why = stallReasons(stall.reasons);
  if (reader === "owner") {
    return {
      title: `${stall.title} has stalled`,
      text: `${stall.title} has stalled${why ? `: ${why}` : ""}. It is in micro-goal mode now, showing one step at a time. ${nextStepSuggestion(stall.nextStep, stall.title)}`,
    };
  }
  if (reader === "leader") {
    return {
      title: `${stall.ownerName}'s goal ${stall.title} has stalled`,
      text: `${stall.leaderPrompt ?? leaderPrompt(stall.ownerName, stall.title)}.${why ? ` Why it stalled: ${why}.` : ""} ${nextStepSuggestion(stall.nextStep, stall.title)}`,
    };
  }
  const facts = [{ label: "Owner", value: stall.ownerName }];
  if (stall.dueDate) facts.push({ label: "Due", value: stall.dueDate });
  const next = stall.nextStep as { text?: unknown } | null | undefined;
  if (typeof next?.text === "string") facts.push({ label: "Next small step", value: next.text });
  return {
    title: `Stalled: ${stall.title}`,
    text: `${stall.ownerName}'s goal "${stall.title}" has stalled${why ? `: ${why}` : ""}.`,
    facts,
    context: "Micro-goal mode: one small next step at a time until it moves again.",
  };
}

/** An obstacle hit in a check-in, to someone listed as able to help, with the Plan B. */
export function obstacleHit(o: {
  author: string;
  goalTitle: string;
  obstacle: string;
  planB: string;
  ask: string | null;
}): Message {
  return {
    title: `${o.author} hit an obstacle on ${o.goalTitle}`,
    text: `${o.author} hit an obstacle on ${o.goalTitle}: ${o.obstacle}. Plan B: ${o.planB}. You are listed as someone who can help${o.ask ? `: ${o.ask}` : "."}`,
  };
}

/**
 * The weekly "one small step" prompt, with each active goal's next open step (null when none) or,
 * for a goal in micro-goal mode with no step small enough, the prompt to write one.
 */
export function weeklyPrompt(
  goals: readonly { title: string; nextStep: string | null; prompt?: string }[],
): Message {
  return {
    title: "What is one small step you can take this week?",
    text: "A new week. For each goal, name one small step you can finish in one sitting, and give it a day.",
    lines: goals.map((g) =>
      g.nextStep !== null
        ? `${g.title}: next is ${quote(g.nextStep)}.`
        : g.prompt !== undefined
          ? `${g.title}: ${g.prompt}`
          : `${g.title}: no open step yet. What is one small step?`,
    ),
  };
}

/** A team's week, for a leader's weekly digest. */
export interface TeamWeek {
  teamName: string;
  from: string;
  to: string;
  /** Kept ÷ (kept + missed), or null when nothing was due. */
  followThroughRate: number | null;
  kept: number;
  missed: number;
  pending: number;
  stalled: readonly { title: string; leaderPrompt: string | null }[];
  misses: readonly { name: string; text: string; dueDate: string }[];
  wins: readonly string[];
}

const pct = (r: number | null) => (r === null ? "no commitments were due" : `${Math.round(r * 100)} %`);

/** A leader's weekly digest of one team: follow-through, stalled goals, misses and wins. */
export function weeklyDigest(w: TeamWeek): Message {
  return {
    title: `Weekly digest for ${w.teamName}`,
    text: `The week of ${w.from} to ${w.to} for ${w.teamName}: follow-through ${pct(w.followThroughRate)}, ${w.stalled.length} stalled, ${w.misses.length} missed, ${w.wins.length} wins.`,
    lines: [
      `Follow-through: ${pct(w.followThroughRate)} (${w.kept} kept, ${w.missed} missed, ${w.pending} still open).`,
      w.stalled.length === 0
        ? "Stalled goals: none."
        : `Stalled goals: ${w.stalled.map((s) => `${s.title}${s.leaderPrompt ? ` — ${s.leaderPrompt}` : ""}`).join("; ")}.`,
      w.misses.length === 0
        ? "Misses: none."
        : `Misses: ${w.misses
            .slice(0, 10)
            .map((m) => `${m.name}: ${quote(m.text)} (due ${m.dueDate})`)
            .join("; ")}.`,
      w.wins.length === 0 ? "Wins: none yet this week." : `Wins: ${w.wins.slice(0, 10).join("; ")}.`,
    ],
  };
}

/** An in-app notice (a followed goal's change, a delegation) forwarded on another channel. */
export function forwardedNotice(message: string): Message {
  return { title: message.length > 120 ? `${message.slice(0, 117)}…` : message, text: message };
}

/** A commitment kept or missed, to the team's channel. */
export function commitmentResolved(c: {
  kept: boolean;
  name: string;
  text: string;
  goalTitle: string;
  dueDate: string | null;
}): Message {
  const facts = [{ label: "Goal", value: c.goalTitle }];
  if (c.dueDate) facts.push({ label: "Due", value: c.dueDate });
  return {
    title: c.kept ? "Commitment kept" : "Commitment missed",
    text: `${c.name} ${c.kept ? "kept" : "missed"} a commitment: "${c.text}".`,
    facts,
    context: c.kept
      ? "Follow-through counts. Say well done."
      : "A missed commitment is a cue for a smaller next step.",
  };
}
