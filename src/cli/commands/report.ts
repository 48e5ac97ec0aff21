/** `throughline report`: the follow-through rate of the last weeks, with wins and stalled goals. */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { FollowThroughReportView } from "../../app/reports/report.js";
import { dateOption, output, withBackend } from "../context.js";
import { rateText, winLine } from "./status.js";

/** Reads --weeks as a whole number, or fails with how to fix it. */
function weeksOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new AppError(400, "invalid_weeks", `--weeks '${value}' is not a whole number. Use e.g. --weeks 4.`);
  }
  return Number(value);
}

/**
 * report22: the line saying what the lists left out (of goals outside the reader's circle) and how
 * to see it, or none. A server older than report22 sends no counts: nothing is said.
 */
export function leftOutLine(counts: [number | undefined, string, string][], command: string): string[] {
  const parts = counts.flatMap(([n, one, many]) =>
    n ? [`${n.toLocaleString("en-US")} ${n === 1 ? one : many}`] : [],
  );
  if (parts.length === 0) return [];
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return [
    `Left out: ${list} from goals of people outside your teams (open to the workspace). To list them all: ${command} --all`,
  ];
}

/** The report as text a person reads. */
export function reportText(r: FollowThroughReportView): string {
  const lines = [
    `Follow-through ${r.from} to ${r.to} (${r.weeks} week${r.weeks === 1 ? "" : "s"}): ${rateText(r)}`,
  ];
  if (r.pending) lines.push(`  ${r.pending} still open and not due yet`);
  const moved = (n: number) => (n ? `, moved ${n} time${n === 1 ? "" : "s"}` : "");
  if (r.moved) {
    lines.push(`Moved to another day: ${r.moved} time${r.moved === 1 ? "" : "s"}. Most moved:`);
    for (const m of r.mostMoved) lines.push(`  #${m.stepId} ${m.text} (${m.moves}×)`);
  }
  if (r.byUser.length) {
    lines.push("By person:");
    for (const u of r.byUser) lines.push(`  ${u.name ?? `#${u.userId}`}: ${rateText(u)}${moved(u.moved)}`);
  }
  lines.push("By week:");
  for (const w of r.byWeek) lines.push(`  week of ${w.weekStart}: ${rateText(w)}${moved(w.moved)}`);
  lines.push("Wins:");
  if (r.wins.length === 0) lines.push("  (none in this window)");
  for (const w of r.wins) lines.push(`  ${winLine(w)}`);
  lines.push("Stalled:");
  if (r.stalled.length === 0) lines.push("  (none)");
  for (const g of r.stalled) lines.push(`  #${g.goalId} ${g.title} (${g.reasons.join(", ")})`);
  lines.push(
    ...leftOutLine(
      [
        [r.omitted?.wins, "win", "wins"],
        [r.omitted?.stalled, "stalled goal", "stalled goals"],
        [r.omitted?.byUser, "person", "people"],
      ],
      "throughline report",
    ),
  );
  return lines.join("\n");
}

/** Registers the report command. */
export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description(
      "the follow-through rate of the last weeks, per person and week, with wins and stalled goals",
    )
    .option("--as-of <date>", "the last day of the window (default today)")
    .option("--weeks <n>", "how many weeks the window covers (default 4)")
    .option(
      "--all",
      "list every win, stalled goal and person (by default those of goals outside your teams stop after 10)",
    )
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const r = await s.backend.report({
          asOf: await dateOption(s, o.asOf, "--as-of"),
          weeks: weeksOption(o.weeks),
          ...(o.all ? { all: true } : {}),
        });
        output(s, r, () => reportText(r));
      }),
    );
}
