/** `throughline goal ...`: add, list, show, edit, drop, complete, archive, unarchive, history. */
import type { Command } from "commander";
import { collect, dateOption, idArg, output, withBackend } from "../context.js";
import { changeLine, goalLine, planText, warningsText } from "../format.js";

/** A --parent option: a goal id, or "none" to align the goal to nothing. */
function parentOption(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() === "none" ? null : idArg(value, "--parent");
}

/** Registers the goal commands. */
export function registerGoalCommand(program: Command): void {
  const goal = program.command("goal").description("create and change goals");

  goal
    .command("add")
    .description("create a goal")
    .argument("<title>", "what you want to achieve")
    .option("--why <text>", "the value or priority it serves, the context, who benefits")
    .option("--start <date>", "start date (YYYY-MM-DD or words like 'today')")
    .option("--due <date>", "due date (YYYY-MM-DD or words like 'end of March')")
    .option("--value <tag>", "a value it serves (repeatable)", collect, [])
    .option("--priority <level>", "low, medium, high or critical")
    .option("--visibility <who>", "private, team or workspace")
    .option("--cadence <days>", "check-in cadence in days (default 7)")
    .option("--success <text>", "what success looks like")
    .option("--parent <id>", "the goal (objective) this one serves")
    .action(async (title: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const created = await s.backend.createGoal({
          title,
          why: o.why,
          values: o.value,
          startDate: await dateOption(s, o.start, "Start date"),
          dueDate: await dateOption(s, o.due, "Due date"),
          priority: o.priority,
          visibility: o.visibility,
          cadenceDays: o.cadence === undefined ? undefined : Number(o.cadence),
          successLooksLike: o.success,
          parentId: parentOption(o.parent),
        });
        output(s, created, () => `Created goal ${goalLine(created)}${warningsText(created.warnings)}`);
      }),
    );

  goal
    .command("list")
    .description("list goals")
    .option("--status <status>", "draft, active, done or dropped")
    .option("--due-before <date>", "only goals due on or before this date")
    .option("--due-after <date>", "only goals due on or after this date")
    .option("--limit <n>", "how many", "200")
    .option("--archived", "list the archived goals instead of the current ones")
    .action(async (o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const page = await s.backend.listGoals({
          status: o.status,
          archived: o.archived ? "only" : undefined,
          dueBefore: await dateOption(s, o.dueBefore, "--due-before"),
          dueAfter: await dateOption(s, o.dueAfter, "--due-after"),
          limit: o.limit,
        });
        output(s, page.items, () =>
          page.items.length
            ? page.items.map(goalLine).join("\n")
            : o.archived
              ? "No archived goals. Archive a done or dropped one: throughline goal archive ID"
              : 'No goals yet. Add one: throughline goal add "..."',
        );
      }),
    );

  goal
    .command("show")
    .description("show a goal with its whole plan")
    .argument("<id>", "goal id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const plan = await s.backend.plan(idArg(id, "Goal id"));
        output(s, plan, () => planText(plan));
      }),
    );

  goal
    .command("edit")
    .description("change a goal (due date, priority and dropping need --reason)")
    .argument("<id>", "goal id")
    .option("--title <text>", "new title")
    .option("--why <text>", "new why")
    .option("--start <date>", "new start date")
    .option("--due <date>", "new due date (needs --reason)")
    .option("--priority <level>", "low, medium, high or critical (needs --reason)")
    .option("--status <status>", "draft, active, done or dropped")
    .option("--visibility <who>", "private, team or workspace")
    .option("--cadence <days>", "check-in cadence in days")
    .option("--success <text>", "what success looks like")
    .option("--parent <id>", "the goal (objective) this one serves, or 'none'")
    .option("--reason <text>", "why this changes")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const changed = await s.backend.updateGoal(idArg(id, "Goal id"), {
          title: o.title,
          why: o.why,
          startDate: await dateOption(s, o.start, "Start date"),
          dueDate: await dateOption(s, o.due, "Due date"),
          priority: o.priority,
          status: o.status,
          visibility: o.visibility,
          cadenceDays: o.cadence === undefined ? undefined : Number(o.cadence),
          successLooksLike: o.success,
          parentId: parentOption(o.parent),
          reason: o.reason,
        });
        output(s, changed, () => `Changed goal ${goalLine(changed)}${warningsText(changed.warnings)}`);
      }),
    );

  goal
    .command("drop")
    .description("drop a goal, saying why")
    .argument("<id>", "goal id")
    .option("--reason <text>", "why it is dropped (required)")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const dropped = await s.backend.dropGoal(idArg(id, "Goal id"), o.reason);
        output(s, dropped, () => `Dropped goal ${goalLine(dropped)}`);
      }),
    );

  goal
    .command("complete")
    .description("mark a goal done; the reason, if given, is kept in its history")
    .argument("<id>", "goal id")
    .option("--reason <text>", "what finished it, e.g. 'hit 2,000 subscribers'")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const done = await s.backend.updateGoal(idArg(id, "Goal id"), { status: "done", reason: o.reason });
        output(s, done, () => `Completed goal ${goalLine(done)}`);
      }),
    );

  goal
    .command("archive")
    .description("archive a done or dropped goal: out of the list, still counted in every report")
    .argument("<id>", "goal id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const archived = await s.backend.updateGoal(idArg(id, "Goal id"), { archived: true });
        output(s, archived, () => `Archived goal ${goalLine(archived)}`);
      }),
    );

  goal
    .command("unarchive")
    .description("take a goal out of the archive, back into the list")
    .argument("<id>", "goal id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const back = await s.backend.updateGoal(idArg(id, "Goal id"), { archived: false });
        output(s, back, () => `Took goal ${goalLine(back)} out of the archive`);
      }),
    );

  goal
    .command("history")
    .description("the goal's changes with their reasons")
    .argument("<id>", "goal id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const changes = await s.backend.history(idArg(id, "Goal id"));
        output(s, changes, () => (changes.length ? changes.map(changeLine).join("\n") : "No changes yet."));
      }),
    );
}
