/** `throughline checkin`: key-result values, confidence, done, next, obstacles hit. */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { collect, dateOption, idArg, numberOption, output, withBackend } from "../context.js";
import { checkinLine } from "../format.js";

function krPair(text: string): { keyResultId: number; value: number } {
  const m = /^\s*(\d+)\s*=\s*(.+)$/.exec(text);
  if (!m) {
    throw new AppError(
      400,
      "invalid_kr_value",
      `--kr '${text}' is not <krId>=<value>. Use e.g. --kr 3=1450.`,
    );
  }
  return { keyResultId: Number(m[1]), value: numberOption(m[2] as string, "--kr value") };
}

/** Registers the check-in command. */
export function registerCheckinCommand(program: Command): void {
  program
    .command("checkin")
    .description("check in on a goal")
    .argument("<goalId>", "goal id")
    .option("--kr <krId=value>", "a key result's new value (repeatable)", collect, [])
    .option("--confidence <level>", "on-track, at-risk or off-track")
    .option("--done <text>", "what got done")
    .option("--step <stepId>", "a step completed (repeatable)", collect, [])
    .option("--next <text>", "the next small step")
    .option("--barrier <barrierId>", "an obstacle hit (repeatable): its Plan B is shown", collect, [])
    .option("--note <text>", "anything else")
    .option("--date <date>", "the day of the check-in (to backfill a missed one)")
    .action(async (goalId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const result = await s.backend.checkin(idArg(goalId, "Goal id"), {
          date: await dateOption(s, o.date, "Date"),
          krValues: (o.kr as string[]).map(krPair),
          confidence: o.confidence,
          doneText: o.done,
          stepsDone: (o.step as string[]).map((x) => idArg(x, "Step id")),
          nextStep: o.next,
          barriersHit: (o.barrier as string[]).map((x) => idArg(x, "Barrier id")),
          note: o.note,
        });
        output(s, result, () => {
          const lines = [`Checked in: ${checkinLine(result)}`];
          for (const p of result.planB) {
            lines.push(`Obstacle hit: ${p.obstacle}`, `  Plan B: ${p.planB}`);
            for (const person of p.askPeople)
              lines.push(`  Ask ${person.name}${person.ask ? `: ${person.ask}` : ""}`);
          }
          return lines.join("\n");
        });
      }),
    );
}
