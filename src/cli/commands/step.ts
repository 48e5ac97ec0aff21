/** `throughline step ...`: micro-steps. */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { dateOption, idArg, output, withBackend } from "../context.js";
import { stepLine, warningsText } from "../format.js";

/** Registers the step commands. */
export function registerStepCommand(program: Command): void {
  const step = program.command("step").description("micro-steps: small, concrete, owned, dated");

  step
    .command("add")
    .description("add a step to a goal")
    .argument("<goalId>", "goal id")
    .argument("<text>", "the concrete action")
    .option("--due <date>", "by when (YYYY-MM-DD or words like 'next Friday')")
    .option("--owner <who>", "who does it (a name, an email or 'me')")
    .option("--estimate <minutes>", "how long it takes, in minutes")
    .option(
      "--every <words>",
      "how it repeats: 'every Monday', 'every 2 weeks', 'every weekday', or an RRULE",
    )
    .option("--until <date>", "the last day it repeats (with --every)")
    .action(async (goalId: string, text: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        let estimate: number | undefined;
        if (o.estimate !== undefined) {
          estimate = Number(o.estimate);
          if (!Number.isInteger(estimate) || estimate <= 0) {
            throw new AppError(
              400,
              "invalid_estimate",
              `--estimate '${o.estimate}' is not a number of minutes. Use e.g. --estimate 30.`,
            );
          }
        }
        const owner = o.owner ? await s.backend.resolvePerson(o.owner) : undefined;
        const created = await s.backend.addStep(idArg(goalId, "Goal id"), {
          text,
          dueDate: await dateOption(s, o.due, "Due date"),
          ownerId: owner?.id,
          estimateMinutes: estimate,
          every: o.every,
          until: await dateOption(s, o.until, "Until"),
        });
        output(s, created, () => `Added ${stepLine(created)}${warningsText(created.warnings)}`);
      }),
    );

  step
    .command("done")
    .description("mark a step done (today, or --date to backfill)")
    .argument("<stepId>", "step id")
    .option("--date <date>", "the day it was done")
    .action(async (stepId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const done = await s.backend.completeStep(idArg(stepId, "Step id"), {
          date: await dateOption(s, o.date, "Date"),
        });
        output(s, done, () => `Done: ${stepLine(done)}`);
      }),
    );

  step
    .command("list")
    .description("list open steps (--all includes done and dropped)")
    .option("--goal <id>", "only this goal's steps")
    .option("--all", "include done and dropped steps")
    .option("--limit <n>", "how many", "500")
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const page = await s.backend.listSteps({
          goal: o.goal === undefined ? undefined : idArg(o.goal, "Goal id"),
          all: o.all === true,
          limit: o.limit,
        });
        output(s, page.items, () => (page.items.length ? page.items.map(stepLine).join("\n") : "No steps."));
      }),
    );
}
