/**
 * Micro-goal mode: a stalled goal shows one small next step at a time until the person has
 * momentum again. Modelled as a pure state transition the app stores between evaluations.
 */
import { compareIso } from "../dates.js";
import type { Goal, IsoDate, Step } from "../types.js";
import { diffDays } from "./dates.js";
import type { Pace } from "./pace.js";
import { MICRO_EXIT_STEPS, MICRO_STEP_MAX_MINUTES } from "./rules.js";

/** How a goal's next steps are shown. */
export type Mode = "normal" | "micro-goal";

/**
 * The stored mode of a goal. In micro-goal mode `since` is the day it was entered and
 * `microStepsDone` counts steps done since then; in normal mode `since` is the day micro-goal mode
 * was last left (null if never) and `microStepsDone` is 0.
 */
export interface ModeState {
  mode: Mode;
  since: IsoDate | null;
  microStepsDone: number;
}

/** What the mode transition looks at on a day. */
export interface ModeInput {
  stalled: boolean;
  pace: Pace;
  /** Steps of the goal done on or after the previous state's `since` day, up to `asOf`. */
  stepsDoneSince: number;
  asOf: IsoDate;
  /** Whether the goal is active; inactive goals are always in normal mode. Defaults to true. */
  active?: boolean;
  /**
   * Days after leaving micro-goal mode during which it is not entered again, so that a goal still
   * behind after its micro-steps gets one cadence to show the new momentum. Defaults to 7.
   */
  cooldownDays?: number;
}

/** The mode of a goal that has never been evaluated. */
export const INITIAL_MODE: ModeState = Object.freeze({ mode: "normal", since: null, microStepsDone: 0 });

/** Default days after leaving micro-goal mode before it can be entered again. */
export const DEFAULT_MICRO_COOLDOWN_DAYS = 7;

/** Shown instead of a step when micro-goal mode has no step small enough. */
export interface MicroPrompt {
  prompt: string;
}

/** One entry of a goal's next steps: a step, or (in micro-goal mode) a prompt to write one. */
export type NextStep = Step | MicroPrompt;

/**
 * The mode after an evaluation on `asOf`.
 * - normal → micro-goal when the goal is stalled (and active, and not within the cooldown after
 *   last leaving the mode); the count starts at 0.
 * - micro-goal → normal when {@link MICRO_EXIT_STEPS} steps were done since entering, when the goal
 *   is no longer stalled and not behind its pace, or when it is no longer active.
 * - otherwise micro-goal stays, with the count of steps done since entering.
 *
 * @example
 * nextMode(INITIAL_MODE, { stalled: true, pace: "behind", stepsDoneSince: 0, asOf: "2024-03-12" });
 * // { mode: "micro-goal", since: "2024-03-12", microStepsDone: 0 }
 */
export function nextMode(prev: ModeState, input: ModeInput): ModeState {
  const active = input.active ?? true;
  const cooldown = input.cooldownDays ?? DEFAULT_MICRO_COOLDOWN_DAYS;
  const normal: ModeState = { mode: "normal", since: input.asOf, microStepsDone: 0 };

  if (prev.mode === "normal") {
    const cooling = prev.since !== null && diffDays(prev.since, input.asOf) < cooldown;
    if (active && input.stalled && !cooling)
      return { mode: "micro-goal", since: input.asOf, microStepsDone: 0 };
    return { mode: "normal", since: prev.since, microStepsDone: 0 };
  }

  if (!active) return normal;
  const done = Math.max(prev.microStepsDone, input.stepsDoneSince);
  if (done >= MICRO_EXIT_STEPS) return normal;
  if (!input.stalled && input.pace !== "behind") return normal;
  return { mode: "micro-goal", since: prev.since ?? input.asOf, microStepsDone: done };
}

/**
 * Whether a next-step entry is a prompt rather than a step.
 *
 * @example
 * isMicroPrompt({ prompt: "Write one step" }); // true
 */
export function isMicroPrompt(entry: NextStep): entry is MicroPrompt {
  return "prompt" in entry;
}

/**
 * The prompt shown in micro-goal mode when no open step is small enough (or none is open): the
 * one wording every interface and message uses.
 *
 * @example
 * microPrompt("Launch the newsletter");
 * // { prompt: "Write one step for Launch the newsletter that you can finish in 60 minutes or less." }
 */
export function microPrompt(goalTitle: string): MicroPrompt {
  return {
    prompt: `Write one step for ${goalTitle} that you can finish in ${MICRO_STEP_MAX_MINUTES} minutes or less.`,
  };
}

const isOpen = (s: Pick<Step, "status">) => s.status === "todo" || s.status === "doing";
const LAST_DAY = "9999-12-31";

/**
 * The order micro-goal mode picks from: smallest estimate first (steps without one after those
 * with one), then earliest due date (undated last), then position, then id.
 */
function microOrder(a: Step, b: Step): number {
  const size = (s: Step) => s.estimateMinutes ?? Number.POSITIVE_INFINITY;
  const due = (s: Step) => s.dueDate ?? LAST_DAY;
  return size(a) - size(b) || compareIso(due(a), due(b)) || a.position - b.position || a.id - b.id;
}

/**
 * The one step micro-goal mode shows for a goal: of its open steps (todo or doing), in the order
 * smallest estimate, then earliest due date, then position, the first whose estimate is at most
 * {@link MICRO_STEP_MAX_MINUTES} minutes or not given (a plan written without estimates still has
 * a step to show); null when every open step is estimated over that, or none is open (then the
 * goal shows {@link microPrompt} instead).
 *
 * @example
 * microStep(goal, [bigStep, fifteenMinuteStep, unestimatedStep]); // fifteenMinuteStep
 * microStep(goal, [bigStep, unestimatedStep]); // unestimatedStep
 * microStep(goal, [bigStep]); // null
 */
export function microStep(goal: Pick<Goal, "id">, steps: readonly Step[]): Step | null {
  const fits = (s: Step) => s.estimateMinutes == null || s.estimateMinutes <= MICRO_STEP_MAX_MINUTES;
  return steps.filter((s) => s.goalId === goal.id && isOpen(s) && fits(s)).sort(microOrder)[0] ?? null;
}

/**
 * The steps to show for a goal. In normal mode: its open steps (todo or doing) by due date (undated
 * last), then position, then id. In micro-goal mode: exactly one entry, {@link microStep}, or when
 * there is none a prompt to write such a step ({@link microPrompt}). Once that step is done, the
 * next one takes its place.
 *
 * @example
 * nextSteps(goal, steps, "micro-goal"); // [the 15-minute step] or [{ prompt: "Write one step …" }]
 */
export function nextSteps(goal: Pick<Goal, "id" | "title">, steps: readonly Step[], mode: Mode): NextStep[] {
  if (mode === "micro-goal") return [microStep(goal, steps) ?? microPrompt(goal.title)];
  const open = steps.filter((s) => s.goalId === goal.id && isOpen(s));
  const due = (s: Step) => s.dueDate ?? LAST_DAY;
  return open.sort((a, b) => compareIso(due(a), due(b)) || a.position - b.position || a.id - b.id);
}

/**
 * The prompt for a leader when a goal enters micro-goal mode.
 *
 * @example
 * leaderPrompt("Sam", "Launch the newsletter"); // "Agree one micro-goal with Sam for Launch the newsletter"
 */
export function leaderPrompt(ownerName: string, goalTitle: string): string {
  return `Agree one micro-goal with ${ownerName} for ${goalTitle}`;
}
