/** The wins feed: steps done, streaks, milestones passed, buffer gained. */
import type { WinsFeed } from "../api/client.js";
import { shortDay } from "../lib/dates.js";

const ICON: Record<string, string> = {
  "step-done": "✓",
  streak: "↗",
  milestone: "◆",
  "buffer-gained": "+",
};

/** A list of wins, newest first. */
export function WinsList({ items }: { items: WinsFeed["items"] }) {
  return (
    <ul className="wins">
      {items.map((w) => (
        <li key={`${w.type}-${w.goalId}-${w.date}-${w.text}`}>
          <span className="win-icon" aria-hidden="true">
            {ICON[w.type] ?? "•"}
          </span>
          <span>
            {w.text} <span className="muted small">· {shortDay(w.date)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
