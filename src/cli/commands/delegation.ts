/** `throughline delegate` and `throughline delegation ...`: hand a step over, and answer a hand-over. */
import type { Command } from "commander";
import { dateOption, idArg, output, withBackend } from "../context.js";
import { delegationLine } from "../format.js";

/** Registers `delegate` and `delegation list|accept|clarify|answer`. */
export function registerDelegationCommand(program: Command): void {
  program
    .command("delegate")
    .description("hand a step to someone: what done looks like, by when, why; the how is theirs")
    .argument("<stepId>", "step id")
    .requiredOption("--to <who>", "who takes it on (an email, a name or an id)")
    .requiredOption("--done-looks-like <text>", "how both of you will know it is done")
    .requiredOption("--by <date>", "by when (YYYY-MM-DD or words like 'next Friday')")
    .option("--why <text>", "why it matters (default: the goal's why)")
    .option("--cadence <days>", "how often to check in, in days (default 7)")
    .action(async (stepId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const assignee = await s.backend.resolvePerson(o.to);
        const asked = await s.backend.delegateStep(idArg(stepId, "Step id"), {
          assigneeId: assignee.id,
          doneLooksLike: o.doneLooksLike,
          dueDate: await dateOption(s, o.by, "--by"),
          why: o.why,
          cadenceDays: o.cadence === undefined ? undefined : Number(o.cadence),
        });
        output(s, asked, () => `Asked ${assignee.name}: ${delegationLine(asked)}`);
      }),
    );

  const delegation = program.command("delegation").description("delegations you gave or received");

  delegation
    .command("list")
    .description("delegations you gave or received")
    .action(async (_o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const items = await s.backend.listDelegations();
        output(s, items, () => (items.length ? items.map(delegationLine).join("\n") : "No delegations."));
      }),
    );

  delegation
    .command("accept")
    .description("take on what you were asked to do (the assignee)")
    .argument("<id>", "delegation id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const accepted = await s.backend.acceptDelegation(idArg(id, "Delegation id"));
        output(s, accepted, () => `Accepted ${delegationLine(accepted)}`);
      }),
    );

  delegation
    .command("clarify")
    .description("ask the person who delegated a question (the assignee)")
    .argument("<id>", "delegation id")
    .argument("<question>", "what is unclear")
    .action(async (id: string, question: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const asked = await s.backend.askClarification(idArg(id, "Delegation id"), question);
        output(s, asked, () => `Asked ${delegationLine(asked)}`);
      }),
    );

  delegation
    .command("answer")
    .description("answer the assignee's question (the person who delegated)")
    .argument("<id>", "delegation id")
    .argument("<answer>", "the answer")
    .action(async (id: string, answer: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const answered = await s.backend.answerClarification(idArg(id, "Delegation id"), answer);
        output(s, answered, () => `Answered ${delegationLine(answered)}`);
      }),
    );
}
