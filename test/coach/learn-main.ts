/**
 * `npm run coach:train`: trains the learned reading on the twelve sets and writes
 * src/core/coach/learned-weights.ts. `npm run coach:train -- --study [stepMargin] [goalMargin]`
 * prints the leave-one-set-out table instead (docs/coach.md, "A learned reading (ml26)").
 */

import { writeFileSync } from "node:fs";
import { foldTable, leaveOneSetOut, trainAll } from "./learn.js";
import { weightsSource } from "./learn-weights.js";

const [mode, stepMargin = "0", goalMargin = "0"] = process.argv.slice(2);
if (mode === "--study") {
  for (const sm of stepMargin.split(",")) {
    for (const gm of goalMargin.split(",")) {
      console.log(`\nstep margin ${sm}, goal margin ${gm}\n`);
      const margin = (m: string) => (m === "product" ? m : Number(m));
      console.log(foldTable(leaveOneSetOut(margin(sm), margin(gm))));
    }
  }
} else if (mode !== "--flips" && mode !== "--transitions") {
  const out = mode ?? "src/core/coach/learned-weights.ts";
  writeFileSync(out, weightsSource(trainAll()));
  console.log(`wrote ${out}`);
}

if (mode === "--flips") {
  // Which items of one held-out set the model changes: `--flips data 0.5`.
  const { SETS, examplesBySet, trainAll: all } = await import("./learn.js");
  const { gatedClass } = await import("../../src/core/coach/learned.js");
  const by = examplesBySet();
  const h = by.findIndex((s) => s.name === stepMargin);
  const { step } = all(by.filter((_, i) => i !== h));
  const texts = SETS[h].steps;
  let k = 0;
  for (const item of texts) {
    const e = by[h].steps[k];
    if (!e) break;
    const got = gatedClass(step, e.features, step.classes[e.rule], Number(goalMargin));
    if (got !== step.classes[e.rule])
      console.log(
        `${got === item.label ? "fixed" : "broke"} rule=${step.classes[e.rule]} model=${got} label=${item.label}: ${item.text}`,
      );
    k++;
  }
}

if (mode === "--transitions") {
  // Per held-out set, the model's changes by transition (rules' class → model's class): fixed/broke.
  const { examplesBySet, trainAll: all } = await import("./learn.js");
  const { gatedClass } = await import("../../src/core/coach/learned.js");
  const by = examplesBySet();
  const margins = stepMargin.split(",").map(Number);
  const total = new Map<string, [number, number]>();
  by.forEach((held, h) => {
    const { step } = all(by.filter((_, i) => i !== h));
    for (const m of margins) {
      const t = new Map<string, [number, number]>();
      for (const e of held.steps) {
        const got = gatedClass(step, e.features, step.classes[e.rule], m);
        if (got === step.classes[e.rule]) continue;
        const key = `${m} ${step.classes[e.rule]}→${got}`;
        const row = t.get(key) ?? [0, 0];
        row[got === step.classes[e.label] ? 0 : 1]++;
        t.set(key, row);
        const tot = total.get(key) ?? [0, 0];
        tot[got === step.classes[e.label] ? 0 : 1]++;
        total.set(key, tot);
      }
      console.log(held.name, [...t].map(([k, [f, b]]) => `${k} +${f}/-${b}`).join("  "));
    }
  });
  console.log(
    "all",
    [...total]
      .sort()
      .map(([k, [f, b]]) => `${k} +${f}/-${b}`)
      .join("\n"),
  );
}
