/**
 * Micro-goal mode, one component for the goal page and My week: the one step the mode shows with
 * a one-click "Done", or — when the goal has no step small enough — a field to write that step.
 * When a step done takes the goal out of the mode, it is celebrated ("Back on track").
 */
import { type FormEvent, useId, useState, useSyncExternalStore } from "react";
import { Link } from "react-router";
import { type ApiError, api, type Step } from "../api/client.js";
import { asApiError } from "../lib/useLoad.js";
import { ErrorNotice } from "./States.js";

/** Goals that just left micro-goal mode, to celebrate until dismissed (kept across a reload of the page's data). */
let wins: { goalId: number; title: string }[] = [];
const listeners = new Set<() => void>();
function setWins(next: typeof wins) {
  wins = next;
  for (const l of listeners) l();
}
function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The "Back on track" message of goals that just left micro-goal mode (all of them, or one goal's). */
export function BackOnTrack({ goalId }: { goalId?: number }) {
  const all = useSyncExternalStore(subscribe, () => wins);
  const shown = goalId === undefined ? all : all.filter((w) => w.goalId === goalId);
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((w) => (
        <div key={w.goalId} className="back-on-track" role="status">
          <p className="state-title">Back on track</p>
          <p>
            {goalId === undefined ? <Link to={`/goals/${w.goalId}`}>{w.title}</Link> : w.title} is out of
            micro-goal mode: that step broke the stall. Every step shows again.
          </p>
          <button
            type="button"
            className="button link small"
            onClick={() => setWins(wins.filter((x) => x.goalId !== w.goalId))}
          >
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}

/** The one step of a goal in micro-goal mode, or a field to write it. */
export function MicroGoal({
  goalId,
  goalTitle,
  step,
  prompt,
  canComplete,
  canWrite,
  linkGoal = false,
  onChanged,
}: {
  goalId: number;
  goalTitle: string;
  /** The step the mode shows; null when none fits (then `prompt` says what to write). */
  step: Step | null;
  prompt: string | null;
  /** The reader may mark the step done. */
  canComplete: boolean;
  /** The reader may add a step to the goal. */
  canWrite: boolean;
  /** Name the goal as a link (on My week, where several goals show). */
  linkGoal?: boolean;
  onChanged: () => void;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function done(s: Step) {
    setBusy(true);
    setError(null);
    try {
      await api.steps.done(s.id);
      // Did that step end the mode? Asked once, after the click: a win to celebrate.
      const after = await api.goals.status(goalId).catch(() => null);
      if (after && after.mode !== "micro-goal")
        setWins([...wins.filter((w) => w.goalId !== goalId), { goalId, title: goalTitle }]);
      onChanged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function write(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      await api.goals.addStep(goalId, {
        text: String(data.get("text") ?? ""),
        estimateMinutes: Number(data.get("estimate") ?? 30),
        dueDate: String(data.get("due") ?? "") || null,
      });
      form.reset();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="micro-goal" aria-labelledby={`${id}-title`}>
      <p className="eyebrow" id={`${id}-title`}>
        Micro-goal mode{linkGoal ? ": " : ""}
        {linkGoal ? <Link to={`/goals/${goalId}`}>{goalTitle}</Link> : null}
      </p>
      <p className="small">
        This goal stalled, so it shows one small step at a time. Do this one; the next appears when it is
        done.
      </p>
      {step ? (
        <div className="micro-step">
          <p className="micro-step-text">
            <strong>{step.text}</strong>
            {step.estimateMinutes ? (
              <span className="muted small"> · about {step.estimateMinutes} min</span>
            ) : null}
          </p>
          {canComplete ? (
            <button
              type="button"
              className="button primary"
              disabled={busy}
              aria-label={`Done: ${step.text}`}
              onClick={() => void done(step)}
            >
              {busy ? "Saving…" : "Done"}
            </button>
          ) : null}
        </div>
      ) : canWrite ? (
        <form className="form micro-write" onSubmit={(e) => void write(e)}>
          <div className="field">
            <label htmlFor={`${id}-text`}>Your one small step</label>
            <input id={`${id}-text`} name="text" required maxLength={500} aria-describedby={`${id}-hint`} />
            <p className="hint" id={`${id}-hint`}>
              {prompt ?? "Write one step you can finish in an hour or less."}
            </p>
          </div>
          <div className="row-fields">
            <div className="field field-narrow">
              <label htmlFor={`${id}-estimate`}>It takes about</label>
              <select id={`${id}-estimate`} name="estimate" defaultValue="30">
                <option value="15">15 minutes</option>
                <option value="30">30 minutes</option>
                <option value="45">45 minutes</option>
                <option value="60">an hour</option>
              </select>
            </div>
            <div className="field field-narrow">
              <label htmlFor={`${id}-due`}>By (optional)</label>
              <input id={`${id}-due`} name="due" type="date" />
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Saving…" : "Add the step"}
            </button>
          </div>
        </form>
      ) : (
        <p className="prompt">{prompt ?? "The owner has not written the next small step yet."}</p>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
