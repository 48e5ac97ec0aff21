/** `throughline kr ...`: key results. */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { dateOption, idArg, numberOption, output, withBackend } from "../context.js";
import { krLine } from "../format.js";

/** Registers the key-result commands. */
export function registerKrCommand(program: Command): void {
  const kr = program.command("kr").description("measurable key results: from X to Y");

  kr.command("add")
    .description("add a key result to a goal")
    .argument("<goalId>", "goal id")
    .argument("<title>", "what is measured")
    .requiredOption("--from <n>", "the value now")
    .requiredOption("--to <n>", "the target value")
    .option("--unit <unit>", "the unit, e.g. users or %")
    .option("--due <date>", "due date of this key result")
    .action(async (goalId: string, title: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const created = await s.backend.addKeyResult(idArg(goalId, "Goal id"), {
          title,
          startValue: numberOption(o.from, "--from"),
          targetValue: numberOption(o.to, "--to"),
          unit: o.unit,
          dueDate: await dateOption(s, o.due, "Due date"),
        });
        output(s, created, () => `Added ${krLine(created)}`);
      }),
    );

  kr.command("edit")
    .description("change a key result (a new target needs --reason)")
    .argument("<krId>", "key result id")
    .option("--title <text>", "new title")
    .option("--target <n>", "new target (needs --reason)")
    .option("--to <n>", "the same as --target")
    .option("--unit <unit>", "new unit, e.g. users or %")
    .option("--value <n>", "new current value")
    .option("--reason <text>", "why this changes")
    .action(async (krId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        if (o.target !== undefined && o.to !== undefined) {
          throw new AppError(
            400,
            "target_given_twice",
            "Give the new target once: --target or --to, not both.",
          );
        }
        const [flag, target] = o.target === undefined ? ["--to", o.to] : ["--target", o.target];
        const changed = await s.backend.updateKeyResult(idArg(krId, "Key result id"), {
          title: o.title,
          unit: o.unit,
          targetValue: target === undefined ? undefined : numberOption(target, flag),
          currentValue: o.value === undefined ? undefined : numberOption(o.value, "--value"),
          reason: o.reason,
        });
        output(s, changed, () => `Changed ${krLine(changed)}`);
      }),
    );
}
