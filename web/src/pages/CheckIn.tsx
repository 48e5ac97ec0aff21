/**
 * Check-in: key-result values, confidence, what got done (steps ticked off), the next step, and
 * obstacles hit. Ticking an obstacle shows its Plan B at once; after saving, the server's Plan B
 * answer (with the people to ask) is shown.
 */
import { type FormEvent, useId, useState } from "react";
import { Link, useParams } from "react-router";
import { type ApiError, api, type CheckinResult, type Confidence, type Plan } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { addDaysIso, shortDay } from "../lib/dates.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

/** The check-in page. */
export default function CheckInPage() {
  const id = Number(useParams().id);
  const load = useLoad(() => api.goals.plan(id), [id]);
  usePageTitle(load.data ? `Check in: ${load.data.goal.title}` : "Check in");
  if (load.state === "loading") return <Loading what="Loading the plan" />;
  if (load.state === "error")
    return (
      <section className="page">
        <h1>Check in</h1>
        <ErrorNotice error={load.error} retry={load.reload} />
      </section>
    );
  // A retired key result takes no more values.
  return (
    <CheckInForm plan={{ ...load.data, keyResults: load.data.keyResults.filter((k) => !k.retiredAt) }} />
  );
}

const CONFIDENCES: { value: Confidence; label: string }[] = [
  { value: "on-track", label: "On track" },
  { value: "at-risk", label: "At risk" },
  { value: "off-track", label: "Off track" },
];

function CheckInForm({ plan }: { plan: Plan }) {
  const id = useId();
  const [hit, setHit] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<CheckinResult | null>(null);
  const openSteps = plan.steps.filter((s) => s.status === "todo" || s.status === "doing");
  // The API dates a check-in by the server's day (UTC) and refuses one before the goal's start or
  // after today: the date field is bounded the same way, and a refusal's message is shown.
  const today = new Date().toISOString().slice(0, 10);
  const earliest = plan.goal.startDate <= today ? plan.goal.startDate : today;
  const nextDue = addDaysIso(today, Math.max(1, Math.min(plan.goal.cadenceDays, 7)));
  const badField = error?.details.field;
  const watch = plan.barriers.filter((b) => b.status !== "resolved");

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const krValues = plan.keyResults
      .map((kr) => ({ keyResultId: kr.id, raw: String(form.get(`kr-${kr.id}`) ?? "") }))
      .filter((v) => v.raw.trim() !== "")
      .map((v) => ({ keyResultId: v.keyResultId, value: Number(v.raw) }));
    const confidence = form.get("confidence");
    const date = String(form.get("date") ?? "");
    const nextStep = String(form.get("nextStep") ?? "").trim();
    const nextStepDue = String(form.get("nextStepDue") ?? "");
    setBusy(true);
    setError(null);
    try {
      const r = await api.goals.checkIn(plan.goal.id, {
        // Today's check-in leaves the day to the server; a late one names its day.
        ...(date && date !== today ? { date } : {}),
        krValues,
        confidence: confidence ? (String(confidence) as Confidence) : null,
        doneText: String(form.get("doneText") ?? "") || null,
        stepsDone: form.getAll("stepsDone").map(Number),
        nextStep: nextStep || null,
        ...(nextStep && nextStepDue ? { nextStepDue } : {}),
        barriersHit: [...hit],
        note: String(form.get("note") ?? "") || null,
      });
      setResult(r);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    return (
      <section className="page narrow" aria-labelledby={`${id}-done`}>
        <h1 id={`${id}-done`}>Checked in</h1>
        <p className="lead">
          Saved for <Link to={`/goals/${plan.goal.id}`}>{plan.goal.title}</Link>.
        </p>
        {result.nextStepTask ? (
          <p data-testid="next-step-saved">
            Your next step, “{result.nextStepTask.text}”, is on <Link to="/">My week</Link>
            {result.nextStepTask.dueDate ? `, due ${shortDay(result.nextStepTask.dueDate)}` : ""}.
          </p>
        ) : null}
        {result.planB.length > 0 ? (
          <section className="card planb" role="alert" aria-labelledby={`${id}-planb`}>
            <h2 id={`${id}-planb`}>Your Plan B</h2>
            <ul className="plain-list">
              {result.planB.map((p) => (
                <li key={p.barrierId} data-testid="planb">
                  <p>
                    <strong>{p.obstacle}</strong>
                  </p>
                  <p className="planb-text">{p.planB}</p>
                  {p.askPeople.length > 0 ? (
                    <p className="small">
                      Ask: {p.askPeople.map((a) => (a.ask ? `${a.name} (${a.ask})` : a.name)).join(", ")}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : (
          <p>No obstacles hit. Keep the next step small.</p>
        )}
        <p>
          <Link className="button primary" to={`/goals/${plan.goal.id}`}>
            Back to the goal
          </Link>
        </p>
      </section>
    );
  }

  return (
    <section className="page narrow" aria-labelledby={`${id}-title`}>
      <p className="eyebrow">
        <Link to={`/goals/${plan.goal.id}`}>{plan.goal.title}</Link>
      </p>
      <h1 id={`${id}-title`}>Check in</h1>
      <form className="stack" noValidate onSubmit={(e) => void submit(e)}>
        <div className="card">
          <div className="field field-date">
            <label htmlFor={`${id}-date`}>Checking in for</label>
            <input
              id={`${id}-date`}
              name="date"
              type="date"
              required
              defaultValue={today}
              min={earliest}
              max={today}
              aria-describedby={`${id}-date-hint`}
              aria-invalid={badField === "date" ? true : undefined}
            />
            <p id={`${id}-date-hint`} className="hint">
              Today, or an earlier day for a late check-in: from {shortDay(earliest)}, when the goal started.
            </p>
          </div>
        </div>
        {plan.keyResults.length > 0 ? (
          <fieldset className="card">
            <legend>Key results</legend>
            {plan.keyResults.map((kr) => (
              <div className="field" key={kr.id}>
                <label htmlFor={`${id}-kr-${kr.id}`}>
                  {kr.title} {kr.unit ? <span className="muted">({kr.unit})</span> : null}
                </label>
                <input
                  id={`${id}-kr-${kr.id}`}
                  name={`kr-${kr.id}`}
                  type="number"
                  step="any"
                  defaultValue={kr.currentValue}
                  aria-describedby={`${id}-kr-${kr.id}-hint`}
                />
                <p id={`${id}-kr-${kr.id}-hint`} className="hint">
                  From {kr.startValue.toLocaleString()} to {kr.targetValue.toLocaleString()}; now{" "}
                  {kr.currentValue.toLocaleString()}.
                </p>
              </div>
            ))}
          </fieldset>
        ) : null}

        <fieldset className="card">
          <legend>How confident are you?</legend>
          <div className="radio-row">
            {CONFIDENCES.map((c) => (
              <label key={c.value} className="radio">
                <input
                  type="radio"
                  name="confidence"
                  value={c.value}
                  defaultChecked={c.value === "on-track"}
                />{" "}
                {c.label}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>What got done</legend>
          {openSteps.length > 0 ? (
            <div className="checks">
              {openSteps.map((s) => (
                <label key={s.id} className="check">
                  <input type="checkbox" name="stepsDone" value={s.id} /> {s.text}
                </label>
              ))}
            </div>
          ) : (
            <p className="muted small">No open steps.</p>
          )}
          <div className="field">
            <label htmlFor={`${id}-done`}>Anything else done</label>
            <textarea id={`${id}-done`} name="doneText" rows={2} />
          </div>
          <div className="row-fields">
            <div className="field field-wide">
              <label htmlFor={`${id}-next`}>The next step</label>
              <input
                id={`${id}-next`}
                name="nextStep"
                maxLength={1000}
                placeholder="One small, concrete action"
                aria-describedby={`${id}-next-hint`}
              />
            </div>
            <div className="field field-date">
              <label htmlFor={`${id}-next-due`}>Do it by</label>
              <input
                id={`${id}-next-due`}
                name="nextStepDue"
                type="date"
                defaultValue={nextDue}
                min={today}
                aria-invalid={badField === "nextStepDue" ? true : undefined}
              />
            </div>
          </div>
          <p id={`${id}-next-hint`} className="hint">
            It becomes a step of this goal, on your week until it is done.
          </p>
        </fieldset>

        <fieldset className="card">
          <legend>Obstacles hit</legend>
          {watch.length === 0 ? (
            <p className="muted small">No obstacles were anticipated for this goal.</p>
          ) : (
            <div className="checks">
              {watch.map((b) => (
                <div key={b.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={hit.has(b.id)}
                      onChange={(e) => {
                        const next = new Set(hit);
                        if (e.target.checked) next.add(b.id);
                        else next.delete(b.id);
                        setHit(next);
                      }}
                    />{" "}
                    {b.obstacle}
                  </label>
                  {hit.has(b.id) ? (
                    <p className="planb-inline" aria-live="polite">
                      Plan B: {b.planB}
                    </p>
                  ) : null}
                </div>
              ))}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-note`}>Note</label>
            <textarea id={`${id}-note`} name="note" rows={2} />
          </div>
        </fieldset>

        {error ? <ErrorNotice error={error} title="The check-in was not saved" /> : null}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Saving…" : "Save the check-in"}
          </button>
          <Link className="button link" to={`/goals/${plan.goal.id}`}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
