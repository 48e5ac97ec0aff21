/**
 * The learned reading's trainer is deterministic and its weights are data made from the committed
 * sets: retraining on them gives back, byte for byte, the committed src/core/coach/learned-weights.ts
 * (`npm run coach:train` after a change to the sets, the features or the trainer).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { examplesBySet, STEP_OPTIONS, train, trainAll } from "./learn.js";
import { weightsSource } from "./learn-weights.js";

const committed = readFileSync(
  fileURLToPath(new URL("../../src/core/coach/learned-weights.ts", import.meta.url)),
  "utf8",
);

describe("the coach's learned reading", () => {
  const bySet = examplesBySet();

  it("retraining on the twelve sets reproduces the committed weights", () => {
    expect(weightsSource(trainAll(bySet))).toBe(committed);
  }, 300_000);

  it("trains the same weights twice from the same examples, and other weights from other ones", () => {
    const some = bySet.slice(0, 2).flatMap((s) => s.steps);
    const a = train(some, ["action", "outcome", "vague"], STEP_OPTIONS);
    const b = train(some, ["action", "outcome", "vague"], STEP_OPTIONS);
    expect(b).toEqual(a);
    const other = train(
      bySet.slice(2, 4).flatMap((s) => s.steps),
      ["action", "outcome", "vague"],
      STEP_OPTIONS,
    );
    expect(other.weights).not.toEqual(a.weights);
  }, 120_000);
});
