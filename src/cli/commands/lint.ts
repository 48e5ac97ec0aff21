/** `throughline lint`: the coach on any text, as arguments or one per line on stdin (streamed). */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { styleText } from "node:util";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { LintItem } from "../../app/plans/coach.js";
import { dayIn, isIsoDay } from "../../core/dates.js";
import { type GlobalOptions, localTimeZone } from "../context.js";

type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/** A readable report of one linted text, with the coach's suggestions. */
export function lintReport(item: LintItem, paint: Paint): string {
  const lines: string[] = [];
  const ok = item.findings.length === 0;
  const head = ok ? paint("green", "✓") : paint("yellow", "!");
  const kind = "kind" in item && item.kind ? ` (${item.kind})` : "";
  const score = "score" in item && item.score !== undefined ? ` — plan score ${item.score}` : "";
  lines.push(
    `${head} ${item.text.length > 120 ? `${item.text.slice(0, 119)}…` : item.text}${paint("dim", kind + score)}`,
  );
  if ("smart" in item && item.smart) {
    // The five SMART letters: ✓ met, ✗ not met, ? not judged (A and R need the plan, not just the text).
    const mark = (v: boolean | null) => (v === null ? "?" : v ? "✓" : "✗");
    const s = item.smart;
    lines.push(
      paint(
        "dim",
        `    SMART  S ${mark(s.specific)}  M ${mark(s.measurable)}  T ${mark(s.timeBound)}  A ${mark(s.achievable)}  R ${mark(s.relevant)}`,
      ),
    );
  }
  if (item.due) lines.push(paint("dim", `    due ${item.due}`));
  if (item.measure) {
    const m = item.measure;
    lines.push(
      paint(
        "dim",
        `    measure ${m.from === null ? "" : `from ${m.from} `}to ${m.to}${m.unit ? ` ${m.unit}` : ""}`,
      ),
    );
  }
  for (const f of item.findings) {
    lines.push(`    ${paint("yellow", f.code)}: ${f.message}`);
    lines.push(`      ${paint("cyan", "→")} ${f.suggestion}`);
  }
  return lines.join("\n");
}

/** The colouring function for a stream: colours only on a TTY (and never with NO_COLOR). */
export function painter(tty: boolean): Paint {
  return tty && !process.env.NO_COLOR ? (style, text) => styleText(style, text) : (_style, text) => text;
}

/** Registers the lint command. */
export function registerLintCommand(program: Command): void {
  program
    .command("lint")
    .description("check steps or goals as the coach does (texts as arguments, or one per line on stdin)")
    .argument("[text...]", "texts to check; none reads stdin line by line")
    .option("--as <what>", "step, goal or planB", "step")
    .option("--now <date>", "the reference day for dates (YYYY-MM-DD, default today)")
    .action(async (texts: string[], o: { as: string; now?: string }, cmd: Command) => {
      const json = cmd.optsWithGlobals<GlobalOptions>().json === true;
      if (o.as !== "step" && o.as !== "goal" && o.as !== "planB") {
        throw new AppError(
          400,
          "invalid_as",
          `--as '${o.as}' is not step, goal or planB. Use --as step, --as goal or --as planB.`,
        );
      }
      const now = o.now ?? dayIn(new Date(), localTimeZone());
      if (!isIsoDay(now)) {
        throw new AppError(
          400,
          "invalid_date",
          `--now '${now}' is not a date. Use YYYY-MM-DD, e.g. --now 2026-11-21.`,
        );
      }
      const paint = painter(process.stdout.isTTY === true);
      const { lintOne } = await import("../../app/plans/coach.js");
      const emit = async (text: string) => {
        const item = lintOne(text, o.as as "step" | "goal" | "planB", now);
        const written = process.stdout.write(
          json ? `${JSON.stringify(item)}\n` : `${lintReport(item, paint)}\n`,
        );
        // Respect a slow reader: wait for the pipe to drain before judging more lines.
        if (!written) await once(process.stdout, "drain");
      };
      if (texts.length > 0) {
        for (const t of texts) await emit(t);
        return;
      }
      // One text per line, streamed: a large stdin is never read whole.
      const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of rl) await emit(line);
    });
}
