/**
 * Markdown export: each plan as a readable page section — the goal and its why, key results with
 * progress, steps as a checklist, resources, obstacles with their Plan B, and check-ins.
 */
import type { ExportedPlan, PlanExport } from "../../app/exports/exports.js";

/** Escapes the characters that would turn text into Markdown syntax, and keeps it on one line. */
export function mdText(s: string): string {
  return s
    .replace(/\s+/g, " ")
    .trim()
    .replace(/([\\`*_[\]<>|#])/g, "\\$1");
}

function progress(start: number, target: number, current: number): number {
  const span = target - start;
  return span === 0 ? 100 : Math.round(Math.max(0, Math.min(1, (current - start) / span)) * 100);
}

function planSection(p: ExportedPlan): string[] {
  const g = p.goal;
  const out = [`## ${mdText(g.title)}`, ""];
  out.push(`**Why:** ${g.why ? mdText(g.why) : "_(no why yet)_"}  `);
  if (g.values.length) out.push(`**Values:** ${g.values.map(mdText).join(", ")}  `);
  const dates = [`start ${g.startDate}`, g.dueDate ? `due ${g.dueDate}` : "no due date"];
  out.push(
    `**Status:** ${g.status} · **Priority:** ${g.priority} · ${dates.join(" · ")} · check in every ${g.cadenceDays} days${p.ownerName ? ` · **Owner:** ${mdText(p.ownerName)}` : ""}`,
  );
  if (g.successLooksLike) out.push("", `**Done looks like:** ${mdText(g.successLooksLike)}`);
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push("", `### ${title}`, "", ...lines);
  };
  section(
    "Key results",
    p.keyResults.map((k) => {
      const unit = k.unit ? ` ${mdText(k.unit)}` : "";
      return `- ${mdText(k.title)}: ${k.currentValue}${unit} (from ${k.startValue} to ${k.targetValue}${unit}, ${progress(k.startValue, k.targetValue, k.currentValue)}%)`;
    }),
  );
  section(
    "Steps",
    p.steps.flatMap((s) => {
      const box = s.status === "done" ? "[x]" : "[ ]";
      const text = s.status === "dropped" ? `~~${mdText(s.text)}~~ (dropped)` : mdText(s.text);
      const extra = [
        s.dueDate ? `by ${s.dueDate}` : "",
        s.status === "doing" ? "in progress" : "",
        s.estimateMinutes ? `~${s.estimateMinutes} min` : "",
        s.tags.length ? s.tags.map((t) => `#${mdText(t)}`).join(" ") : "",
      ].filter(Boolean);
      const line = `- ${box} ${text}${extra.length ? ` — ${extra.join(" · ")}` : ""}`;
      const notes = s.notes
        ? s.notes
            .split(/\r?\n/)
            .filter((l) => l.trim() !== "")
            .map((l) => `  > ${mdText(l)}`)
        : [];
      return [line, ...notes];
    }),
  );
  section(
    "Resources",
    p.resources.map((r) => `- ${mdText(r.name)} (${r.kind})${r.ask ? `: ask "${mdText(r.ask)}"` : ""}`),
  );
  section(
    "Obstacles and Plan B",
    p.barriers.map(
      (b) =>
        `- **${mdText(b.obstacle)}** (${b.likelihood} likelihood, ${b.status}) — Plan B: ${mdText(b.planB)}`,
    ),
  );
  section(
    "Check-ins",
    p.checkins.map((c) => {
      const parts = [c.date];
      if (c.confidence) parts.push(c.confidence);
      if (c.doneText) parts.push(`done: ${mdText(c.doneText)}`);
      if (c.nextStep) parts.push(`next: ${mdText(c.nextStep)}`);
      if (c.note) parts.push(mdText(c.note));
      return `- ${parts.join(" · ")}`;
    }),
  );
  return out;
}

/**
 * Every plan as one Markdown document.
 * @example
 * plansToMarkdown({ exportedAt: "2026-11-21T10:00:00.000Z", today: "2026-11-21", plans: [] })
 * // "# Plans\n\nExported 2026-11-21. No goals yet.\n"
 */
export function plansToMarkdown(data: PlanExport): string {
  const out = ["# Plans", ""];
  out.push(
    `Exported ${data.today}. ${data.plans.length === 0 ? "No goals yet." : `${data.plans.length} goal${data.plans.length === 1 ? "" : "s"}.`}`,
  );
  for (const p of data.plans) out.push("", ...planSection(p));
  return `${out.join("\n")}\n`;
}
