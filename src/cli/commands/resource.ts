/** `throughline resource add|edit|remove` and `throughline barrier add|edit|remove`. */
import type { Command } from "commander";
import type { Backend } from "../backend/backend.js";
import { idArg, output, withBackend } from "../context.js";
import { barrierLine, resourceLine } from "../format.js";

/** Registers `remove <id> --reason`, the same for resources and barriers. */
function registerRemove<T>(
  parent: Command,
  what: "resource" | "barrier",
  remove: (backend: Backend, id: number, reason: string | undefined) => Promise<T>,
  line: (removed: T) => string,
): void {
  parent
    .command("remove")
    .description(`take a ${what} out of the plan, saying why (its goal's history keeps it)`)
    .argument("<id>", `${what} id`)
    .option("--reason <text>", "why it is removed (required)")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const removed = await remove(
          s.backend,
          idArg(id, `${what === "resource" ? "Resource" : "Barrier"} id`),
          o.reason,
        );
        output(s, removed, () => `Removed ${what} ${line(removed)}`);
      }),
    );
}

/** Registers `resource add`, `resource edit` and `resource remove`. */
export function registerResourceCommand(program: Command): void {
  const resource = program.command("resource").description("people, tools and systems that help");
  resource
    .command("add")
    .description("add a resource to a goal")
    .argument("<goalId>", "goal id")
    .argument("<name>", "who or what")
    .requiredOption("--kind <kind>", "person, tool, system, playbook or other")
    .option("--ask <text>", "what to ask of them")
    .action(async (goalId: string, name: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const created = await s.backend.addResource(idArg(goalId, "Goal id"), {
          name,
          kind: o.kind,
          ask: o.ask,
        });
        output(s, created, () => `Added resource ${resourceLine(created)}`);
      }),
    );

  resource
    .command("edit")
    .description("change a resource (its goal's history keeps each change)")
    .argument("<id>", "resource id")
    .option("--name <text>", "who or what")
    .option("--kind <kind>", "person, tool, system, playbook or other")
    .option("--ask <text>", "what to ask of them")
    .option("--reason <text>", "why this changes")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const changed = await s.backend.updateResource(idArg(id, "Resource id"), {
          name: o.name,
          kind: o.kind,
          ask: o.ask,
          reason: o.reason,
        });
        output(s, changed, () => `Changed resource ${resourceLine(changed)}`);
      }),
    );

  registerRemove(resource, "resource", (b, id, reason) => b.removeResource(id, reason), resourceLine);
}

/** Registers `barrier add`, `barrier edit` and `barrier remove`. */
export function registerBarrierCommand(program: Command): void {
  const barrier = program.command("barrier").description("likely obstacles, each with a Plan B");
  barrier
    .command("add")
    .description("add an obstacle with its Plan B (an if-then)")
    .argument("<goalId>", "goal id")
    .argument("<obstacle>", "what could get in the way")
    .requiredOption("--plan-b <if-then>", "If <obstacle happens>, then I <do this>")
    .option("--likelihood <level>", "low, medium or high", "medium")
    .action(async (goalId: string, obstacle: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const created = await s.backend.addBarrier(idArg(goalId, "Goal id"), {
          obstacle,
          planB: o.planB,
          likelihood: o.likelihood,
        });
        output(s, created, () => `Added barrier ${barrierLine(created)}`);
      }),
    );

  barrier
    .command("edit")
    .description(
      "change an obstacle, its Plan B, likelihood or status (its goal's history keeps each change)",
    )
    .argument("<id>", "barrier id")
    .option("--obstacle <text>", "what could get in the way")
    .option("--plan-b <if-then>", "If <obstacle happens>, then I <do this>")
    .option("--likelihood <level>", "low, medium or high")
    .option("--status <status>", "anticipated, hit or resolved")
    .option("--reason <text>", "why this changes")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const changed = await s.backend.updateBarrier(idArg(id, "Barrier id"), {
          obstacle: o.obstacle,
          planB: o.planB,
          likelihood: o.likelihood,
          status: o.status,
          reason: o.reason,
        });
        output(s, changed, () => `Changed barrier ${barrierLine(changed)}`);
      }),
    );

  registerRemove(barrier, "barrier", (b, id, reason) => b.removeBarrier(id, reason), barrierLine);
}
