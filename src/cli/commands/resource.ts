/** `throughline resource add` and `throughline barrier add`. */
import type { Command } from "commander";
import { idArg, output, withBackend } from "../context.js";
import { barrierLine, resourceLine } from "../format.js";

/** Registers `resource add`. */
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
}

/** Registers `barrier add`. */
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
}
