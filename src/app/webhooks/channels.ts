/**
 * What a team's Slack or Teams channel is told about an event it hears of (a goal that stalled, a
 * commitment kept or missed), worded by src/app/delivery/messages.ts with the names and titles the
 * team may read. The channels' own formats are src/integrations/slack.ts and teams.ts.
 */
import type { Kysely } from "kysely";
import { commitmentWithMakerName } from "../../store/repos/commitments.js";
import { goalHeader } from "../../store/repos/plans.js";
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
}

/** The events a team's Slack or Teams channel hears about (besides the scheduler's notices). */
export const CHANNEL_EVENTS = ["goal.stalled", "commitment.kept", "commitment.missed"] as const;

/** The channel message for an event about a goal of the team. */
export async function channelNotice(
  db: Kysely<Database>,
  e: { type: string; subject: { type: string; id: number }; payload: Record<string, unknown> },
  goalId: number,
): Promise<ChannelNotice> {
  const goal = await goalHeader(db, goalId);
  const title = goal?.title ?? `Goal ${goalId}`;
  if (e.type === "goal.stalled") {
    const stall = say.stallOf(
      { title, ownerName: goal?.ownerName ?? "Someone", dueDate: goal?.dueDate ?? null },
      e.payload,
    );
    return { type: e.type, ...say.goalStalled(stall, "team") };
  }
  const who = e.subject.type === "commitment" ? await commitmentWithMakerName(db, e.subject.id) : undefined;
  const message = say.commitmentResolved({
    kept: e.type === "commitment.kept",
    name: who?.name ?? "Someone",
    text: typeof e.payload.text === "string" ? e.payload.text : (who?.text ?? ""),
    goalTitle: title,
    dueDate: who?.dueDate ?? null,
  });
  return { type: e.type, ...message };
}
