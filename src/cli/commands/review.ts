/**
 * `throughline review`: the weekly review. Last week's wins and misses, the stalled goals and the
 * follow-through rate, then one small step for next week per active goal: asked for on a terminal,
 * or given with --step.
 */
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { WeeklyReview } from "../../app/reports/review.js";
import { describeRecurrence } from "../../core/recurrence.js";
import type { Step } from "../../core/types.js";
import { type BackendSession, collect, dateOption, output, withBackend } from "../context.js";
import { stepLine } from "../format.js";
import { leftOutLine } from "./report.js";
import { nextStepLine, rateText, winLine } from "./status.js";

/** Reads --step <goalId>=<text>, or fails with how to fix it. */
function stepPair(text: string): { goalId: number; text: string } {
  const m = /^\s*(\d+)\s*=\s*(.*)$/s.exec(text);
  if (!m || Number(m[1]) <= 0) {
    throw new AppError(
      400,
      "invalid_step",
      `--step '${text}' is not <goalId>=<text>. Use e.g. --step "3=Email Raj the deck".`,
    );
  }
  return { goalId: Number(m[1]), text: m[2] as string };
}

/** The review as text a person reads. */
export function reviewText(r: WeeklyReview): string {
  const lines = [`Weekly review, ${r.from} to ${r.to}`, `Follow-through: ${rateText(r)}`];
  lines.push("Wins:");
  if (r.wins.length === 0) lines.push("  (none this week: one small step is enough to start)");
  for (const w of r.wins) lines.push(`  ${winLine(w)}`);
  lines.push("Missed:");
  if (r.misses.length === 0) lines.push("  (nothing)");
  for (const m of r.misses)
    lines.push(`  ${m.dueDate} ${m.text}${m.doneOn ? ` (done late, ${m.doneOn})` : " (not done)"}`);
  lines.push("Stalled:");
  if (r.stalled.length === 0) lines.push("  (none)");
  for (const g of r.stalled) {
    lines.push(`  #${g.goalId} ${g.title} (${g.reasons.join(", ")})`);
    if (g.leaderPrompt) lines.push(`    ${g.leaderPrompt}`);
  }
  lines.push(
    ...leftOutLine(
      [
        [r.omitted?.wins, "win", "wins"],
        [r.omitted?.misses, "miss", "misses"],
        [r.omitted?.stalled, "stalled goal", "stalled goals"],
      ],
      "throughline review",
    ),
  );
  lines.push(`Next week (${r.nextWeek.from} to ${r.nextWeek.to}):`);
  if (r.plan.length === 0) lines.push("  (no active goals of yours)");
  for (const g of r.plan) {
    lines.push(`  #${g.goalId} ${g.title}${g.mode === "micro-goal" ? " [micro-goal mode]" : ""}`);
    const next = g.nextSteps[0];
    lines.push(
      `    next: ${next === undefined ? "(nothing planned)" : nextStepLine(next, describeRecurrence)}`,
    );
  }
  return lines.join("\n");
}

async function askForSteps(r: WeeklyReview): Promise<{ goalId: number; text: string }[]> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answers: { goalId: number; text: string }[] = [];
  try {
    for (const g of r.plan) {
      const text = (await rl.question(`${g.question} (Enter to skip) `)).trim();
      if (text) answers.push({ goalId: g.goalId, text });
    }
  } finally {
    rl.close();
  }
  return answers;
}

async function addSteps(
  s: BackendSession,
  asOf: string,
  steps: { goalId: number; text: string }[],
): Promise<Step[]> {
  if (steps.length === 0) return [];
  return s.backend.addReviewSteps({ asOf, steps });
}

/** Registers the review command. */
export function registerReviewCommand(program: Command): void {
  program
    .command("review")
    .description("the weekly review: wins, misses, stalled goals, the rate, and next week's small steps")
    .option("--as-of <date>", "the last day of the week reviewed (default today)")
    .option(
      "--all",
      "list every win, miss and stalled goal (by default those of goals outside your teams stop after 10)",
    )
    .option(
      "--step <goalId=text>",
      "next week's small step for a goal (repeatable); no questions asked",
      collect,
      [],
    )
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const given = (o.step as string[]).map(stepPair);
        const review = await s.backend.review({
          asOf: await dateOption(s, o.asOf, "--as-of"),
          ...(o.all ? { all: true } : {}),
        });
        const interactive =
          given.length === 0 && !s.json && process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (!interactive) {
          const added = await addSteps(s, review.asOf, given);
          output(s, { ...review, added }, () =>
            [reviewText(review), ...added.map((a) => `Added ${stepLine(a)}`)].join("\n"),
          );
          return;
        }
        process.stdout.write(`${reviewText(review)}\n\n`);
        const added = await addSteps(s, review.asOf, await askForSteps(review));
        for (const a of added) process.stdout.write(`Added ${stepLine(a)}\n`);
      }),
    );
}
