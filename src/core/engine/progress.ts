/**
 * Progress: how far a key result or a goal has come, as a fraction from 0 to 1.
 */
import type { KeyResult, Step } from "../types.js";

/** The parts of a key result that progress depends on. */
export type KeyResultMeasure = Pick<KeyResult, "startValue" | "targetValue" | "currentValue" | "direction">;

/**
 * Clamps a number to 0..1, reading anything that is not a number (NaN) as 0.
 *
 * @example
 * clamp01(1.4); // 1
 * clamp01(Number.NaN); // 0
 */
export function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/**
 * A key result's progress: (value − start) / (target − start), clamped to 0..1. The ratio already
 * points the right way for "decrease" key results (start above target). When start equals target
 * the direction decides: progress is 1 once the value has reached the target on the right side,
 * else 0. `value` defaults to the key result's current value.
 *
 * @example
 * keyResultProgress({ startValue: 1200, targetValue: 2000, currentValue: 1600, direction: "increase" }); // 0.5
 * keyResultProgress({ startValue: 10, targetValue: 2, currentValue: 4, direction: "decrease" }); // 0.75
 */
export function keyResultProgress(kr: KeyResultMeasure, value: number = kr.currentValue): number {
  const span = kr.targetValue - kr.startValue;
  if (span === 0 || !Number.isFinite(span)) {
    const reached = kr.direction === "decrease" ? value <= kr.targetValue : value >= kr.targetValue;
    return reached ? 1 : 0;
  }
  return clamp01((value - kr.startValue) / span);
}

/**
 * A goal's progress: the mean of its key results' progress; without key results, the share of its
 * steps that are done, not counting dropped steps; 0 when it has neither.
 *
 * @example
 * goalProgress([], [{ status: "done" }, { status: "todo" }, { status: "dropped" }]); // 0.5
 */
export function goalProgress(
  keyResults: readonly KeyResultMeasure[],
  steps: readonly Pick<Step, "status">[],
): number {
  if (keyResults.length > 0) {
    const sum = keyResults.reduce((acc, kr) => acc + keyResultProgress(kr), 0);
    return clamp01(sum / keyResults.length);
  }
  const counted = steps.filter((s) => s.status !== "dropped");
  if (counted.length === 0) return 0;
  return counted.filter((s) => s.status === "done").length / counted.length;
}
