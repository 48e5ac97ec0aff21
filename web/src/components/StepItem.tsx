/** One step in a list: a done checkbox-button, the text, its due day and goal. */
import { useState } from "react";
import { Link } from "react-router";
import type { ApiError } from "../api/client.js";
import { api, type Step } from "../api/client.js";
import { shortDay, todayIso } from "../lib/dates.js";
import { asApiError } from "../lib/useLoad.js";
import { errorSentence } from "./States.js";

/** A step with a "mark done" button; calls `onChanged` after a change. */
export function StepItem({
  step,
  goalTitle,
  onChanged,
}: {
  step: Step;
  goalTitle?: string;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const done = step.status === "done";
  const overdue = !done && step.dueDate !== null && step.dueDate < todayIso();

  async function markDone() {
    setBusy(true);
    setError(null);
    try {
      await api.steps.done(step.id);
      onChanged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={`step${done ? " step-done" : ""}`}>
      <div className="step-main">
        <span className="step-text">{step.text}</span>
        <span className="step-meta">
          {step.dueDate ? (
            <span className={overdue ? "tag tag-warn" : "tag"}>
              {overdue ? "Overdue · " : "By "}
              {shortDay(step.dueDate)}
            </span>
          ) : null}
          {step.estimateMinutes ? <span className="tag">{step.estimateMinutes} min</span> : null}
          {goalTitle ? (
            <Link className="small" to={`/goals/${step.goalId}`}>
              {goalTitle}
            </Link>
          ) : null}
        </span>
        {error ? (
          <span className="inline-error" role="alert">
            {errorSentence(error)}
          </span>
        ) : null}
      </div>
      {done ? (
        <span className="tag tag-good">Done</span>
      ) : (
        <button
          type="button"
          className="button secondary small"
          onClick={() => void markDone()}
          disabled={busy}
          aria-label={`Mark done: ${step.text}`}
        >
          {busy ? "Saving…" : "Done"}
        </button>
      )}
    </li>
  );
}
