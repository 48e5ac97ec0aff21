/**
 * Slack incoming webhooks: a notice as a Block Kit message (header, section with fields, context).
 * Pure; src/integrations/webhooks.ts sends it.
 */
import type { ChannelNotice } from "../app/webhooks/channels.js";

/** A Block Kit text object. */
type Text = { type: "plain_text"; text: string; emoji?: boolean } | { type: "mrkdwn"; text: string };

/** A Block Kit block (the kinds a notice uses). */
export type SlackBlock =
  | { type: "header"; text: Text }
  | { type: "section"; text: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] };

/** The body Slack's incoming webhook takes: fallback text for notifications, and the blocks. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` (so nobody's goal title can become a link or an
 * @channel mention), as Slack's formatting guide asks.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Builds the Block Kit message for a notice (Slack's limits: header 150, section 3000, 10 fields). */
export function slackMessage(notice: ChannelNotice): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: cut(notice.title, 150), emoji: true } },
  ];
  const section: SlackBlock = {
    type: "section",
    text: { type: "mrkdwn", text: cut(escapeMrkdwn(notice.text), 3000) },
  };
  const facts = (notice.facts ?? []).slice(0, 10);
  if (facts.length > 0) {
    section.fields = facts.map((f) => ({
      type: "mrkdwn",
      text: cut(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000),
    }));
  }
  blocks.push(section);
  const small: Text[] = [];
  if (notice.context) small.push({ type: "mrkdwn", text: cut(escapeMrkdwn(notice.context), 2000) });
  if (notice.link) {
    const url = notice.link.url.replace(/[<>|]/g, encodeURIComponent);
    small.push({ type: "mrkdwn", text: `<${url}|${escapeMrkdwn(notice.link.label)}>` });
  }
  if (small.length > 0) blocks.push({ type: "context", elements: small });
  // The one line a phone's notification shows, linking to the goal or step
  const text = notice.line ? slackLine(notice) : `${notice.title}: ${notice.text}`;
  if (notice.line && notice.link) {
    blocks.splice(1, 0, { type: "section", text: { type: "mrkdwn", text: cut(text, 3000) } });
  }
  return { text: cut(text, 3000), blocks };
}

/** "<who did what on> <url|target> — <why>": the notice's line in mrkdwn, the target linked. */
export function slackLine(notice: ChannelNotice): string {
  const line = notice.line as NonNullable<ChannelNotice["line"]>;
  const target = escapeMrkdwn(line.target);
  const linked = notice.link
    ? `<${notice.link.url.replace(/[<>|]/g, encodeURIComponent)}|${target}>`
    : `*${target}*`;
  return `${escapeMrkdwn(line.lead)} ${linked}${line.why ? ` — ${escapeMrkdwn(line.why)}` : ""}`;
}
