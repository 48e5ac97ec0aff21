/** `throughline step ...`: micro-steps: add, edit, move, drop, undo, done, list. */
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { dateOption, idArg, output, withBackend } from "../context.js";
import { stepLine, warningsText } from "../format.js";

/** Reads --estimate: a whole number of minutes, or fails with how to fix it. */
function estimateOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const estimate = Number(value);
  if (!Number.isInteger(estimate) || estimate <= 0) {
    throw new AppError(
      400,
      "invalid_estimate",
      `--estimate '${value}' is not a number of minutes. Use e.g. --estimate 30.`,
    );
  }
  return estimate;
}

/**
 * Reads --at: a 24-hour time ("15:30"), or "none" to clear it (null); the API checks the time
 * itself, so a bad one fails with the same sentence as over HTTP.
 */
function atOption(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() === "none" ? null : value;
}

/**
 * Reads --kr: a key result id of the step's goal, or "none" to unlink (null); the API checks that
 * the key result is the goal's own, so a wrong one fails with the same sentence as over HTTP.
 */
function krOption(value: string | undefined, goalId = "GOAL"): number | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === "none") return null;
  const id = Number(value.trim().replace(/^#/, ""));
  if (!Number.isInteger(id) || id <= 0) {
    throw new AppError(
      400,
      "invalid_key_result",
      `--kr '${value}' is not a key result id. Pass the number shown by \`throughline goal show ${goalId}\` (e.g. --kr 3), or --kr none.`,
    );
  }
  return id;
}

/**
 * Says a refused --kr in the CLI's words: the API names its path and the field keyResultId, the
 * CLI names `throughline goal show` and --kr. Any other error passes through unchanged.
 */
function krRefusal(e: unknown): never {
  if (e instanceof AppError && (e.code === "key_result_not_of_goal" || e.code === "key_result_retired")) {
    const goal = e.details?.goalId ?? "GOAL";
    const kr = e.details?.keyResultId ?? "";
    const see = `see them with \`throughline goal show ${goal}\`, then pass --kr ID or --kr none`;
    const title = typeof e.details?.title === "string" ? ` ("${e.details.title}")` : "";
    throw new AppError(
      e.status,
      e.code,
      e.code === "key_result_retired"
        ? `Key result ${kr}${title} is retired: it no longer counts. Link the step to one of goal ${goal}'s key results that count: ${see}.`
        : `Key result ${kr} is not one of goal ${goal}'s; ${see}.`,
      e.details,
    );
  }
  throw e;
}

/** A key result's title, short enough for a step's line. */
function shortTitle(title: string): string {
  return title.length > 24 ? `${title.slice(0, 23).trimEnd()}…` : title;
}

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
    .option("--at <HH:MM>", "the time of day on the due day to be reminded, e.g. 15:30")
    .option(
      "--every <words>",
      "how it repeats: 'every Monday', 'every 2 weeks', 'every weekday', or an RRULE",
    )
    .option("--until <date>", "the last day it repeats (with --every)")
    .option(
      "--kr <id>",
      "the key result of the goal this step moves (its id, from `throughline goal show GOAL`)",
    )
    .action(async (goalId: string, text: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const estimate = estimateOption(o.estimate);
        const owner = o.owner ? await s.backend.resolvePerson(o.owner) : undefined;
        const created = await s.backend
          .addStep(idArg(goalId, "Goal id"), {
            text,
            dueDate: await dateOption(s, o.due, "Due date"),
            ownerId: owner?.id,
            estimateMinutes: estimate,
            dueTime: atOption(o.at),
            every: o.every,
            until: await dateOption(s, o.until, "Until"),
            keyResultId: krOption(o.kr, goalId) ?? undefined,
          })
          .catch(krRefusal);
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
    .command("edit")
    .description("change a step (moving its due date needs --reason)")
    .argument("<stepId>", "step id")
    .option("--text <text>", "the concrete action")
    .option("--due <date>", "by when (needs --reason when it had a due date)")
    .option("--estimate <minutes>", "how long it takes, in minutes")
    .option("--owner <who>", "who does it (a name, an email or 'me')")
    .option("--at <HH:MM>", "the time of day on the due day, e.g. 15:30 ('none' clears it)")
    .option("--every <words>", "how it repeats from now on ('every Monday', ...; 'never' stops it)")
    .option(
      "--kr <id>",
      "the key result of the goal this step moves (its id, from `throughline goal show GOAL`; 'none' unlinks it)",
    )
    .option("--reason <text>", "why this changes")
    .action(async (stepId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const id = idArg(stepId, "Step id");
        const estimate = estimateOption(o.estimate);
        const owner = o.owner ? await s.backend.resolvePerson(o.owner) : undefined;
        const changed = await s.backend
          .updateStep(id, {
            text: o.text,
            dueDate: await dateOption(s, o.due, "Due date"),
            estimateMinutes: estimate,
            ownerId: owner?.id,
            dueTime: atOption(o.at),
            every: o.every === undefined ? undefined : o.every === "never" ? null : o.every,
            keyResultId: krOption(o.kr, "GOAL"),
            reason: o.reason,
          })
          .catch(krRefusal);
        output(s, changed, () => `Changed ${stepLine(changed)}${warningsText(changed.warnings)}`);
      }),
    );

  // The three changes that always need a reason, each one verb: a new due date, dropped, re-opened.
  const reasoned = [
    ["move", "move a step to another day, saying why (the missed day stays on the record)", "Moved"],
    ["drop", "drop a step, saying why", "Dropped"],
    ["undo", "re-open a done step, saying why", "Re-opened"],
  ] as const;
  for (const [verb, description, done] of reasoned) {
    const command = step
      .command(verb)
      .description(description)
      .argument("<stepId>", "step id")
      .option("--reason <text>", "why (required)");
    if (verb === "move")
      command.requiredOption("--due <date>", "the new day (YYYY-MM-DD or words like 'next Friday')");
    if (verb === "undo") command.option("--day <date>", "for a repeating step: the day to re-open");
    command.action(async (stepId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const patch =
          verb === "move"
            ? { dueDate: await dateOption(s, o.due, "Due date") }
            : {
                status: verb === "drop" ? ("dropped" as const) : ("todo" as const),
                occurrence: verb === "undo" ? await dateOption(s, o.day, "--day") : undefined,
              };
        const changed = await s.backend.updateStep(idArg(stepId, "Step id"), { ...patch, reason: o.reason });
        output(s, changed, () => `${done}: ${stepLine(changed)}`);
      }),
    );
  }

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
        // The key results of linked steps, by id: one plan read per goal that has a linked step.
        const krTitles = new Map<number, string>();
        const goals = new Set(page.items.filter((x) => x.keyResultId != null).map((x) => x.goalId));
        if (!s.json) {
          for (const g of goals) {
            for (const k of (await s.backend.plan(g)).keyResults) krTitles.set(k.id, shortTitle(k.title));
          }
        }
        const line = (x: (typeof page.items)[number]) => {
          const kr = x.keyResultId == null ? "" : krTitles.get(x.keyResultId);
          return kr ? `${stepLine({ ...x, keyResultId: null })}  [KR #${x.keyResultId} ${kr}]` : stepLine(x);
        };
        output(s, page.items, () => (page.items.length ? page.items.map(line).join("\n") : "No steps."));
      }),
    );
}
