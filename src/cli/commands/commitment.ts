/** `throughline commit` and `throughline commitment ...`: promises made in front of witnesses. */
import type { Command } from "commander";
import { collect, dateOption, idArg, output, withBackend } from "../context.js";
import { commitmentLine } from "../format.js";

/** Registers `commit` and `commitment list|keep|miss`. */
export function registerCommitmentCommand(program: Command): void {
  program
    .command("commit")
    .description("commit to something for a goal by a date, in front of witnesses")
    .argument("<goalId>", "goal id")
    .argument("<text>", "what you promise to do")
    .requiredOption("--by <date>", "by when (YYYY-MM-DD or words like 'next Friday')")
    .option(
      "--witness <who>",
      "someone who sees it kept or missed: an email, a name or an id (repeatable)",
      collect,
      [],
    )
    .action(async (goalId: string, text: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const witnesses = [];
        for (const w of o.witness as string[]) witnesses.push(await s.backend.resolvePerson(w));
        const made = await s.backend.createCommitment({
          goalId: idArg(goalId, "Goal id"),
          text,
          dueDate: (await dateOption(s, o.by, "--by")) as string,
          witnessUserIds: witnesses.map((w) => w.id),
        });
        const seen = witnesses.length ? ` in front of ${witnesses.map((w) => w.name).join(", ")}` : "";
        output(s, made, () => `Committed${seen}: ${commitmentLine(made)}`);
      }),
    );

  const commitment = program.command("commitment").description("your commitments and the ones you witness");

  commitment
    .command("list")
    .description("commitments you made or witness")
    .option("--status <status>", "open, kept or missed")
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const page = await s.backend.listCommitments({ status: o.status });
        output(s, page.items, () =>
          page.items.length ? page.items.map(commitmentLine).join("\n") : "No commitments.",
        );
      }),
    );

  for (const [verb, status, done] of [
    ["keep", "kept", "Kept"],
    ["miss", "missed", "Missed"],
  ] as const) {
    commitment
      .command(verb)
      .description(`mark your commitment ${status} (its witnesses are told)`)
      .argument("<id>", "commitment id")
      .action(async (id: string, _o, cmd: Command) =>
        withBackend(cmd, async (s) => {
          const resolved = await s.backend.resolveCommitment(idArg(id, "Commitment id"), status);
          output(s, resolved, () => `${done}: ${commitmentLine(resolved)}`);
        }),
      );
  }
}
