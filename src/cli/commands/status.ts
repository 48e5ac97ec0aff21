/** `throughline status`: a goal's progress, pace, buffer, forecast, stall and next steps on a day. */
import type { Command } from "commander";
import type { GoalStatusView } from "../../app/evaluation/evaluate.js";
import type { Win } from "../../core/engine/index.js";
import { isMicroPrompt, type NextStep } from "../../core/engine/micro.js";
import { dateOption, idArg, output, withBackend } from "../context.js";
import { type DescribeRule, ruleDescriber, stepLineWith } from "../step-line.js";

/** A fraction as a whole percentage, or a dash when unknown. */
export function percent(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 100)}%`;
}

/** A follow-through rate with its counts, e.g. "75% (3 kept, 1 missed)". */
export function rateText(r: { followThroughRate: number | null; kept: number; missed: number }): string {
  return r.followThroughRate === null
    ? "nothing was due"
    : `${percent(r.followThroughRate)} (${r.kept} kept, ${r.missed} missed)`;
}

/**
 * One line for a next step: the step, or the prompt to write a small one; `describe` gives a
 * repeating step's rule in words (format.ts's `describeRecurrence`, or `ruleDescriber`'s).
 */
export function nextStepLine(entry: NextStep, describe: DescribeRule): string {
  return isMicroPrompt(entry) ? entry.prompt : stepLineWith(entry, describe);
}

/** One line for a win. */
export function winLine(w: Win): string {
  return `${w.date} ${w.text}`;
}

/** The status as text a person reads; `describe` as for `nextStepLine`. */
export function statusText(st: GoalStatusView, describe: DescribeRule): string {
  const lines = [`#${st.goalId} ${st.title}, as of ${st.asOf}`];
  const expected = st.expected === null ? "no due date" : `expected ${percent(st.expected)}`;
  lines.push(`  Progress ${percent(st.progress)} (${expected}): ${st.pace}`);
  const buffer = st.bufferDays === null ? "–" : `${st.bufferDays} day${st.bufferDays === 1 ? "" : "s"}`;
  lines.push(`  Buffer ${buffer}, forecast to finish ${st.forecastDate ?? "– (not enough check-ins)"}`);
  lines.push(st.stalled ? `  Stalled: ${st.stallReasons.join(", ")}` : "  Not stalled");
  if (st.mode === "micro-goal") {
    lines.push(`  Micro-goal mode since ${st.modeSince}: one small step at a time`);
    if (st.leaderPrompt) lines.push(`  Leader: ${st.leaderPrompt}`);
  }
  lines.push(st.mode === "micro-goal" ? "  Next step:" : "  Next steps:");
  if (st.nextSteps.length === 0) lines.push("    (none: what is one small step you can take this week?)");
  for (const n of st.nextSteps) lines.push(`    ${nextStepLine(n, describe)}`);
  return lines.join("\n");
}

/** Registers the status command. */
export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("a goal's progress, pace, buffer, forecast, stall and next steps")
    .argument("<goalId>", "goal id")
    .option("--as-of <date>", "the day to compute the status for (default today)")
    .action(async (goalId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const id = idArg(goalId, "Goal id");
        const st = await s.backend.status(id, {
          asOf: await dateOption(s, o.asOf, "--as-of"),
        });
        // The recurrence rules load only to print a next step that repeats (issue 17, cli26), as
        // `week` does (cli21).
        const describe = s.json
          ? null
          : await ruleDescriber(st.nextSteps.map((n) => (isMicroPrompt(n) ? null : n)));
        output(s, st, () => statusText(st, describe as DescribeRule));
      }),
    );
}
