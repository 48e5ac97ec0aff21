/**
 * What a team's Slack or Teams channel is told about an event it hears of (a goal that stalled, a
 * commitment kept or missed), worded by src/app/delivery/messages.ts with the names and titles the
 * team may read. The channels' own formats are src/integrations/slack.ts and teams.ts.
 */
import type { Kysely } from "kysely";
import { commitmentWithMakerName } from "../../store/repos/commitments.js";
import { findUser } from "../../store/repos/people.js";
import { findStep, goalHeader } from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import * as say from "../delivery/messages.js";

/**
 * A message for a team's channel. Text is plain; each channel escapes it for its own markup.
 * The scheduler builds these for team-level nudges (stalled goals, weekly digest, obstacles).
 */
export interface ChannelNotice extends Omit<say.Message, "lines"> {
  /** What it is about, e.g. "goal.stalled", "digest.weekly", "obstacle.hit". */
  type: string;
  /** A link into Throughline. */
  link?: { label: string; url: string };
  /**
   * The one line a phone shows first: who did what on which goal (or step), and why. Slack links
   * `target` to `link.url`; Teams shows the line above its "Open in Throughline" button.
   */
  line?: { lead: string; target: string; why?: string };
}

/** The label of the link a channel message carries. */
export const OPEN_LABEL = "Open in Throughline";

/** The address of a goal (or one of its steps) under PUBLIC_URL. */
export function goalUrl(publicUrl: string, goalId: number, stepId?: number): string {
  const base = publicUrl.replace(/\/+$/, "");
  return `${base}/goals/${goalId}${stepId === undefined ? "" : `#step-${stepId}`}`;
}

/** A line of text cut to `max` characters, so a phone shows it whole. */
function short(text: string, max = 120): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** The events a team's Slack or Teams channel hears about (besides the scheduler's notices). */
export const CHANNEL_EVENTS = [
  "goal.stalled",
  "commitment.kept",
  "commitment.missed",
  // Channels also hear check-ins, steps done, goal changes (those connected
  // before with the old list were given these by migration 0024; a later change needs its own)
  "checkin.created",
  "step.done",
  "goal.changed",
] as const;

/** What a channel needs to word an event beyond the event itself. */
export interface NoticeOptions {
  /** Who did it (the event's actor), when known. */
  actorId?: number | null;
  /** PUBLIC_URL: where links point (no trailing slash needed). */
  publicUrl?: string;
}

/** The channel message for an event about a goal of the team. */
export async function channelNotice(
  db: Kysely<Database>,
  e: {
    type: string;
    workspaceId?: number;
    subject: { type: string; id: number };
    payload: Record<string, unknown>;
  },
  goalId: number,
  options: NoticeOptions = {},
): Promise<ChannelNotice> {
  const goal = await goalHeader(db, goalId);
  const title = goal?.title ?? `Goal ${goalId}`;
  const actor =
    options.actorId != null && e.workspaceId !== undefined
      ? await findUser(db, e.workspaceId, options.actorId)
      : undefined;
  const actorName = actor?.name ?? goal?.ownerName ?? "Someone";
  const step = e.subject.type === "step" ? await findStep(db, e.subject.id) : undefined;
  const link = options.publicUrl
    ? { label: OPEN_LABEL, url: goalUrl(options.publicUrl, goalId, step?.id) }
    : undefined;
  const withLink = (n: ChannelNotice): ChannelNotice => (link ? { ...n, link } : n);
  if (e.type === "goal.stalled") {
    const stall = say.stallOf(
      { title, ownerName: goal?.ownerName ?? "Someone", dueDate: goal?.dueDate ?? null },
      e.payload,
    );
    // Every reader gets the same reasons, whole (src/app/delivery/messages.test.ts).
    const reasons = Array.isArray(e.payload.reasons) ? (e.payload.reasons as string[]) : [];
    const why = say.stallReasons(reasons);
    return withLink({
      type: e.type,
      ...say.goalStalled(stall, "team"),
      line: {
        lead: `${goal?.ownerName ?? "Someone"}'s goal stalled:`,
        target: title,
        ...(why ? { why } : {}),
      },
    });
  }
  if (e.type === "checkin.created") {
    const confidence = typeof e.payload.confidence === "string" ? e.payload.confidence : "";
    const hit = Array.isArray(e.payload.barriersHit) ? e.payload.barriersHit.length : 0;
    const why = [confidence.replace(/-/g, " "), hit > 0 ? `${hit} obstacle${hit === 1 ? "" : "s"} hit` : ""]
      .filter(Boolean)
      .join(", ");
    return withLink({
      type: e.type,
      title: `${actorName} checked in`,
      text: `${actorName} checked in on “${title}”${why ? `: ${why}` : ""}.`,
      line: { lead: `${actorName} checked in on`, target: title, ...(why ? { why } : {}) },
    });
  }
  if (e.type === "step.done") {
    const stepTitle = step?.text ?? "a step";
    return withLink({
      type: e.type,
      title: `${actorName} finished a step`,
      text: `${actorName} finished “${stepTitle}” of “${title}”.`,
      line: {
        lead: `${actorName} finished`,
        target: short(stepTitle, 80),
        why: `a step of “${short(title, 60)}”`,
      },
    });
  }
  if (e.type === "goal.changed") {
    const changes = Array.isArray(e.payload.changes) ? (e.payload.changes as { field?: unknown }[]) : [];
    const fields = changes.map((c) => String(c.field ?? "")).filter(Boolean);
    const reason =
      typeof e.payload.reason === "string" && e.payload.reason.trim() ? e.payload.reason.trim() : "";
    const what = fields.length ? `changed ${fields.map(fieldWord).join(", ")} of` : "changed";
    return withLink({
      type: e.type,
      title: `${actorName} changed a goal`,
      text: `${actorName} ${what} “${title}”${reason ? ` because ${reason}` : ""}.`,
      line: { lead: `${actorName} ${what}`, target: title, ...(reason ? { why: short(reason) } : {}) },
    });
  }
  const who = e.subject.type === "commitment" ? await commitmentWithMakerName(db, e.subject.id) : undefined;
  const kept = e.type === "commitment.kept";
  const text = typeof e.payload.text === "string" ? e.payload.text : (who?.text ?? "");
  const message = say.commitmentResolved({
    kept,
    name: who?.name ?? "Someone",
    text,
    goalTitle: title,
    dueDate: who?.dueDate ?? null,
  });
  return withLink({
    type: e.type,
    ...message,
    line: {
      lead: `${who?.name ?? "Someone"} ${kept ? "kept" : "missed"} a commitment on`,
      target: title,
      ...(text ? { why: short(`“${text}”`) } : {}),
    },
  });
}

const FIELD_WORDS: Record<string, string> = {
  dueDate: "the due date",
  priority: "the priority",
  status: "the status",
  title: "the title",
  ownerId: "the owner",
  archived: "the archive state",
};

function fieldWord(field: string): string {
  return FIELD_WORDS[field] ?? field;
}
