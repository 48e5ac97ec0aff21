/**
 * Microsoft Teams Workflows webhooks ("Post to a channel when a webhook request is received"): a
 * notice as a message with one Adaptive Card 1.5 attachment. Pure; src/integrations/webhooks.ts
 * sends it.
 */
import type { ChannelNotice } from "../app/webhooks/channels.js";

/** An Adaptive Card element (the kinds a notice uses). */
export type CardElement =
  | {
      type: "TextBlock";
      text: string;
      wrap: true;
      weight?: "Bolder";
      size?: "Small" | "Medium" | "Large";
      style?: "heading";
      isSubtle?: boolean;
    }
  | { type: "FactSet"; facts: { title: string; value: string }[] };

/** The body a Teams Workflows webhook takes. */
export interface TeamsMessage {
  type: "message";
  attachments: {
    contentType: "application/vnd.microsoft.card.adaptive";
    contentUrl: null;
    content: {
      $schema: string;
      type: "AdaptiveCard";
      version: "1.5";
      body: CardElement[];
      actions?: { type: "Action.OpenUrl"; title: string; url: string }[];
    };
  }[];
}

/**
 * Escapes the Markdown a TextBlock understands (emphasis and links) with backslashes, so a goal
 * title shows as written and cannot become a link.
 */
export function escapeCardMarkdown(text: string): string {
  return text.replace(/[\\*_[\]]/g, (c) => `\\${c}`);
}

/** Builds the Workflows webhook body with an Adaptive Card for a notice. */
export function teamsMessage(notice: ChannelNotice): TeamsMessage {
  const body: CardElement[] = [
    {
      type: "TextBlock",
      text: escapeCardMarkdown(notice.title),
      wrap: true,
      weight: "Bolder",
      size: "Medium",
      style: "heading",
    },
    // Who did what on which goal, and why, in one line above the details
    ...(notice.line
      ? [
          {
            type: "TextBlock" as const,
            text: escapeCardMarkdown(
              `${notice.line.lead} ${notice.line.target}${notice.line.why ? ` — ${notice.line.why}` : ""}`,
            ),
            wrap: true as const,
            weight: "Bolder" as const,
          },
        ]
      : []),
    { type: "TextBlock", text: escapeCardMarkdown(notice.text), wrap: true },
  ];
  const facts = notice.facts ?? [];
  if (facts.length > 0) {
    body.push({
      type: "FactSet",
      facts: facts.map((f) => ({ title: escapeCardMarkdown(f.label), value: escapeCardMarkdown(f.value) })),
    });
  }
  if (notice.context) {
    body.push({
      type: "TextBlock",
      text: escapeCardMarkdown(notice.context),
      wrap: true,
      isSubtle: true,
      size: "Small",
    });
  }
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.5",
          body,
          ...(notice.link
            ? {
                actions: [
                  { type: "Action.OpenUrl" as const, title: notice.link.label, url: notice.link.url },
                ],
              }
            : {}),
        },
      },
    ],
  };
}
