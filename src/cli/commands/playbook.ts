/**
 * `throughline playbook ...`: list, show, add, edit, history, save (a goal's plan as a playbook) and
 * use (start a goal from one), on the local database or against a server.
 */
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { PlaybookTemplate, RenderedPlaybook } from "../../app/playbooks/playbooks.js";
import { dateOption, idArg, output, withBackend } from "../context.js";
import { goalLine, warningsText } from "../format.js";

/** The largest Markdown file `add` and `edit` read: the server takes at most 200,000 characters. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a playbook's Markdown from a file, or from stdin when the file is "-". */
function readBody(file: string): string {
  if (file === "-") return readFileSync(0, "utf8");
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new AppError(400, "not_a_file", `${file} is not a file. Name a Markdown file.`);
    if (st.size > MAX_BODY_BYTES) {
      throw new AppError(
        413,
        "playbook_too_large",
        `${file} is larger than a playbook can be (200,000 characters). Split it into several playbooks.`,
      );
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(400, "file_not_found", `No file ${file}. Check the path, or give - to read stdin.`);
  }
  return readFileSync(file, "utf8");
}

/** A --team option: a team id. */
function teamOption(value: string | undefined): number | undefined {
  return value === undefined ? undefined : idArg(value, "--team");
}

/** The API names the field; the command line names its flag. */
async function withTeamFlag<T>(team: number | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === "team_not_found") {
      throw new AppError(
        e.status,
        e.code,
        `No team with id ${team}. Check --team (leave it out for a playbook of your own).`,
      );
    }
    throw e;
  }
}

const VISIBILITY = ["private", "team", "workspace"] as const;

/** A --visibility option, or a sentence naming the choices. */
function visibilityOption(value: string | undefined): (typeof VISIBILITY)[number] | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if ((VISIBILITY as readonly string[]).includes(v)) return v as (typeof VISIBILITY)[number];
  throw new AppError(
    400,
    "invalid_visibility",
    `--visibility '${value}' is not one of ${VISIBILITY.join(", ")}. Leave it out for a private goal.`,
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a plan started from the playbook gets, counted in one phrase. */
function templateCounts(t: PlaybookTemplate): string {
  const linked = t.steps.filter((s) => s.keyResult !== null).length;
  const steps = `${plural(t.steps.length, "step")}${linked ? ` (${linked} serving a key result)` : ""}`;
  return `${plural(t.keyResults.length, "key result")}, ${steps}, ${plural(t.barriers.length, "Plan B")}`;
}

/** One line for a playbook. */
function playbookLine(p: {
  id: number;
  title: string;
  version: number;
  updatedAt: string;
  teamId: number | null;
}) {
  const team = p.teamId === null ? "" : `, team #${p.teamId}`;
  return `#${p.id} ${p.title} (version ${p.version}, updated ${p.updatedAt.slice(0, 10)}${team})`;
}

/** A playbook as a person reads it before using it: what a plan started from it gets. */
export function playbookText(p: RenderedPlaybook): string {
  const t = p.template;
  const lines = [playbookLine(p), `  A plan started from it gets ${templateCounts(t)}.`];
  const kr = (n: number) => {
    const k = t.keyResults[n - 1];
    return k ? `KR ${n} ${k.title}` : `KR ${n}`;
  };
  if (t.keyResults.length) {
    lines.push("  Key results:");
    t.keyResults.forEach((k, i) => {
      const unit = k.unit ? ` ${k.unit}` : "";
      lines.push(`    ${i + 1}. ${k.title}: from ${k.startValue} to ${k.targetValue}${unit}`);
    });
  }
  if (t.steps.length) {
    lines.push("  Steps:");
    for (const s of t.steps)
      lines.push(`    [ ] ${s.text}${s.keyResult === null ? "" : `  → ${kr(s.keyResult)}`}`);
  }
  if (t.barriers.length) {
    lines.push("  Plan B:");
    for (const b of t.barriers) lines.push(`    ${b.planB}`);
  }
  if (t.notes.length) {
    lines.push("  Notes:");
    for (const n of t.notes) lines.push(`    ${n.message}`);
  }
  if (!t.steps.length && !t.keyResults.length && !t.barriers.length) {
    lines.push(
      '  (Nothing to start a plan from: write steps as "- [ ] …" items, key results under "## Key results", if-then lines under "## Plan B".)',
    );
  }
  lines.push(`  Read it whole: throughline playbook show ${p.id} --markdown`);
  lines.push(`  Start a goal from it: throughline playbook use ${p.id} --due YYYY-MM-DD`);
  return lines.join("\n");
}

/** Registers the playbook commands. */
export function registerPlaybookCommand(program: Command): void {
  const playbook = program
    .command("playbook")
    .description("shared how-to documents: save a plan as one, start a goal from one");

  playbook
    .command("list")
    .description("list the workspace's playbooks")
    .action(async (_o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const items = await s.backend.listPlaybooks();
        output(s, items, () =>
          items.length
            ? items.map(playbookLine).join("\n")
            : "No playbooks yet. Save a goal's plan as one: throughline playbook save GOAL_ID",
        );
      }),
    );

  playbook
    .command("show")
    .description("show a playbook: its key results, steps (with the key result each serves) and Plan Bs")
    .argument("<id>", "playbook id")
    .option("--markdown", "print the playbook's Markdown as written")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const p = await s.backend.playbook(idArg(id, "Playbook id"));
        output(s, p, () => (o.markdown ? p.body.replace(/\n+$/, "") : playbookText(p)));
      }),
    );

  playbook
    .command("add")
    .description("write a new playbook from a Markdown file")
    .argument("<title>", "the playbook's title")
    .requiredOption("--file <path>", "the Markdown file, or - to read stdin")
    .option("--team <id>", "the team it belongs to (its members may edit it)")
    .action(async (title: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const body = readBody(o.file);
        const teamId = teamOption(o.team);
        const p = await withTeamFlag(teamId, () => s.backend.createPlaybook({ title, body, teamId }));
        output(
          s,
          p,
          () => `Added playbook ${playbookLine(p)}: ${templateCounts(p.template)}.${notesText(p)}`,
        );
      }),
    );

  playbook
    .command("edit")
    .description("save a new version of a playbook (the old one stays in its history)")
    .argument("<id>", "playbook id")
    .option("--file <path>", "the new Markdown, from a file or - for stdin")
    .option("--title <text>", "a new title")
    .option("--note <text>", "what changed and why, kept in the history")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const playbookId = idArg(id, "Playbook id");
        if (o.file === undefined && o.title === undefined) {
          throw new AppError(
            400,
            "nothing_to_change",
            `Nothing to change: give --file NEW.md (or - for stdin) and/or --title "…". Print the current text with: throughline playbook show ${playbookId} --markdown`,
          );
        }
        const body = o.file === undefined ? (await s.backend.playbook(playbookId)).body : readBody(o.file);
        const p = await s.backend.updatePlaybook(playbookId, { title: o.title, body, note: o.note });
        output(
          s,
          p,
          () => `Saved playbook ${playbookLine(p)}: ${templateCounts(p.template)}.${notesText(p)}`,
        );
      }),
    );

  playbook
    .command("history")
    .description("every version of a playbook: who saved it, when, and their note")
    .argument("<id>", "playbook id")
    .action(async (id: string, _o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const versions = await s.backend.playbookHistory(idArg(id, "Playbook id"));
        output(s, versions, () =>
          versions
            .map(
              (v) =>
                `v${v.version} ${v.createdAt.slice(0, 10)} by ${v.authorName}${v.note ? `: ${v.note}` : ""}`,
            )
            .join("\n"),
        );
      }),
    );

  playbook
    .command("save")
    .description("save a goal's plan as a new playbook: key results, steps with their key result, Plan Bs")
    .argument("<goalId>", "the goal whose plan to save")
    .option("--title <text>", "the playbook's title (default: the goal's)")
    .option("--team <id>", "the team it belongs to (its members may edit it)")
    .action(async (goalId: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const id = idArg(goalId, "Goal id");
        const teamId = teamOption(o.team);
        const p = await withTeamFlag(teamId, () =>
          s.backend.savePlanAsPlaybook(id, { title: o.title, teamId }),
        );
        output(
          s,
          p,
          () =>
            `Saved goal #${id} as playbook ${playbookLine(p)}: ${templateCounts(p.template)}.\n  Start a goal from it: throughline playbook use ${p.id} --due YYYY-MM-DD`,
        );
      }),
    );

  playbook
    .command("use")
    .description("start a new goal from a playbook: its key results, steps and Plan Bs")
    .argument("<id>", "playbook id")
    .option("--title <text>", "the goal's title (default: the playbook's)")
    .option("--due <date>", "the goal's due date (YYYY-MM-DD or words like 'end of March')")
    .option("--visibility <who>", "private (default), team or workspace")
    .action(async (id: string, o, cmd: Command) =>
      withBackend(cmd, async (s) => {
        const playbookId = idArg(id, "Playbook id");
        const plan = await s.backend.startPlanFromPlaybook(playbookId, {
          title: o.title,
          dueDate: await dateOption(s, o.due, "Due date"),
          visibility: visibilityOption(o.visibility),
        });
        const linked = plan.steps.filter((st) => st.keyResultId != null).length;
        output(
          s,
          plan,
          () =>
            `Started goal ${goalLine(plan.goal)} from playbook #${playbookId}: ${plural(plan.keyResults.length, "key result")}, ${plural(plan.steps.length, "step")}${linked ? ` (${linked} serving a key result)` : ""}, ${plural(plan.barriers.length, "Plan B")}.${warningsText(plan.warnings)}\n  See it: throughline goal show ${plan.goal.id}`,
        );
      }),
    );
}

/** The template's notes after a save, one per line (empty when none). */
function notesText(p: RenderedPlaybook): string {
  return p.template.notes.length ? `\n${p.template.notes.map((n) => `  note: ${n.message}`).join("\n")}` : "";
}
