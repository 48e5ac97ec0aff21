/**
 * The thresholds of the follow-through engine, in one place so docs/engine.md, the tests and the
 * code agree. Progress and pace are fractions (0..1); "points" below are percentage points.
 */

/** Pace tolerance: within ±5 points of the expected progress counts as on track. */
export const PACE_TOLERANCE = 0.05;

/** A goal behind its expected progress by more than 15 points is stalled ("behind"). */
export const STALL_BEHIND_THRESHOLD = 0.15;

/** Days of silence allowed beyond the goal's cadence before it is stalled ("silent"). */
export const SILENCE_GRACE_DAYS = 3;

/** The largest estimate (minutes) a step may have to be shown as the micro-step. */
export const MICRO_STEP_MAX_MINUTES = 60;

/** Micro-steps done while in micro-goal mode that end the mode. */
export const MICRO_EXIT_STEPS = 3;

/** How many of the most recent check-in progress points the forecast trend uses. */
export const FORECAST_POINTS = 6;

/** Key-result milestones (fractions of the way from start to target) celebrated as small wins. */
export const MILESTONES = [0.25, 0.5, 0.75, 1] as const;

/** The shortest run of consecutive ISO weeks with a step done that is celebrated as a streak. */
export const MIN_STREAK_WEEKS = 2;

/** How far back (days) "buffer gained" compares today's buffer with. */
export const BUFFER_GAIN_LOOKBACK_DAYS = 7;

/** Default length (days, including today) of the window the wins feed covers. */
export const WINS_WINDOW_DAYS = 7;

/**
 * Float slack for comparisons at a threshold, so that exactly 5 points behind is on track and not
 * a rounding error away from behind.
 */
export const EPSILON = 1e-9;

/**
 * The version of the engine's rules. Bump it whenever a change to the engine's logic changes what
 * it answers for the same data (a new stall reason, another forecast): stored evaluations carry it
 * in their stamps (src/app/evaluation/rollup.ts), so they are computed again after an upgrade. The
 * thresholds above are part of those stamps by value, so changing one needs no bump.
 */
export const RULES_VERSION = 4;
