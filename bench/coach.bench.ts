/**
 * Throughput of the coach. Each iteration lints one statement, cycling through the labelled data
 * set, so `hz` in the report is statements per second.
 *
 *   npx vitest bench bench/coach.bench.ts --run
 */

import { bench, describe } from "vitest";
import { lintGoal, lintStep, parseDue, parseMeasure } from "../src/core/coach/index.js";
import { goals, REFERENCE_DAY, steps } from "../test/coach/evaluate.js";

const stepTexts = steps.map((s) => s.text);
const goalTexts = goals.map((g) => g.text);
let i = 0;
let j = 0;
// compromise builds its lexicon on first use; keep that one-off cost out of the numbers.
for (const text of stepTexts) lintStep(text, { now: REFERENCE_DAY });
const options = { time: 3000, warmupTime: 500 };

describe("coach", () => {
  bench(
    "lintStep (one statement from the data set)",
    () => {
      lintStep(stepTexts[i++ % stepTexts.length], { now: REFERENCE_DAY });
    },
    options,
  );
  bench(
    "lintGoal (one goal from the data set, text only)",
    () => {
      lintGoal(goalTexts[j++ % goalTexts.length], { now: REFERENCE_DAY });
    },
    options,
  );
  bench(
    "parseDue (one goal text)",
    () => {
      parseDue(goalTexts[j++ % goalTexts.length], REFERENCE_DAY);
    },
    options,
  );
  bench(
    "parseMeasure (one goal text)",
    () => {
      parseMeasure(goalTexts[j++ % goalTexts.length]);
    },
    options,
  );
});
