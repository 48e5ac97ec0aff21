/**
 * The goal page: progress chart, status (pace, buffer, stalled), steps (reorder, done, delegate),
 * resources, barriers, check-in history with comments and kudos, and the change history with
 * reasons.
 */
import { type FormEvent, useId, useState } from "react";
import { Link, useParams } from "react-router";
import {
  type ApiError,
  api,
  type Checkin,
  type Delegation,
  type Feedback,
  type GoalStatusView,
  type Plan,
  type Step,
} from "../api/client.js";
import { useSession } from "../api/session.js";
import { AnswerForm } from "../components/Delegations.js";
import { usePageTitle } from "../components/Layout.js";
import { ListCard } from "../components/ListCard.js";
import { ProgressChart } from "../components/ProgressChart.js";
import { Empty, ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { fullDay, percent, shortDay, todayIso } from "../lib/dates.js";
import { asApiError, optional, useLoad } from "../lib/useLoad.js";

/** A person who can be named on a step or asked to take one on. */
interface Person {
  userId: number;
  name: string;
}

async function loadGoal(id: number) {
  const [plan, status, history, teams, delegations] = await Promise.all([
    api.goals.plan(id),
    optional(api.goals.status(id)),
    api.goals.history(id),
    optional(api.teams.list()),
    optional(api.delegations.list()),
  ]);
  const people = new Map<number, Person>();
  for (const t of teams?.items ?? [])
    for (const m of t.members) people.set(m.id, { userId: m.id, name: m.name });
  return {
    plan,
    status,
    history: history.items,
    people: [...people.values()],
    delegations: (delegations?.items ?? []).filter((d) => d.goalId === id),
  };
}

type GoalData = Awaited<ReturnType<typeof loadGoal>>;

/** The goal page. */
export default function GoalPage() {
  const params = useParams();
  const id = Number(params.id);
  const load = useLoad(() => loadGoal(id), [id]);
  usePageTitle(load.data?.plan.goal.title ?? "Goal");

  if (load.state === "loading") return <Loading what="Loading the goal" />;
  if (load.state === "error")
    return (
      <section className="page">
        <h1>Goal</h1>
        <ErrorNotice error={load.error} retry={load.reload} />
      </section>
    );
  return <GoalBody data={load.data} reload={load.reload} />;
}

function GoalBody({ data, reload }: { data: GoalData; reload: () => void }) {
  const { plan, status } = data;
  const { goal } = plan;
  const { session } = useSession();
  const names = new Map(data.people.map((p) => [p.userId, p.name]));
  const me = session?.user.id ?? 0;
  const canWrite = session?.local === true || goal.ownerId === me;
  return (
    <article className="page" aria-labelledby="goal-title">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            Goal · {goal.status} · {goal.priority} priority
            {goal.dueDate ? ` · due ${fullDay(goal.dueDate)}` : ""}
          </p>
          <h1 id="goal-title">{goal.title}</h1>
          {goal.why ? <p className="lead">Why: {goal.why}</p> : <p className="muted">No why written yet.</p>}
          {goal.values.length > 0 ? (
            <ul className="chips" aria-label="Values">
              {goal.values.map((v) => (
                <li key={v} className="chip">
                  {v}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {/* An imported or unfinished plan (no why or no key result) opens in the plan builder. */}
        {canWrite && (!goal.why || plan.keyResults.length === 0) ? (
          <Link className="button secondary finish-plan" to={`/goals/${goal.id}/finish`}>
            Finish this plan
          </Link>
        ) : null}
        <Link className="button primary" to={`/goals/${goal.id}/check-in`}>
          Check in
        </Link>
      </div>

      <div className="grid-2 wide-left">
        <div className="stack">
          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">Progress</h2>
            <ProgressChart plan={plan} status={status} />
            {plan.keyResults.length > 0 ? (
              <ul className="plain-list krs">
                {plan.keyResults.map((kr) => (
                  <li key={kr.id}>
                    <strong>{kr.title}</strong>: {kr.currentValue.toLocaleString()} of{" "}
                    {kr.targetValue.toLocaleString()}
                    {kr.unit ? ` ${kr.unit}` : ""}{" "}
                    <span className="muted small">(from {kr.startValue.toLocaleString()})</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">No key results: progress is the share of steps done.</p>
            )}
          </section>
          <StepsCard
            plan={plan}
            status={status}
            names={names}
            people={data.people.filter((p) => p.userId !== me)}
            delegations={data.delegations}
            canWrite={canWrite}
            me={me}
            onChanged={reload}
          />
          <CheckinsCard checkins={plan.checkins} plan={plan} names={names} />
          <HistoryCard history={data.history} />
        </div>
        <div className="stack">
          <StatusCard status={status} />
          <ListCard
            title="Barriers and Plan B"
            items={plan.barriers}
            empty="No obstacles anticipated. What could stop this? Add one with its Plan B."
          >
            {(b) => (
              <li key={b.id} className={b.status === "hit" ? "barrier barrier-hit" : "barrier"}>
                <p>
                  <strong>{b.obstacle}</strong>{" "}
                  <span className={b.status === "hit" ? "tag tag-warn" : "tag"}>{b.status}</span>{" "}
                  <span className="tag">{b.likelihood} likelihood</span>
                </p>
                <p className="small">Plan B: {b.planB}</p>
              </li>
            )}
          </ListCard>
          <ListCard
            title="Resources and people"
            items={plan.resources}
            empty="Nobody listed yet. Who or what could move this forward?"
          >
            {(r) => (
              <li key={r.id}>
                <strong>{r.name}</strong> <span className="tag">{r.kind}</span>
                {r.ask ? <p className="small">Ask: {r.ask}</p> : null}
              </li>
            )}
          </ListCard>
          {goal.successLooksLike ? (
            <section className="card" aria-labelledby="success-title">
              <h2 id="success-title">What success looks like</h2>
              <p>{goal.successLooksLike}</p>
            </section>
          ) : null}
        </div>
      </div>
    </article>
  );
}

const PACE_WORDS: Record<string, string> = { ahead: "Ahead", "on-track": "On track", behind: "Behind" };

function StatusCard({ status }: { status: GoalStatusView | null }) {
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      {status === null ? (
        <Unavailable what="The goal status">
          <p className="muted small">Pace, buffer and stall detection need a newer server.</p>
        </Unavailable>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Pace</dt>
              <dd>
                <span className={`tag ${status.pace === "behind" ? "tag-warn" : "tag-good"}`}>
                  {PACE_WORDS[status.pace] ?? status.pace}
                </span>
              </dd>
            </div>
            <div>
              <dt>Progress</dt>
              <dd>
                {percent(status.progress)}
                {status.expected !== null ? (
                  <span className="muted"> of {percent(status.expected)} expected</span>
                ) : null}
              </dd>
            </div>
            <div>
              <dt>Buffer</dt>
              <dd>
                {status.bufferDays === null
                  ? "–"
                  : `${status.bufferDays > 0 ? "+" : ""}${status.bufferDays} day${Math.abs(status.bufferDays) === 1 ? "" : "s"}`}
              </dd>
            </div>
            <div>
              <dt>Forecast</dt>
              <dd>{status.forecastDate ? fullDay(status.forecastDate) : "Not enough check-ins yet"}</dd>
            </div>
            <div>
              <dt>Stalled</dt>
              <dd>
                {status.stalled ? (
                  <span className="tag tag-warn">Stalled: {status.stallReasons.join(", ")}</span>
                ) : (
                  "No"
                )}
              </dd>
            </div>
            <div>
              <dt>Last movement</dt>
              <dd>{status.lastMovement ? shortDay(status.lastMovement) : "Nothing yet"}</dd>
            </div>
          </dl>
          {status.mode === "micro-goal" ? (
            <div className="micro-goal">
              <p className="eyebrow">Micro-goal mode</p>
              <p>One small step at a time; the next appears when this is done.</p>
              {status.nextSteps[0] && "prompt" in status.nextSteps[0] ? (
                <p className="prompt">{status.nextSteps[0].prompt}</p>
              ) : null}
            </div>
          ) : null}
          {status.leaderPrompt ? <p className="small">{status.leaderPrompt}</p> : null}
        </>
      )}
    </section>
  );
}

function StepsCard({
  plan,
  status,
  names,
  people,
  delegations,
  canWrite,
  me,
  onChanged,
}: {
  plan: Plan;
  status: GoalStatusView | null;
  names: Map<number, string>;
  people: Person[];
  delegations: Delegation[];
  canWrite: boolean;
  me: number;
  onChanged: () => void;
}) {
  const delegationOf = new Map(
    delegations.filter((d) => d.stepId !== null).map((d) => [d.stepId as number, d]),
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const steps = [...plan.steps].filter((s) => s.status !== "dropped").sort((a, b) => a.position - b.position);
  const micro = status?.mode === "micro-goal";
  const microStep = micro ? status?.nextSteps.find((s): s is Step => "id" in s) : undefined;
  const open = steps.filter((s) => s.status !== "done");
  const visible = micro ? steps.filter((s) => s.status === "done" || s.id === microStep?.id) : steps;

  /** Runs a change to a step; true when it worked (the error is shown otherwise). */
  async function act(stepId: number, fn: () => Promise<unknown>): Promise<boolean> {
    setBusy(stepId);
    setError(null);
    try {
      await fn();
      onChanged();
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(null);
    }
  }

  function move(step: Step, dir: -1 | 1) {
    const i = open.findIndex((s) => s.id === step.id);
    const other = open[i + dir];
    if (!other) return;
    void act(step.id, async () => {
      await api.steps.update(step.id, { position: other.position });
      await api.steps.update(other.id, { position: step.position });
    });
  }

  return (
    <section className="card" aria-labelledby="steps-title">
      <h2 id="steps-title">Steps</h2>
      {micro ? <p className="small muted">Micro-goal mode: only the one next step is shown.</p> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {visible.length === 0 ? (
        <Empty title="No steps yet">
          <p>What is one small step you can take this week?</p>
        </Empty>
      ) : (
        <ol className="steps">
          {visible.map((s) => {
            const i = open.findIndex((o) => o.id === s.id);
            return (
              <li key={s.id} className={`step${s.status === "done" ? " step-done" : ""}`}>
                <div className="step-main">
                  <span className="step-text">{s.text}</span>
                  <span className="step-meta">
                    {s.dueDate ? <span className="tag">By {shortDay(s.dueDate)}</span> : null}
                    {s.ownerId !== null && names.has(s.ownerId) ? (
                      <span className="tag">{names.get(s.ownerId)}</span>
                    ) : null}
                    {s.delegationState ? (
                      <span className={s.delegationState === "clarification-asked" ? "tag tag-warn" : "tag"}>
                        {DELEGATION_WORDS[s.delegationState] ?? s.delegationState}
                      </span>
                    ) : null}
                    {s.status === "done" ? (
                      <span className="tag tag-good">Done {s.doneAt ? shortDay(s.doneAt) : ""}</span>
                    ) : null}
                  </span>
                  <DelegationNote
                    delegation={delegationOf.get(s.id)}
                    names={names}
                    me={me}
                    onChanged={onChanged}
                  />
                </div>
                {s.status !== "done" ? (
                  <div className="step-actions">
                    {!micro && canWrite ? (
                      <>
                        <button
                          type="button"
                          className="button icon"
                          aria-label={`Move up: ${s.text}`}
                          disabled={i <= 0 || busy !== null}
                          onClick={() => move(s, -1)}
                        >
                          <span aria-hidden="true">↑</span>
                        </button>
                        <button
                          type="button"
                          className="button icon"
                          aria-label={`Move down: ${s.text}`}
                          disabled={i < 0 || i >= open.length - 1 || busy !== null}
                          onClick={() => move(s, 1)}
                        >
                          <span aria-hidden="true">↓</span>
                        </button>
                      </>
                    ) : null}
                    {canWrite && !s.delegationState ? (
                      <Delegate
                        step={s}
                        people={people}
                        onSave={(body) => act(s.id, () => api.delegations.delegateStep(s.id, body))}
                      />
                    ) : null}
                    <button
                      type="button"
                      className="button secondary small"
                      disabled={busy !== null}
                      aria-label={`Mark done: ${s.text}`}
                      onClick={() => void act(s.id, () => api.steps.done(s.id))}
                    >
                      {busy === s.id ? "Saving…" : "Done"}
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      <AddStep goalId={plan.goal.id} onAdded={onChanged} />
    </section>
  );
}

const DELEGATION_WORDS: Record<string, string> = {
  proposed: "Delegated, waiting for an answer",
  accepted: "Delegated, accepted",
  "clarification-asked": "Delegated, a question is waiting",
};

/** What a delegated step says, and the delegator's answer box when the assignee asked something. */
function DelegationNote({
  delegation: d,
  names,
  me,
  onChanged,
}: {
  delegation: Delegation | undefined;
  names: Map<number, string>;
  me: number;
  onChanged: () => void;
}) {
  if (!d) return null;
  const who = names.get(d.assigneeId) ?? "the assignee";
  return (
    <div className="delegation-note small">
      <p>
        Asked of {who}. Done looks like: {d.doneLooksLike}
      </p>
      {d.state === "clarification-asked" && d.question ? (
        <>
          <p>
            <strong>{who} asks:</strong> {d.question}
          </p>
          {d.delegatedBy === me ? <AnswerForm delegation={d} onAnswered={onChanged} /> : null}
        </>
      ) : d.answer ? (
        <p>Your answer: {d.answer}</p>
      ) : null}
    </div>
  );
}

function Delegate({
  step,
  people,
  onSave,
}: {
  step: Step;
  people: Person[];
  onSave: (body: {
    assigneeId: number;
    doneLooksLike: string;
    why?: string | null;
    dueDate?: string | null;
    cadenceDays?: number;
  }) => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!open)
    return (
      <button
        type="button"
        className="button link small"
        aria-label={`Delegate: ${step.text}`}
        onClick={() => setOpen(true)}
      >
        Delegate
      </button>
    );
  if (people.length === 0)
    return (
      <p className="small muted" role="status">
        Nobody to delegate to yet: invite people to your team first.{" "}
        <button type="button" className="button link small" onClick={() => setOpen(false)}>
          Close
        </button>
      </p>
    );
  return (
    <form
      className="form delegate-form"
      aria-label={`Delegate: ${step.text}`}
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const due = String(form.get("due") ?? "");
        const cadence = Number(form.get("cadence") ?? 7);
        void onSave({
          assigneeId: Number(form.get("assignee")),
          doneLooksLike: String(form.get("done") ?? ""),
          why: String(form.get("why") ?? "").trim() || null,
          dueDate: due || null,
          cadenceDays: Number.isFinite(cadence) && cadence > 0 ? cadence : 7,
        }).then((ok) => ok && setOpen(false));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-assignee`}>Ask</label>
        <select id={`${id}-assignee`} name="assignee">
          {people.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-done`}>What done looks like</label>
        <input
          id={`${id}-done`}
          name="done"
          required
          maxLength={2000}
          defaultValue={step.doneLooksLike ?? ""}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-why`}>Why it matters (optional)</label>
        <input id={`${id}-why`} name="why" maxLength={2000} />
      </div>
      <div className="row-fields">
        <div className="field field-narrow">
          <label htmlFor={`${id}-due`}>By</label>
          <input id={`${id}-due`} name="due" type="date" defaultValue={step.dueDate ?? ""} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-cadence`}>Check in every (days)</label>
          <input id={`${id}-cadence`} name="cadence" type="number" min={1} max={90} defaultValue={7} />
        </div>
      </div>
      <p className="hint">How they do it is up to them.</p>
      <div className="actions">
        <button type="submit" className="button secondary small">
          Send the request
        </button>
        <button type="button" className="button link small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddStep({ goalId, onAdded }: { goalId: number; onAdded: () => void }) {
  const id = useId();
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="inline-form add-step"
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const el = e.currentTarget;
        const form = new FormData(el);
        setError(null);
        api.goals
          .addStep(goalId, {
            text: String(form.get("text") ?? ""),
            dueDate: String(form.get("due") ?? "") || null,
          })
          .then(() => {
            el.reset();
            onAdded();
          })
          .catch((err: unknown) => setError(asApiError(err)));
      }}
    >
      <div className="field field-wide">
        <label htmlFor={`${id}-text`}>Add a step</label>
        <input id={`${id}-text`} name="text" required maxLength={500} />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-due`}>By</label>
        <input id={`${id}-due`} name="due" type="date" min={todayIso()} />
      </div>
      <button type="submit" className="button secondary small">
        Add
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

const CONFIDENCE_WORDS: Record<string, string> = {
  "on-track": "On track",
  "at-risk": "At risk",
  "off-track": "Off track",
};

function CheckinsCard({
  checkins,
  plan,
  names,
}: {
  checkins: Checkin[];
  plan: Plan;
  names: Map<number, string>;
}) {
  const krTitle = new Map(plan.keyResults.map((k) => [k.id, k.title]));
  const obstacle = new Map(plan.barriers.map((b) => [b.id, b.obstacle]));
  const newest = [...checkins].reverse();
  return (
    <section className="card" aria-labelledby="checkins-title">
      <h2 id="checkins-title">Check-ins</h2>
      {newest.length === 0 ? (
        <p className="muted">
          No check-ins yet. <Link to={`/goals/${plan.goal.id}/check-in`}>Check in</Link> to start the history.
        </p>
      ) : (
        <ol className="timeline">
          {newest.map((c) => (
            <li key={c.id}>
              <p>
                <strong>{fullDay(c.date)}</strong>
                {c.confidence ? (
                  <span className={`tag ${c.confidence === "on-track" ? "tag-good" : "tag-warn"}`}>
                    {CONFIDENCE_WORDS[c.confidence]}
                  </span>
                ) : null}
                {names.has(c.authorId) ? (
                  <span className="muted small"> · {names.get(c.authorId)}</span>
                ) : null}
              </p>
              {c.krValues.length > 0 ? (
                <p className="small">
                  {c.krValues
                    .map((v) => `${krTitle.get(v.keyResultId) ?? "Key result"}: ${v.value.toLocaleString()}`)
                    .join(" · ")}
                </p>
              ) : null}
              {c.doneText ? <p className="small">Done: {c.doneText}</p> : null}
              {c.nextStep ? <p className="small">Next: {c.nextStep}</p> : null}
              {c.barriersHit.length > 0 ? (
                <p className="small">
                  Obstacles hit: {c.barriersHit.map((b) => obstacle.get(b) ?? `#${b}`).join(", ")}
                </p>
              ) : null}
              <FeedbackBlock checkinId={c.id} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function FeedbackBlock({ checkinId }: { checkinId: number }) {
  const load = useLoad(() => api.checkins.feedback(checkinId), [checkinId]);
  const [error, setError] = useState<ApiError | null>(null);
  const [override, setOverride] = useState<Feedback | null>(null);
  const id = useId();
  const fb = override ?? load.data;
  if (load.state === "loading") return <p className="muted small">Loading comments…</p>;
  if (load.state === "error")
    return <p className="inline-error">Comments could not load: {load.error.message}</p>;
  if (!fb) return null;
  return (
    <div className="feedback">
      <button
        type="button"
        className="button link small"
        onClick={() =>
          api.checkins
            .kudos(checkinId)
            .then(setOverride)
            .catch((e: unknown) => setError(asApiError(e)))
        }
      >
        Kudos ({fb.kudos.length})
      </button>
      {fb.comments.length > 0 ? (
        <ul className="comments">
          {fb.comments.map((c) => (
            <li key={c.id} className="small">
              {c.body}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="comment-box">
        <summary className="small">Comment</summary>
        <form
          className="inline-form"
          onSubmit={(e: FormEvent<HTMLFormElement>) => {
            e.preventDefault();
            const el = e.currentTarget;
            const body = String(new FormData(el).get("body") ?? "");
            setError(null);
            api.checkins
              .comment(checkinId, { body })
              .then(() => api.checkins.feedback(checkinId))
              .then((f) => {
                setOverride(f);
                el.reset();
              })
              .catch((err: unknown) => setError(asApiError(err)));
          }}
        >
          <label htmlFor={id} className="visually-hidden">
            Comment on this check-in
          </label>
          <input id={id} name="body" placeholder="Add a comment" required maxLength={5000} />
          <button type="submit" className="button secondary small">
            Send
          </button>
        </form>
      </details>
      {error ? <p className="inline-error">{error.message}</p> : null}
    </div>
  );
}

const FIELD_WORDS: Record<string, string> = {
  dueDate: "Due date",
  priority: "Priority",
  status: "Status",
  targetValue: "Target",
  title: "Title",
  why: "Why",
};

function HistoryCard({ history }: { history: GoalData["history"] }) {
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Changes and reasons</h2>
      {history.length === 0 ? (
        <p className="muted">
          No changes yet. Changing the due date, priority or a target asks for a reason, kept here.
        </p>
      ) : (
        <ol className="timeline">
          {[...history].reverse().map((h) => (
            <li key={h.id}>
              <p>
                <strong>{FIELD_WORDS[h.field] ?? h.field}</strong>
                {h.entity === "key_result" ? " (key result)" : ""}: {h.oldValue ?? "–"} → {h.newValue ?? "–"}{" "}
                <span className="muted small">· {fullDay(h.createdAt)}</span>
              </p>
              {h.reason ? <p className="small">Reason: {h.reason}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
