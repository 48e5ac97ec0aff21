/** `throughline week`: the steps due this week across my goals, one step per stalled goal. */
import type { Command } from "commander";
import type { Week } from "../../app/plans/steps.js";
import { dateOption, output, withBackend } from "../context.js";
import { type DescribeRule, ruleDescriber, stepLineWith } from "../step-line.js";

/** Registers the week command. */
export function registerWeekCommand(program: Command): void {
  program
    .command("week")
    .description(
      "my week: open steps due by Sunday, overdue ones included; one step per goal in micro-goal mode",
    )
    .option("--as-of <date>", "a day of the week to show (default today)")
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const week = await s.backend.week(await dateOption(s, o.asOf, "--as-of"));
        const planned = week.steps.length > 0 || week.microGoals.length > 0;
        if (s.json || planned || !process.stdin.isTTY || !process.stdout.isTTY) {
          // The recurrence rules load only to print a step that repeats (issue 17, cli21).
          const describe = s.json || !planned ? null : await ruleDescriber(weekSteps(week));
          output(s, week, () => (describe ? weekText(week, describe) : (week.prompt as string)));
          return;
        }
        // Nothing planned and a person at the keyboard: ask for one small step.
        const active = await s.backend.listGoals({ status: "active", limit: 50 });
        if (active.items.length === 0) {
          process.stdout.write(`${week.prompt}\nStart with a goal: throughline goal add "..."\n`);
          return;
        }
        // readline only here, at the keyboard: a plain `week` does not load it.
        const { createInterface } = await import("node:readline/promises");
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        try {
          process.stdout.write(`${week.prompt}\n`);
          active.items.forEach((g, i) => {
            process.stdout.write(`  ${i + 1}. ${g.title}\n`);
          });
          const pick = await rl.question("Which goal (number, Enter to skip)? ");
          const goal = active.items[Number(pick) - 1];
          if (!goal) return;
          const text = (await rl.question("One small step: ")).trim();
          if (!text) return;
          const added = await s.backend.addStep(goal.id, { text, dueDate: week.to });
          process.stdout.write(`Added ${stepLineWith(added, await ruleDescriber([added]))}\n`);
        } finally {
          rl.close();
        }
      }),
    );
}

/** Every step my week prints: the steps due, then the micro-goals' one steps. */
function weekSteps(week: Week) {
  return [...week.steps, ...week.microGoals.map((g) => g.step)];
}

/** My week as lines: the steps due, then each goal in micro-goal mode with its one step or prompt. */
function weekText(week: Week, describe: DescribeRule): string {
  const line = (step: Week["steps"][number]) => stepLineWith(step, describe);
  const lines = [`Your week (${week.from} to ${week.to}):`, ...week.steps.map(line)];
  if (week.microGoals.length > 0) {
    lines.push("One step at a time (micro-goal mode):");
    for (const g of week.microGoals) lines.push(`${g.title}: ${g.step ? line(g.step) : g.prompt}`);
  }
  return lines.join("\n");
}
