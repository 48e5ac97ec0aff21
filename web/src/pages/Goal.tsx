/**
 * The goal page: progress chart, status in words, steps (micro-goal mode, edit, reorder, done,
 * drop, re-open, delegate), key results, barriers with Plan B, resources, check-ins with comments
 * and kudos, and the history of changes with who, when, what and why, each restorable.
 *
 * It loads with one request (GET /api/goals/{id}/page), started as navigation begins
 * (lib/prefetch.ts), and offers only what the reader may do (`allowed`, decided by the server's
 * policy). Every edit goes through the routes the API already has; a change that needs a reason
 * asks for it in the form.
 */
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import {
  type ApiError,
  api,
  type Barrier,
  type ChangeRecord,
  type Delegation,
  type GoalAllowed,
  type GoalPageData,
  type GoalStatusView,
  goalPageApi,
  type KeyResult,
  type Resource,
  type Step,
} from "../api/client.js";
import { useSession } from "../api/session.js";
import { AnswerForm } from "../components/Delegations.js";
import { usePageTitle } from "../components/Layout.js";
import { BackOnTrack, MicroGoal } from "../components/MicroGoal.js";
import { ProgressChart } from "../components/ProgressChart.js";
import { Empty, ErrorNotice, Loading } from "../components/States.js";
import { dueWords, StepTimeField, timeOf } from "../components/StepTime.js";
import { percent } from "../lib/dates.js";
import { answeredGoalPage, goalPageData } from "../lib/prefetch.js";
import { useStepAnchor } from "../lib/step-anchor.js";
import { asApiError, useLoad } from "../lib/useLoad.js";
import { dayInWords, days, daysFrom, todayIn, whenInWords } from "../lib/when.js";
import type { StartedFromPlaybook } from "./Playbook.js";

type Plan = GoalPageData["plan"];
type Goal = Plan["goal"];

/** What every part of the page needs to know. */
interface PageCtx {
  plan: Plan;
  allowed: GoalAllowed;
  names: Map<number, string>;
  people: { id: number; name: string }[];
  me: number;
  tz: string;
  reload: () => void;
}

/** The goal page. */
export default function GoalPage() {
  const params = useParams();
  const id = Number(params.id);
  const load = useLoad(
    () => goalPageData(id),
    [id],
    () => answeredGoalPage(id),
  );
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

function GoalBody({ data, reload }: { data: GoalPageData; reload: () => void }) {
  const { plan, status, allowed } = data;
  const { goal } = plan;
  const { session } = useSession();
  const me = session?.user.id ?? 0;
  const names = new Map(data.people.map((p) => [p.id, p.name]));
  const ctx: PageCtx = { plan, allowed, names, people: data.people, me, tz: data.timeZone, reload };
  const [editing, setEditing] = useState(false);
  const owner = names.get(goal.ownerId) ?? "its owner";
  // Retired key results no longer count: the chart draws the ones that do.
  const chartPlan = useMemo(
    () => ({ ...plan, keyResults: plan.keyResults.filter((k) => !k.retiredAt) }),
    [plan],
  );
  return (
    <article className="page" aria-labelledby="goal-title">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            Goal · {GOAL_STATUS_WORDS[goal.status] ?? goal.status} · {goal.priority} priority
            {goal.dueDate ? ` · due ${dayInWords(goal.dueDate, ctx.tz)}` : ""}
            {goal.ownerId !== me ? ` · ${owner}'s` : ""}
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
          {!allowed.edit ? (
            <p className="muted small" data-testid="read-only">
              You can follow this goal{allowed.comment ? ", comment and give kudos" : ""}; {owner} changes it.
            </p>
          ) : null}
        </div>
        <div className="actions">
          {allowed.checkIn && goal.status === "active" ? (
            <Link className="button primary" to={`/goals/${goal.id}/check-in`}>
              Check in
            </Link>
          ) : null}
          {allowed.edit && !editing ? (
            <button type="button" className="button secondary" onClick={() => setEditing(true)}>
              Edit the goal
            </button>
          ) : null}
          <SaveAsPlaybook goalId={goal.id} />
          {/* An imported or unfinished plan (no why or no key result) opens in the plan builder. */}
          {allowed.edit && goal.status === "active" && (!goal.why || plan.keyResults.length === 0) ? (
            <Link className="button secondary" to={`/goals/${goal.id}/finish`}>
              Finish this plan
            </Link>
          ) : null}
        </div>
      </div>
      <FromPlaybookNotice />
      {editing ? (
        <GoalEditor
          goal={goal}
          onDone={(changed) => {
            setEditing(false);
            if (changed) reload();
          }}
        />
      ) : null}

      <div className="grid-2 wide-left">
        <div className="stack">
          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">Progress</h2>
            <ProgressChart plan={chartPlan} status={status} />
            <KeyResults ctx={ctx} />
          </section>
          <StepsCard ctx={ctx} status={status} delegations={data.delegations} />
          <CheckinsCard ctx={ctx} feedback={data.feedback} />
          <HistoryCard ctx={ctx} history={data.history} />
        </div>
        <div className="stack">
          <StatusCard ctx={ctx} status={status} />
          <BarriersCard ctx={ctx} />
          <ResourcesCard ctx={ctx} />
          {goal.successLooksLike ? (
            <section className="card" aria-labelledby="success-title">
              <h2 id="success-title">What success looks like</h2>
              <p>{goal.successLooksLike}</p>
            </section>
          ) : null}
          {allowed.archive ? <FinishCard goal={goal} tz={ctx.tz} onChanged={reload} /> : null}
        </div>
      </div>
    </article>
  );
}

/**
 * Saves the plan as a new playbook (anyone who can see the goal may) and opens it, so the next
 * plan can start from this one with the same key results and step links.
 */
function SaveAsPlaybook({ goalId }: { goalId: number }) {
  const navigate = useNavigate();
  const change = useChange();
  async function save() {
    let id = 0;
    if (await change.run(async () => (id = (await api.playbooks.saveFromGoal(goalId)).id))) {
      navigate(`/playbooks/${id}`);
    }
  }
  return (
    <>
      <button type="button" className="button secondary" disabled={change.busy} onClick={() => void save()}>
        {change.busy ? "Saving…" : "Save as playbook"}
      </button>
      <FormError error={change.error} />
    </>
  );
}

const GOAL_STATUS_WORDS: Record<string, string> = {
  draft: "draft",
  active: "active",
  done: "done",
  dropped: "dropped",
};

// ---------------------------------------------------------------------------------------------
// Shared form pieces

/** Runs a change; keeps its error (and whether the API asked for a reason) for the form to show. */
function useChange() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [reasonAsked, setReasonAsked] = useState(false);
  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      const err = asApiError(e);
      if (err.code === "reason_required") setReasonAsked(true);
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, reasonAsked, run, setError };
}

/** The reason a change needs, asked in the form itself (never a browser prompt). */
function ReasonField({
  id,
  label = "Why the change?",
  hint = "Followers are told, and the history keeps it.",
  required = true,
  focus = false,
}: {
  id: string;
  label?: string;
  hint?: string;
  required?: boolean;
  focus?: boolean;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div className="field reason-field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={ref}
        id={id}
        name="reason"
        required={required}
        maxLength={2000}
        aria-describedby={`${id}-hint`}
      />
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

/**
 * The end of a form that edits or removes a part of the plan (a barrier, a resource): the reason
 * (asked for a removal, optional for an edit), the error, and Save / Remove… / Cancel.
 */
function EditOrRemoveFooter({
  id,
  removing,
  removeLabel,
  change,
  onRemove,
  onCancel,
}: {
  id: string;
  removing: boolean;
  removeLabel: string;
  change: ReturnType<typeof useChange>;
  onRemove: () => void;
  onCancel: () => void;
}) {
  return (
    <>
      <ReasonField
        id={`${id}-reason`}
        label={removing ? "Why remove it?" : "Why the change? (optional)"}
        required={removing}
        focus={removing}
      />
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button secondary small" disabled={change.busy}>
          {removing ? removeLabel : "Save"}
        </button>
        {!removing ? (
          <button type="button" className="button link small" onClick={onRemove}>
            Remove…
          </button>
        ) : null}
        <button type="button" className="button link small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/**
 * Just after a plan was started from a playbook (the playbook page passes it in the navigation's
 * state): where it came from, and the server's warnings on it, such as a step whose "(KR …)" stayed
 * words. A reload or a later visit shows nothing.
 */
function FromPlaybookNotice() {
  const state = useLocation().state as { startedFromPlaybook?: StartedFromPlaybook } | null;
  const from = state?.startedFromPlaybook;
  if (!from) return null;
  return (
    <section className="notice from-playbook" role="status" aria-label="Started from a playbook">
      <p>
        Started from the playbook <Link to={`/playbooks/${from.playbookId}`}>{from.playbookTitle}</Link>.
        {from.warnings.length > 0 ? " Worth a look:" : ""}
      </p>
      {from.warnings.length > 0 ? (
        <ul className="findings" aria-label="Warnings on the new plan">
          {from.warnings.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one warning per kept ending may share a code.
            <li key={i} className="finding" data-code={w.code}>
              <span className="finding-message">{w.message}</span>
              {w.suggestion ? <span className="finding-suggestion">Try: {w.suggestion}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** An error under a form: the API's sentence, never its code. */
function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <p className="inline-error" role="alert">
      {error.code === "reason_required"
        ? "This change needs a reason: write it above, then save again."
        : error.message}
    </p>
  );
}

const str = (f: FormData, k: string) => String(f.get(k) ?? "").trim();
const orNull = (s: string) => (s === "" ? null : s);

// ---------------------------------------------------------------------------------------------
// The goal itself

function GoalEditor({ goal, onDone }: { goal: Goal; onDone: (changed: boolean) => void }) {
  const id = useId();
  const { session } = useSession();
  const change = useChange();
  const [due, setDue] = useState(goal.dueDate ?? "");
  const [priority, setPriority] = useState(goal.priority);
  const [parents, setParents] = useState<{ id: number; title: string }[] | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    first.current?.focus();
    // The parent goal's choices are read when the editor opens, not with the page.
    api.goals
      .list({ status: "active", limit: 200 })
      .then((p) =>
        setParents(p.items.filter((g) => g.id !== goal.id).map((g) => ({ id: g.id, title: g.title }))),
      )
      .catch(() => setParents([]));
  }, [goal.id]);
  const needsReason = due !== (goal.dueDate ?? "") || priority !== goal.priority || change.reasonAsked;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const next = {
      title: str(f, "title"),
      why: orNull(str(f, "why")),
      successLooksLike: orNull(str(f, "success")),
      dueDate: orNull(str(f, "due")),
      priority: str(f, "priority") as Goal["priority"],
      visibility: str(f, "visibility") as Goal["visibility"],
      teamId: str(f, "team") === "" ? null : Number(str(f, "team")),
      parentId: str(f, "parent") === "" ? null : Number(str(f, "parent")),
    };
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next)) if (v !== (goal as Record<string, unknown>)[k]) body[k] = v;
    if (Object.keys(body).length === 0) return onDone(false);
    const reason = str(f, "reason");
    if (reason) body.reason = reason;
    if (await change.run(() => api.goals.update(goal.id, body))) onDone(true);
  }

  return (
    <form className="card form edit-form" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-h`}>Edit the goal</h2>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          ref={first}
          id={`${id}-title`}
          name="title"
          required
          maxLength={300}
          defaultValue={goal.title}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-why`}>Why it matters</label>
        <textarea id={`${id}-why`} name="why" rows={2} maxLength={5000} defaultValue={goal.why ?? ""} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-success`}>What success looks like</label>
        <textarea
          id={`${id}-success`}
          name="success"
          rows={2}
          maxLength={5000}
          defaultValue={goal.successLooksLike ?? ""}
        />
      </div>
      <div className="row-fields">
        <div className="field field-narrow">
          <label htmlFor={`${id}-due`}>Due date</label>
          <input
            id={`${id}-due`}
            name="due"
            type="date"
            value={due}
            onChange={(e) => setDue(e.target.value)}
          />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-priority`}>Priority</label>
          <select
            id={`${id}-priority`}
            name="priority"
            value={priority}
            onChange={(e) => setPriority(e.target.value as Goal["priority"])}
          >
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
            <option value="critical">Critical</option>
          </select>
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-visibility`}>Who can see it</label>
          <select id={`${id}-visibility`} name="visibility" defaultValue={goal.visibility}>
            <option value="private">Only me (and people I share it with)</option>
            <option value="team">Its team</option>
            <option value="workspace">Everyone in the workspace</option>
          </select>
        </div>
      </div>
      <div className="row-fields">
        <div className="field">
          <label htmlFor={`${id}-team`}>Team</label>
          <select id={`${id}-team`} name="team" defaultValue={goal.teamId ?? ""}>
            <option value="">No team</option>
            {(session?.teams ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-parent`}>Serves (parent goal)</label>
          <select
            id={`${id}-parent`}
            name="parent"
            defaultValue={goal.parentId ?? ""}
            disabled={parents === null}
          >
            <option value="">Nothing above it</option>
            {goal.parentId !== null && !parents?.some((p) => p.id === goal.parentId) ? (
              <option value={goal.parentId}>The current parent goal</option>
            ) : null}
            {(parents ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      {needsReason ? (
        <ReasonField
          id={`${id}-reason`}
          label="Why move the date or change the priority?"
          focus={change.reasonAsked}
        />
      ) : null}
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={change.busy}>
          {change.busy ? "Saving…" : "Save the changes"}
        </button>
        <button type="button" className="button link" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Complete, drop, re-open or archive the goal. */
function FinishCard({ goal, tz, onChanged }: { goal: Goal; tz: string; onChanged: () => void }) {
  const id = useId();
  const change = useChange();
  const [dropping, setDropping] = useState(false);
  const open = goal.status === "active" || goal.status === "draft";
  /** Sends one change of the goal, then reloads the page. */
  const update = (body: Parameters<typeof api.goals.update>[1]) =>
    void change.run(() => api.goals.update(goal.id, body)).then((ok) => ok && onChanged());
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{open ? "Finish this goal" : "This goal is closed"}</h2>
      {open ? (
        <>
          <p className="small muted">
            Done: it reached what success looks like. Dropped: it no longer matters, and you say why.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={change.busy}
              onClick={() => update({ status: "done" })}
            >
              Mark the goal done
            </button>
            {!dropping ? (
              <button type="button" className="button secondary" onClick={() => setDropping(true)}>
                Drop the goal…
              </button>
            ) : null}
          </div>
          {dropping ? (
            <form
              className="form"
              aria-label="Drop the goal"
              onSubmit={(e) => {
                e.preventDefault();
                const reason = str(new FormData(e.currentTarget), "reason");
                update({ status: "dropped", reason });
              }}
            >
              <ReasonField id={`${id}-reason`} label="Why drop it?" focus />
              <div className="actions">
                <button type="submit" className="button secondary" disabled={change.busy}>
                  Drop the goal
                </button>
                <button type="button" className="button link" onClick={() => setDropping(false)}>
                  Keep it
                </button>
              </div>
            </form>
          ) : null}
        </>
      ) : (
        <>
          {goal.archivedAt ? (
            <p className="small">
              It is {goal.status}, archived {whenInWords(goal.archivedAt, tz)}: it is out of your goals list
              and still counts in every report. Re-opening it takes it out of the archive.
            </p>
          ) : (
            <p className="small">
              It is {goal.status}. Re-open it to plan and check in again, or archive it to take it out of your
              goals list; it still counts in every report.
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              className="button secondary"
              disabled={change.busy}
              onClick={() => update({ status: "active" })}
            >
              Re-open the goal
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={change.busy}
              onClick={() => update({ archived: !goal.archivedAt })}
            >
              {goal.archivedAt ? "Take it out of the archive" : "Archive the goal"}
            </button>
          </div>
        </>
      )}
      <FormError error={change.error} />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Key results

function KeyResults({ ctx }: { ctx: PageCtx }) {
  const { plan, allowed } = ctx;
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <>
      {plan.keyResults.length > 0 ? (
        <ul className="plain-list krs">
          {plan.keyResults.map((kr) => (
            <li key={kr.id}>
              {editing === kr.id ? (
                <KeyResultEditor
                  kr={kr}
                  onDone={(changed) => {
                    setEditing(null);
                    if (changed) ctx.reload();
                  }}
                />
              ) : (
                <div className="row-between">
                  <span className={kr.retiredAt ? "muted" : undefined}>
                    {kr.retiredAt ? <span className="tag">Retired</span> : null} <strong>{kr.title}</strong>:{" "}
                    {kr.currentValue.toLocaleString()} of {kr.targetValue.toLocaleString()}
                    {kr.unit ? ` ${kr.unit}` : ""}{" "}
                    <span className="muted small">(from {kr.startValue.toLocaleString()})</span>
                  </span>
                  {allowed.edit && !kr.retiredAt ? (
                    <button
                      type="button"
                      className="button link small"
                      aria-label={`Edit key result: ${kr.title}`}
                      onClick={() => setEditing(kr.id)}
                    >
                      Edit
                    </button>
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No key results: progress is the share of steps done.</p>
      )}
      {allowed.edit ? <AddKeyResult goalId={plan.goal.id} onAdded={ctx.reload} /> : null}
    </>
  );
}

function KeyResultEditor({ kr, onDone }: { kr: KeyResult; onDone: (changed: boolean) => void }) {
  const id = useId();
  const change = useChange();
  const [target, setTarget] = useState(String(kr.targetValue));
  const [retiring, setRetiring] = useState(false);
  const needsReason = Number(target) !== kr.targetValue || change.reasonAsked;
  return (
    <form
      className="form edit-form"
      aria-label={`Edit key result: ${kr.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        if (retiring) {
          const reason = str(f, "reason");
          void change
            .run(() => api.goals.updateKeyResult(kr.goalId, kr.id, { retired: true, reason }))
            .then((ok) => ok && onDone(true));
          return;
        }
        const body: Record<string, unknown> = {};
        const title = str(f, "title");
        const unit = orNull(str(f, "unit"));
        const current = Number(str(f, "current"));
        const tgt = Number(str(f, "target"));
        if (title !== kr.title) body.title = title;
        if (unit !== kr.unit) body.unit = unit;
        if (current !== kr.currentValue) body.currentValue = current;
        if (tgt !== kr.targetValue) body.targetValue = tgt;
        const reason = str(f, "reason");
        if (reason) body.reason = reason;
        if (Object.keys(body).filter((k) => k !== "reason").length === 0) return onDone(false);
        void change
          .run(() => api.goals.updateKeyResult(kr.goalId, kr.id, body))
          .then((ok) => ok && onDone(true));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-title`}>Key result</label>
        <input id={`${id}-title`} name="title" required maxLength={300} defaultValue={kr.title} />
      </div>
      <div className="row-fields">
        <div className="field field-narrow">
          <label htmlFor={`${id}-current`}>Now at</label>
          <input
            id={`${id}-current`}
            name="current"
            type="number"
            step="any"
            defaultValue={kr.currentValue}
            required
          />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-target`}>Target</label>
          <input
            id={`${id}-target`}
            name="target"
            type="number"
            step="any"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            required
          />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-unit`}>Unit</label>
          <input id={`${id}-unit`} name="unit" maxLength={40} defaultValue={kr.unit ?? ""} />
        </div>
      </div>
      {retiring ? (
        <ReasonField
          id={`${id}-retire`}
          label="Why retire it?"
          hint="It stops counting towards progress from today; its values stay on the record."
          focus
        />
      ) : needsReason ? (
        <ReasonField id={`${id}-reason`} label="Why change the target?" focus={change.reasonAsked} />
      ) : null}
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button secondary small" disabled={change.busy}>
          {retiring ? "Retire the key result" : "Save"}
        </button>
        {!retiring ? (
          <button type="button" className="button link small" onClick={() => setRetiring(true)}>
            Retire…
          </button>
        ) : null}
        <button type="button" className="button link small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddKeyResult({ goalId, onAdded }: { goalId: number; onAdded: () => void }) {
  const id = useId();
  const change = useChange();
  return (
    <details className="add-kr">
      <summary className="small">Add a key result</summary>
      <form
        className="form"
        aria-label="Add a key result"
        onSubmit={(e) => {
          e.preventDefault();
          const el = e.currentTarget;
          const f = new FormData(el);
          void change
            .run(() =>
              api.goals.addKeyResult(goalId, {
                title: str(f, "title"),
                unit: orNull(str(f, "unit")),
                startValue: Number(str(f, "start")),
                targetValue: Number(str(f, "target")),
              }),
            )
            .then((ok) => {
              if (ok) {
                el.reset();
                onAdded();
              }
            });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-title`}>What you measure</label>
          <input id={`${id}-title`} name="title" required maxLength={300} />
        </div>
        <div className="row-fields">
          <div className="field field-narrow">
            <label htmlFor={`${id}-start`}>From</label>
            <input id={`${id}-start`} name="start" type="number" step="any" required />
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${id}-target`}>To</label>
            <input id={`${id}-target`} name="target" type="number" step="any" required />
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${id}-unit`}>Unit</label>
            <input id={`${id}-unit`} name="unit" maxLength={40} />
          </div>
        </div>
        <FormError error={change.error} />
        <button type="submit" className="button secondary small" disabled={change.busy}>
          Add the key result
        </button>
      </form>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// Status

const PACE_WORDS: Record<string, string> = { ahead: "Ahead", "on-track": "On track", behind: "Behind" };

/** Why a goal stalled, in the words people use. */
function stallWords(reason: string, ctx: PageCtx): string {
  const { goal } = ctx.plan;
  if (reason === "silent") {
    const last = ctx.plan.checkins.at(-1)?.date;
    const today = todayIn(ctx.tz);
    const every = `every ${days(goal.cadenceDays)} planned`;
    return last
      ? `${days(daysFrom(last, today))} since the last check-in (${every})`
      : `No check-in in the ${days(daysFrom(goal.startDate, today))} since it started (${every})`;
  }
  if (reason === "behind") return "Progress is behind the pace the due date needs";
  if (reason === "carried-over") return "Steps keep passing their dates without being done";
  return reason;
}

function StatusCard({ ctx, status }: { ctx: PageCtx; status: GoalStatusView }) {
  const slack = status.bufferDays;
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
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
          <dd data-testid="status-progress">
            {percent(status.progress)} done
            {status.expected !== null ? `; on pace would be ${percent(status.expected)} today` : ""}
          </dd>
        </div>
        <div>
          <dt>Slack</dt>
          <dd data-testid="status-slack">
            {slack === null
              ? "No due date, so no slack to count"
              : slack > 0
                ? `${days(slack)} of slack before the due date`
                : slack < 0
                  ? `${days(-slack)} behind what the due date needs`
                  : "No slack: exactly on the line to the due date"}
          </dd>
        </div>
        <div>
          <dt>Forecast</dt>
          <dd>
            {status.forecastDate
              ? `At this pace, done ${dayInWords(status.forecastDate, ctx.tz)}`
              : "Not enough check-ins yet to forecast"}
          </dd>
        </div>
        <div>
          <dt>Stalled</dt>
          <dd data-testid="status-stalled">
            {status.stalled ? (
              <ul className="plain-list">
                {status.stallReasons.map((r) => (
                  <li key={r}>
                    <span className="tag tag-warn">Stalled</span> {stallWords(r, ctx)}
                  </li>
                ))}
              </ul>
            ) : (
              "No"
            )}
          </dd>
        </div>
        <div>
          <dt>Last movement</dt>
          <dd>{status.lastMovement ? dayInWords(status.lastMovement, ctx.tz) : "Nothing yet"}</dd>
        </div>
      </dl>
      {status.leaderPrompt ? <p className="small">{status.leaderPrompt}</p> : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Steps

const DAY_NAMES: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};

/** An RRULE in words, as far as the common ones go ("every Monday", "every 2 weeks"). */
function repeatWords(rule: string | null): string {
  if (!rule) return "";
  const parts = new Map(
    rule
      .replace(/^RRULE:/, "")
      .split(";")
      .map((p) => p.split("=") as [string, string]),
  );
  const every = Number(parts.get("INTERVAL") ?? 1);
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[parts.get("FREQ") ?? ""];
  const byDay = parts.get("BYDAY");
  if (byDay === "MO,TU,WE,TH,FR") return "every weekday";
  if (byDay && every === 1)
    return `every ${byDay
      .split(",")
      .map((d) => DAY_NAMES[d] ?? d)
      .join(" and ")}`;
  if (!unit) return rule;
  return every === 1 ? `every ${unit}` : `every ${every} ${unit}s`;
}

function StepsCard({
  ctx,
  status,
  delegations,
}: {
  ctx: PageCtx;
  status: GoalStatusView;
  delegations: Delegation[];
}) {
  const { plan, allowed } = ctx;
  const delegationOf = new Map(
    delegations.filter((d) => d.stepId !== null).map((d) => [d.stepId as number, d]),
  );
  const change = useChange();
  const [busy, setBusy] = useState<number | null>(null);
  const byPosition = [...plan.steps].sort((a, b) => a.position - b.position || a.id - b.id);
  const open = byPosition.filter((s) => s.status === "todo" || s.status === "doing");
  const closed = byPosition.filter((s) => s.status === "done" || s.status === "dropped");
  const micro = status.mode === "micro-goal";
  const next = status.nextSteps[0];
  const microStep = micro && next && "id" in next ? (plan.steps.find((s) => s.id === next.id) ?? null) : null;

  async function act(stepId: number, fn: () => Promise<unknown>) {
    setBusy(stepId);
    const ok = await change.run(fn);
    setBusy(null);
    if (ok) ctx.reload();
  }

  function move(step: Step, dir: -1 | 1) {
    const i = open.findIndex((s) => s.id === step.id);
    const other = open[i + dir];
    if (!other) return;
    // Positions may tie (or start at 0): give both distinct positions in their new order.
    const [a, b] = dir < 0 ? [step, other] : [other, step];
    const low = Math.max(1, Math.min(step.position, other.position));
    void act(step.id, async () => {
      await api.steps.update(a.id, { position: low });
      await api.steps.update(b.id, { position: low + 1 });
    });
  }

  return (
    <section className="card" aria-labelledby="steps-title">
      <h2 id="steps-title">Steps</h2>
      <BackOnTrack goalId={plan.goal.id} />
      <FormError error={change.error} />
      {micro ? (
        <>
          <MicroGoal
            goalId={plan.goal.id}
            goalTitle={plan.goal.title}
            step={microStep}
            prompt={next && "prompt" in next ? next.prompt : null}
            canComplete={microStep !== null && allowed.completeSteps.includes(microStep.id)}
            canWrite={allowed.edit}
            onChanged={ctx.reload}
          />
          {open.length > (microStep ? 1 : 0) ? (
            <p className="small muted">
              {open.length - (microStep ? 1 : 0)} other open step
              {open.length - (microStep ? 1 : 0) === 1 ? " waits" : "s wait"} until this one is done.
            </p>
          ) : null}
        </>
      ) : open.length === 0 ? (
        <Empty title="No open steps">
          <p>What is one small step you can take this week?</p>
        </Empty>
      ) : (
        <ol className="steps">
          {open.map((s, i) => (
            <StepRow
              key={s.id}
              ctx={ctx}
              step={s}
              first={i === 0}
              last={i === open.length - 1}
              busy={busy}
              delegation={delegationOf.get(s.id)}
              onMove={(dir) => move(s, dir)}
              onDone={() => void act(s.id, () => api.steps.done(s.id))}
            />
          ))}
        </ol>
      )}
      {closed.length > 0 ? (
        <details className="closed-steps">
          <summary>Done and dropped ({closed.length})</summary>
          <ol className="steps">
            {closed.map((s) => (
              <ClosedStep key={s.id} ctx={ctx} step={s} />
            ))}
          </ol>
        </details>
      ) : null}
      {allowed.edit && !micro ? (
        <AddStep goalId={plan.goal.id} keyResults={ctx.plan.keyResults} onAdded={ctx.reload} />
      ) : null}
    </section>
  );
}

function StepRow({
  ctx,
  step: s,
  first,
  last,
  busy,
  delegation,
  onMove,
  onDone,
}: {
  ctx: PageCtx;
  step: Step;
  first: boolean;
  last: boolean;
  busy: number | null;
  delegation: Delegation | undefined;
  onMove: (dir: -1 | 1) => void;
  onDone: () => void;
}) {
  const { allowed, names } = ctx;
  const anchor = useStepAnchor(s.id);
  const [mode, setMode] = useState<"view" | "edit" | "drop" | "delegate">("view");
  const close = (changed: boolean) => {
    setMode("view");
    if (changed) ctx.reload();
  };
  return (
    <li
      className={anchor.targeted ? "step step-target" : "step"}
      id={anchor.id}
      ref={anchor.ref}
      tabIndex={anchor.targeted ? -1 : undefined}
    >
      <div className="step-main">
        <span className="step-text">{s.text}</span>
        <span className="step-meta">
          {s.dueDate ? (
            <span className="tag">By {dueWords(dayInWords(s.dueDate, ctx.tz), s.dueTime)}</span>
          ) : null}
          {s.ownerId !== null && names.has(s.ownerId) ? (
            <span className="tag">{names.get(s.ownerId)}</span>
          ) : null}
          {s.estimateMinutes ? <span className="tag">{s.estimateMinutes} min</span> : null}
          {s.recurrence ? <span className="tag">Repeats {repeatWords(s.recurrence)}</span> : null}
          <StepKeyResult ctx={ctx} step={s} />
          {s.delegationState ? (
            <span className={s.delegationState === "clarification-asked" ? "tag tag-warn" : "tag"}>
              {DELEGATION_WORDS[s.delegationState] ?? s.delegationState}
            </span>
          ) : null}
        </span>
        <DelegationNote delegation={delegation} names={names} me={ctx.me} onChanged={ctx.reload} />
        {mode === "edit" ? <StepEditor ctx={ctx} step={s} onDone={close} /> : null}
        {mode === "drop" ? <StepReasonForm step={s} action="drop" onDone={close} /> : null}
        {mode === "delegate" ? (
          <Delegate step={s} people={ctx.people.filter((p) => p.id !== ctx.me)} onDone={close} />
        ) : null}
      </div>
      {mode === "view" ? (
        <div className="step-actions">
          {allowed.edit ? (
            <>
              <button
                type="button"
                className="button icon"
                aria-label={`Move up: ${s.text}`}
                disabled={first || busy !== null}
                onClick={() => onMove(-1)}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                className="button icon"
                aria-label={`Move down: ${s.text}`}
                disabled={last || busy !== null}
                onClick={() => onMove(1)}
              >
                <span aria-hidden="true">↓</span>
              </button>
              <button
                type="button"
                className="button link small"
                aria-label={`Edit step: ${s.text}`}
                onClick={() => setMode("edit")}
              >
                Edit
              </button>
              <button
                type="button"
                className="button link small"
                aria-label={`Drop step: ${s.text}`}
                onClick={() => setMode("drop")}
              >
                Drop
              </button>
            </>
          ) : null}
          {allowed.delegate && !s.delegationState ? (
            <button
              type="button"
              className="button link small"
              aria-label={`Delegate: ${s.text}`}
              onClick={() => setMode("delegate")}
            >
              Delegate
            </button>
          ) : null}
          {allowed.completeSteps.includes(s.id) ? (
            <button
              type="button"
              className="button secondary small"
              disabled={busy !== null}
              aria-label={`Mark done: ${s.text}`}
              onClick={onDone}
            >
              {busy === s.id ? "Saving…" : "Done"}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function StepEditor({ ctx, step, onDone }: { ctx: PageCtx; step: Step; onDone: (changed: boolean) => void }) {
  const id = useId();
  const change = useChange();
  const repeatNow = repeatWords(step.recurrence);
  const [due, setDue] = useState(step.dueDate ?? "");
  const [repeat, setRepeat] = useState(repeatNow);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const moving = step.dueDate !== null && due !== step.dueDate;
  const repeatChanged = step.recurrence !== null && repeat.trim() !== repeatNow;
  const needsReason = moving || repeatChanged || change.reasonAsked;
  const owners = [{ id: ctx.me, name: "Me" }, ...ctx.people.filter((p) => p.id !== ctx.me)];

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, unknown> = {};
    const text = str(f, "text");
    const owner = str(f, "owner") === "" ? null : Number(str(f, "owner"));
    const dueDate = orNull(str(f, "due"));
    const estimate = str(f, "estimate") === "" ? null : Number(str(f, "estimate"));
    const every = str(f, "every");
    if (text !== step.text) body.text = text;
    if (owner !== step.ownerId) body.ownerId = owner;
    if (dueDate !== step.dueDate) body.dueDate = dueDate;
    const dueTime = timeOf(f);
    if (dueTime !== (step.dueTime ?? null)) body.dueTime = dueTime;
    if (estimate !== step.estimateMinutes) body.estimateMinutes = estimate;
    if (every !== repeatNow) body.every = every === "" ? null : every;
    const kr = str(f, "kr") === "" ? null : Number(str(f, "kr"));
    if (kr !== (step.keyResultId ?? null)) body.keyResultId = kr;
    if (Object.keys(body).length === 0) return onDone(false);
    const reason = str(f, "reason");
    if (reason) body.reason = reason;
    void change.run(() => api.steps.update(step.id, body)).then((ok) => ok && onDone(true));
  }

  return (
    <form className="form edit-form" aria-label={`Edit step: ${step.text}`} onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-text`}>Step</label>
        <input ref={first} id={`${id}-text`} name="text" required maxLength={500} defaultValue={step.text} />
      </div>
      <div className="row-fields">
        <div className="field field-narrow">
          <label htmlFor={`${id}-owner`}>Owner</label>
          <select id={`${id}-owner`} name="owner" defaultValue={step.ownerId ?? ""}>
            <option value="">The goal's owner</option>
            {owners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-due`}>By</label>
          <input
            id={`${id}-due`}
            name="due"
            type="date"
            value={due}
            onChange={(e) => setDue(e.target.value)}
          />
        </div>
        <StepTimeField id={`${id}-time`} defaultValue={step.dueTime} hasDate={due !== ""} />
        <div className="field field-narrow">
          <label htmlFor={`${id}-estimate`}>Minutes it takes</label>
          <input
            id={`${id}-estimate`}
            name="estimate"
            type="number"
            min={1}
            max={100000}
            defaultValue={step.estimateMinutes ?? ""}
          />
        </div>
      </div>
      <KeyResultSelect
        id={`${id}-kr`}
        keyResults={ctx.plan.keyResults}
        defaultValue={step.keyResultId ?? null}
      />
      <div className="field">
        <label htmlFor={`${id}-every`}>Repeats</label>
        <input
          id={`${id}-every`}
          name="every"
          maxLength={200}
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          placeholder="every Monday"
          aria-describedby={`${id}-every-hint`}
        />
        <p className="hint" id={`${id}-every-hint`}>
          In words, such as "every Monday" or "every 2 weeks". Leave empty for a one-off step.
        </p>
      </div>
      {needsReason ? (
        <ReasonField
          id={`${id}-reason`}
          label={moving ? "Why move the date?" : "Why change how it repeats?"}
          focus={change.reasonAsked}
        />
      ) : null}
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button secondary small" disabled={change.busy}>
          Save the step
        </button>
        <button type="button" className="button link small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Drops an open step or re-opens a closed one, with the reason the API needs. */
function StepReasonForm({
  step,
  action,
  onDone,
}: {
  step: Step;
  action: "drop" | "reopen";
  onDone: (changed: boolean) => void;
}) {
  const id = useId();
  const change = useChange();
  const label = action === "drop" ? "Why drop it?" : "Why re-open it?";
  return (
    <form
      className="form edit-form"
      aria-label={`${action === "drop" ? "Drop" : "Re-open"} step: ${step.text}`}
      onSubmit={(e) => {
        e.preventDefault();
        const reason = str(new FormData(e.currentTarget), "reason");
        void change
          .run(() => api.steps.update(step.id, { status: action === "drop" ? "dropped" : "todo", reason }))
          .then((ok) => ok && onDone(true));
      }}
    >
      <ReasonField id={`${id}-reason`} label={label} focus />
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button secondary small" disabled={change.busy}>
          {action === "drop" ? "Drop the step" : "Re-open the step"}
        </button>
        <button type="button" className="button link small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ClosedStep({ ctx, step: s }: { ctx: PageCtx; step: Step }) {
  const [reopening, setReopening] = useState(false);
  const anchor = useStepAnchor(s.id);
  return (
    <li
      className={anchor.targeted ? "step step-done step-target" : "step step-done"}
      id={anchor.id}
      ref={anchor.ref}
      tabIndex={anchor.targeted ? -1 : undefined}
    >
      <div className="step-main">
        <span className="step-text">{s.text}</span>
        <span className="step-meta">
          {s.status === "done" ? (
            <span className="tag tag-good">
              Done {s.doneAt ? dayInWords(s.doneAt.slice(0, 10), ctx.tz) : ""}
            </span>
          ) : (
            <span className="tag">Dropped</span>
          )}
        </span>
        {reopening ? (
          <StepReasonForm
            step={s}
            action="reopen"
            onDone={(changed) => {
              setReopening(false);
              if (changed) ctx.reload();
            }}
          />
        ) : null}
      </div>
      {ctx.allowed.edit && !reopening ? (
        <div className="step-actions">
          <button
            type="button"
            className="button link small"
            aria-label={`Re-open step: ${s.text}`}
            onClick={() => setReopening(true)}
          >
            Re-open
          </button>
        </div>
      ) : null}
    </li>
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
  const who = d.assigneeId === me ? "you" : (names.get(d.assigneeId) ?? "the assignee");
  return (
    <div className="delegation-note small">
      <p>
        Asked of {who}. Done looks like: {d.doneLooksLike}
      </p>
      {d.state === "clarification-asked" && d.question ? (
        <>
          <p>
            <strong>{names.get(d.assigneeId) ?? "They"} asks:</strong> {d.question}
          </p>
          {d.delegatedBy === me ? <AnswerForm delegation={d} onAnswered={onChanged} /> : null}
        </>
      ) : d.answer ? (
        <p>Answer: {d.answer}</p>
      ) : null}
    </div>
  );
}

function Delegate({
  step,
  people,
  onDone,
}: {
  step: Step;
  people: { id: number; name: string }[];
  onDone: (changed: boolean) => void;
}) {
  const id = useId();
  const change = useChange();
  if (people.length === 0)
    return (
      <p className="small muted" role="status">
        Nobody to delegate to yet: invite people to your team first.{" "}
        <button type="button" className="button link small" onClick={() => onDone(false)}>
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
        const cadence = Number(form.get("cadence") ?? 7);
        void change
          .run(() =>
            api.delegations.delegateStep(step.id, {
              assigneeId: Number(form.get("assignee")),
              doneLooksLike: str(form, "done"),
              why: orNull(str(form, "why")),
              dueDate: orNull(str(form, "due")),
              cadenceDays: Number.isFinite(cadence) && cadence > 0 ? cadence : 7,
            }),
          )
          .then((ok) => ok && onDone(true));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-assignee`}>Ask</label>
        <select id={`${id}-assignee`} name="assignee">
          {people.map((p) => (
            <option key={p.id} value={p.id}>
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
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="button secondary small" disabled={change.busy}>
          Send the request
        </button>
        <button type="button" className="button link small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// A step can belong to a key result

/** The key result a step moves, small and muted on its line; nothing for an unlinked step. */
function StepKeyResult({ ctx, step }: { ctx: PageCtx; step: Step }) {
  if (step.keyResultId == null) return null;
  const kr = ctx.plan.keyResults.find((k) => k.id === step.keyResultId);
  if (!kr) return null;
  const short = kr.title.length > 32 ? `${kr.title.slice(0, 31).trimEnd()}…` : kr.title;
  return (
    <span className="muted small step-kr" title={`Key result: ${kr.title}`}>
      Key result: {short}
    </span>
  );
}

/** "Key result": None, or one of the goal's key results that still count. */
function KeyResultSelect({
  id,
  keyResults,
  defaultValue,
}: {
  id: string;
  keyResults: Plan["keyResults"];
  defaultValue: number | null;
}) {
  if (keyResults.length === 0) return null;
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>Key result</label>
      <select id={id} name="kr" defaultValue={defaultValue ?? ""}>
        <option value="">None</option>
        {keyResults.map((k) => (
          <option key={k.id} value={k.id}>
            {k.title}
          </option>
        ))}
      </select>
    </div>
  );
}

function AddStep({
  goalId,
  keyResults,
  onAdded,
}: {
  goalId: number;
  keyResults: Plan["keyResults"];
  onAdded: () => void;
}) {
  const id = useId();
  const change = useChange();
  // The time of day is offered once there is a date, as in the step editor.
  const [due, setDue] = useState("");
  return (
    <form
      className="inline-form add-step"
      aria-label="Add a step"
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const el = e.currentTarget;
        const f = new FormData(el);
        const estimate = str(f, "estimate");
        void change
          .run(() =>
            api.goals.addStep(goalId, {
              text: str(f, "text"),
              dueDate: orNull(str(f, "due")),
              dueTime: timeOf(f),
              estimateMinutes: estimate === "" ? null : Number(estimate),
              keyResultId: str(f, "kr") === "" ? null : Number(str(f, "kr")),
            }),
          )
          .then((ok) => {
            if (ok) {
              el.reset();
              setDue("");
              onAdded();
            }
          });
      }}
    >
      <div className="field field-wide">
        <label htmlFor={`${id}-text`}>Add a step</label>
        <input id={`${id}-text`} name="text" required maxLength={500} />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-due`}>By</label>
        <input id={`${id}-due`} name="due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <StepTimeField id={`${id}-time`} defaultValue={null} hasDate={due !== ""} hint="hidden" />
      <div className="field field-narrow">
        <label htmlFor={`${id}-estimate`}>Minutes</label>
        <input id={`${id}-estimate`} name="estimate" type="number" min={1} max={100000} />
      </div>
      <KeyResultSelect id={`${id}-kr`} keyResults={keyResults} defaultValue={null} />
      <button type="submit" className="button secondary small" disabled={change.busy}>
        Add
      </button>
      <FormError error={change.error} />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Barriers and resources

const LIKELIHOOD_WORDS: Record<string, string> = { low: "Unlikely", medium: "Could happen", high: "Likely" };

function BarriersCard({ ctx }: { ctx: PageCtx }) {
  const { plan, allowed } = ctx;
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="card" aria-labelledby="barriers-title">
      <h2 id="barriers-title">Barriers and Plan B</h2>
      {plan.barriers.length === 0 ? (
        <p className="muted">No obstacles anticipated. What could stop this? Add one with its Plan B.</p>
      ) : (
        <ul className="card-list">
          {plan.barriers.map((b) => (
            <li key={b.id} className={b.status === "hit" ? "barrier barrier-hit" : "barrier"}>
              {editing === b.id ? (
                <BarrierEditor
                  barrier={b}
                  onDone={(changed) => {
                    setEditing(null);
                    if (changed) ctx.reload();
                  }}
                />
              ) : (
                <>
                  <p>
                    <strong>{b.obstacle}</strong>{" "}
                    <span className={b.status === "hit" ? "tag tag-warn" : "tag"}>{b.status}</span>{" "}
                    <span className="tag">{LIKELIHOOD_WORDS[b.likelihood] ?? b.likelihood}</span>
                  </p>
                  <p className="small">Plan B: {b.planB}</p>
                  {allowed.edit ? (
                    <button
                      type="button"
                      className="button link small"
                      aria-label={`Edit barrier: ${b.obstacle}`}
                      onClick={() => setEditing(b.id)}
                    >
                      Edit
                    </button>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {allowed.edit ? <AddBarrier goalId={plan.goal.id} onAdded={ctx.reload} /> : null}
    </section>
  );
}

function BarrierEditor({ barrier: b, onDone }: { barrier: Barrier; onDone: (changed: boolean) => void }) {
  const id = useId();
  const change = useChange();
  const [removing, setRemoving] = useState(false);
  return (
    <form
      className="form edit-form"
      aria-label={`Edit barrier: ${b.obstacle}`}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const reason = orNull(str(f, "reason"));
        if (removing) {
          void change.run(() => goalPageApi.removeBarrier(b.id, { reason })).then((ok) => ok && onDone(true));
          return;
        }
        const body: Record<string, unknown> = {};
        if (str(f, "obstacle") !== b.obstacle) body.obstacle = str(f, "obstacle");
        if (str(f, "planB") !== b.planB) body.planB = str(f, "planB");
        if (str(f, "likelihood") !== b.likelihood) body.likelihood = str(f, "likelihood");
        if (Object.keys(body).length === 0) return onDone(false);
        if (reason) body.reason = reason;
        void change.run(() => goalPageApi.updateBarrier(b.id, body)).then((ok) => ok && onDone(true));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-obstacle`}>Obstacle</label>
        <input id={`${id}-obstacle`} name="obstacle" required maxLength={500} defaultValue={b.obstacle} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-planb`}>Plan B (if …, then I …)</label>
        <textarea id={`${id}-planb`} name="planB" required rows={2} maxLength={1000} defaultValue={b.planB} />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-likelihood`}>How likely</label>
        <select id={`${id}-likelihood`} name="likelihood" defaultValue={b.likelihood}>
          <option value="low">Unlikely</option>
          <option value="medium">Could happen</option>
          <option value="high">Likely</option>
        </select>
      </div>
      <EditOrRemoveFooter
        id={id}
        removing={removing}
        removeLabel="Remove the barrier"
        change={change}
        onRemove={() => setRemoving(true)}
        onCancel={() => onDone(false)}
      />
    </form>
  );
}

function AddBarrier({ goalId, onAdded }: { goalId: number; onAdded: () => void }) {
  const id = useId();
  const change = useChange();
  return (
    <details>
      <summary className="small">Add a barrier with its Plan B</summary>
      <form
        className="form"
        aria-label="Add a barrier"
        onSubmit={(e) => {
          e.preventDefault();
          const el = e.currentTarget;
          const f = new FormData(el);
          void change
            .run(() =>
              api.goals.addBarrier(goalId, {
                obstacle: str(f, "obstacle"),
                planB: str(f, "planB"),
                likelihood: str(f, "likelihood") as Barrier["likelihood"],
              }),
            )
            .then((ok) => {
              if (ok) {
                el.reset();
                onAdded();
              }
            });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-obstacle`}>What could stop it</label>
          <input id={`${id}-obstacle`} name="obstacle" required maxLength={500} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-planb`}>Plan B (if …, then I …)</label>
          <input id={`${id}-planb`} name="planB" required maxLength={1000} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-likelihood`}>How likely</label>
          <select id={`${id}-likelihood`} name="likelihood" defaultValue="medium">
            <option value="low">Unlikely</option>
            <option value="medium">Could happen</option>
            <option value="high">Likely</option>
          </select>
        </div>
        <FormError error={change.error} />
        <button type="submit" className="button secondary small" disabled={change.busy}>
          Add the barrier
        </button>
      </form>
    </details>
  );
}

function ResourcesCard({ ctx }: { ctx: PageCtx }) {
  const { plan, allowed } = ctx;
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="card" aria-labelledby="resources-title">
      <h2 id="resources-title">Resources and people</h2>
      {plan.resources.length === 0 ? (
        <p className="muted">Nobody listed yet. Who or what could move this forward?</p>
      ) : (
        <ul className="card-list">
          {plan.resources.map((r) => (
            <li key={r.id}>
              {editing === r.id ? (
                <ResourceEditor
                  resource={r}
                  onDone={(changed) => {
                    setEditing(null);
                    if (changed) ctx.reload();
                  }}
                />
              ) : (
                <>
                  <strong>{r.name}</strong> <span className="tag">{r.kind}</span>
                  {r.ask ? <p className="small">Ask: {r.ask}</p> : null}
                  {allowed.edit ? (
                    <button
                      type="button"
                      className="button link small"
                      aria-label={`Edit resource: ${r.name}`}
                      onClick={() => setEditing(r.id)}
                    >
                      Edit
                    </button>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {allowed.edit ? <AddResource goalId={plan.goal.id} onAdded={ctx.reload} /> : null}
    </section>
  );
}

const KINDS = ["person", "tool", "system", "playbook", "other"] as const;

function ResourceEditor({ resource: r, onDone }: { resource: Resource; onDone: (changed: boolean) => void }) {
  const id = useId();
  const change = useChange();
  const [removing, setRemoving] = useState(false);
  return (
    <form
      className="form edit-form"
      aria-label={`Edit resource: ${r.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const reason = orNull(str(f, "reason"));
        if (removing) {
          void change
            .run(() => goalPageApi.removeResource(r.id, { reason }))
            .then((ok) => ok && onDone(true));
          return;
        }
        const body: Record<string, unknown> = {};
        if (str(f, "name") !== r.name) body.name = str(f, "name");
        if (str(f, "kind") !== r.kind) body.kind = str(f, "kind");
        if (orNull(str(f, "ask")) !== r.ask) body.ask = orNull(str(f, "ask"));
        if (Object.keys(body).length === 0) return onDone(false);
        if (reason) body.reason = reason;
        void change.run(() => goalPageApi.updateResource(r.id, body)).then((ok) => ok && onDone(true));
      }}
    >
      <div className="row-fields">
        <div className="field">
          <label htmlFor={`${id}-name`}>Who or what</label>
          <input id={`${id}-name`} name="name" required maxLength={200} defaultValue={r.name} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} name="kind" defaultValue={r.kind}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-ask`}>What to ask</label>
        <input id={`${id}-ask`} name="ask" maxLength={1000} defaultValue={r.ask ?? ""} />
      </div>
      <EditOrRemoveFooter
        id={id}
        removing={removing}
        removeLabel="Remove"
        change={change}
        onRemove={() => setRemoving(true)}
        onCancel={() => onDone(false)}
      />
    </form>
  );
}

function AddResource({ goalId, onAdded }: { goalId: number; onAdded: () => void }) {
  const id = useId();
  const change = useChange();
  return (
    <details>
      <summary className="small">Add a person or resource</summary>
      <form
        className="form"
        aria-label="Add a resource"
        onSubmit={(e) => {
          e.preventDefault();
          const el = e.currentTarget;
          const f = new FormData(el);
          void change
            .run(() =>
              api.goals.addResource(goalId, {
                name: str(f, "name"),
                kind: str(f, "kind") as Resource["kind"],
                ask: orNull(str(f, "ask")),
              }),
            )
            .then((ok) => {
              if (ok) {
                el.reset();
                onAdded();
              }
            });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>Who or what</label>
          <input id={`${id}-name`} name="name" required maxLength={200} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} name="kind" defaultValue="person">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ask`}>What to ask (optional)</label>
          <input id={`${id}-ask`} name="ask" maxLength={1000} />
        </div>
        <FormError error={change.error} />
        <button type="submit" className="button secondary small" disabled={change.busy}>
          Add
        </button>
      </form>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// Check-ins with their feedback

const CONFIDENCE_WORDS: Record<string, string> = {
  "on-track": "On track",
  "at-risk": "At risk",
  "off-track": "Off track",
};

type FeedbackOf = GoalPageData["feedback"][number];

function CheckinsCard({ ctx, feedback }: { ctx: PageCtx; feedback: FeedbackOf[] }) {
  const { plan, names } = ctx;
  const krTitle = new Map(plan.keyResults.map((k) => [k.id, k.title]));
  const obstacle = new Map(plan.barriers.map((b) => [b.id, b.obstacle]));
  const fb = new Map(feedback.map((f) => [f.checkinId, f]));
  const [all, setAll] = useState(false);
  const newest = [...plan.checkins].reverse();
  const shown = all ? newest : newest.slice(0, CHECKINS_SHOWN);
  return (
    <section className="card" aria-labelledby="checkins-title">
      <h2 id="checkins-title">Check-ins</h2>
      {newest.length === 0 ? (
        <p className="muted">
          No check-ins yet.{" "}
          {ctx.allowed.checkIn ? <Link to={`/goals/${plan.goal.id}/check-in`}>Check in</Link> : null}
          {ctx.allowed.checkIn ? " to start the history." : ""}
        </p>
      ) : (
        <ol className="timeline">
          {shown.map((c) => (
            <li key={c.id}>
              <p>
                <strong>{dayInWords(c.date, ctx.tz)}</strong>
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
                  Obstacles hit: {c.barriersHit.map((b) => obstacle.get(b) ?? "a removed barrier").join(", ")}
                </p>
              ) : null}
              <FeedbackBlock
                ctx={ctx}
                checkinId={c.id}
                initial={fb.get(c.id) ?? { checkinId: c.id, comments: [], kudos: [] }}
              />
            </li>
          ))}
        </ol>
      )}
      {newest.length > shown.length ? (
        <button type="button" className="button link small" onClick={() => setAll(true)}>
          Show all {newest.length} check-ins
        </button>
      ) : null}
    </section>
  );
}

/** How many check-ins show before "Show all". */
const CHECKINS_SHOWN = 10;

function FeedbackBlock({
  ctx,
  checkinId,
  initial,
}: {
  ctx: PageCtx;
  checkinId: number;
  initial: FeedbackOf;
}) {
  const [fb, setFb] = useState<FeedbackOf>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const id = useId();
  const mine = fb.kudos.includes(ctx.me);
  const fromApi = (f: { comments: FeedbackOf["comments"]; kudos: number[] }) =>
    setFb({ checkinId, comments: f.comments, kudos: f.kudos });
  return (
    <div className="feedback">
      {ctx.allowed.kudos ? (
        <button
          type="button"
          className="button link small"
          aria-pressed={mine}
          disabled={mine}
          onClick={() =>
            api.checkins
              .kudos(checkinId)
              .then(fromApi)
              .catch((e: unknown) => setError(asApiError(e)))
          }
        >
          {mine ? "You gave kudos" : "Give kudos"} ({fb.kudos.length})
        </button>
      ) : (
        <span className="small muted">Kudos: {fb.kudos.length}</span>
      )}
      {fb.comments.length > 0 ? (
        <ul className="comments">
          {fb.comments.map((c) => (
            <li key={c.id} className="small">
              <strong>{ctx.names.get(c.authorId) ?? "Someone"}</strong>{" "}
              <span className="muted">{whenInWords(c.createdAt, ctx.tz)}</span>: {c.body}
            </li>
          ))}
        </ul>
      ) : null}
      {ctx.allowed.comment ? (
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
                  fromApi(f);
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
      ) : null}
      <FormError error={error} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// History

const FIELD_WORDS: Record<string, string> = {
  dueDate: "due date",
  priority: "priority",
  status: "status",
  targetValue: "target",
  currentValue: "current value",
  title: "title",
  why: "why",
  successLooksLike: "what success looks like",
  visibility: "who can see it",
  teamId: "team",
  parentId: "parent goal",
  recurrence: "repeat",
  obstacle: "obstacle",
  planB: "Plan B",
  likelihood: "likelihood",
  name: "name",
  ask: "ask",
  kind: "kind",
  removed: "removed",
  unit: "unit",
  retired: "retired",
  values: "values",
  cadenceDays: "check-in cadence (days)",
  startDate: "start date",
  archived: "place",
  estimateMinutes: "estimate",
  ownerId: "owner",
  text: "text",
  // issue 18 (krlink18)
  keyResultId: "key result",
};

const ENTITY_WORDS: Record<string, string> = {
  goal: "the goal",
  key_result: "a key result",
  step: "a step",
  barrier: "a barrier",
  resource: "a resource",
};

/** A stored value in words for the history: days as days, repeats in words, nothing as "nothing". */
function valueWords(field: string, v: string | null, ctx: PageCtx): string {
  if (v === null || v === "") return "nothing";
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return dayInWords(v, ctx.tz);
  if (field === "recurrence") return repeatWords(v);
  if (field === "parentId") return "another goal";
  if (field === "teamId") return "a team";
  if (field === "removed") return "it was there";
  if (field === "retired") return v === "true" ? "retired" : "counting";
  if (field === "archived") return v === "true" ? "the archive" : "the goals list";
  if (field === "ownerId") return ctx.names.get(Number(v)) ?? "someone";
  if (field === "estimateMinutes") return `${v} minutes`;
  // issue 18 (krlink18): the key result by its title (a retired one is no longer in the plan's list)
  if (field === "keyResultId")
    return ctx.plan.keyResults.find((k) => String(k.id) === v)?.title ?? "a retired key result";
  return v.length > 80 ? `${v.slice(0, 77)}…` : v;
}

/** The fields a restore may set back through its part's PATCH, by part. */
const RESTORABLE: Record<string, ReadonlySet<string>> = {
  goal: new Set([
    "title",
    "why",
    "successLooksLike",
    "dueDate",
    "startDate",
    "priority",
    "visibility",
    "teamId",
    "parentId",
    "cadenceDays",
  ]),
  key_result: new Set(["title", "unit", "targetValue", "dueDate"]),
  step: new Set(["text", "dueDate", "ownerId", "estimateMinutes", "recurrence"]),
};
/** Fields the history keeps as text whose PATCH takes a number. */
const NUMERIC = new Set(["teamId", "parentId", "cadenceDays", "targetValue", "estimateMinutes", "ownerId"]);
/** Fields that can't be set back to nothing. */
const REQUIRED = new Set([
  "title",
  "text",
  "targetValue",
  "startDate",
  "cadenceDays",
  "priority",
  "visibility",
]);

/** The PATCH that sets a change back to its old value, or null when none does. */
function restoreOf(h: ChangeRecord, ctx: PageCtx): ((reason: string) => Promise<unknown>) | null {
  const old = h.oldValue;
  if (!RESTORABLE[h.entity]?.has(h.field) || (old === null && REQUIRED.has(h.field))) return null;
  const value = old !== null && NUMERIC.has(h.field) ? Number(old) : old;
  if (h.entity === "goal") return (reason) => api.goals.update(h.goalId, { [h.field]: value, reason });
  if (h.entity === "key_result") {
    const kr = ctx.plan.keyResults.find((k) => k.id === h.entityId);
    if (!kr) return null;
    return (reason) => api.goals.updateKeyResult(h.goalId, h.entityId, { [h.field]: value, reason });
  }
  const step = ctx.plan.steps.find((s) => s.id === h.entityId);
  if (!step || step.status === "done" || step.status === "dropped") return null;
  return (reason) => api.steps.update(h.entityId, { [h.field]: value, reason });
}

function HistoryCard({ ctx, history }: { ctx: PageCtx; history: ChangeRecord[] }) {
  const steps = new Map(ctx.plan.steps.map((s) => [s.id, s.text]));
  const krs = new Map(ctx.plan.keyResults.map((k) => [k.id, k.title]));
  const what = (h: ChangeRecord) =>
    h.entity === "step"
      ? `step "${steps.get(h.entityId) ?? "a step"}"`
      : h.entity === "key_result"
        ? `key result "${krs.get(h.entityId) ?? "a key result"}"`
        : (ENTITY_WORDS[h.entity] ?? h.entity);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Changes and reasons</h2>
      {history.length === 0 ? (
        <p className="muted">
          No changes yet. Moving a date, changing the priority or a target asks for a reason, kept here.
        </p>
      ) : (
        <ol className="timeline history">
          {[...history].reverse().map((h) => (
            <HistoryEntry key={h.id} ctx={ctx} h={h} what={what(h)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryEntry({ ctx, h, what }: { ctx: PageCtx; h: ChangeRecord; what: string }) {
  const id = useId();
  const [restoring, setRestoring] = useState(false);
  const change = useChange();
  const restore = ctx.allowed.edit ? restoreOf(h, ctx) : null;
  const who = h.userId === ctx.me ? "You" : (ctx.names.get(h.userId) ?? "Someone");
  return (
    <li>
      <p>
        <strong>{who}</strong> changed the {FIELD_WORDS[h.field] ?? h.field} of {what}{" "}
        <span className="muted small">· {whenInWords(h.createdAt, ctx.tz)}</span>
      </p>
      <p className="history-diff">
        <span className="visually-hidden">from </span>
        <del>{valueWords(h.field, h.oldValue, ctx)}</del> <span aria-hidden="true">→</span>{" "}
        <span className="visually-hidden">to </span>
        <ins>{valueWords(h.field, h.newValue, ctx)}</ins>
      </p>
      {h.reason ? <p className="small">Because: {h.reason}</p> : null}
      {restore && !restoring ? (
        <button
          type="button"
          className="button link small"
          aria-label={`Restore the ${FIELD_WORDS[h.field] ?? h.field} to ${valueWords(h.field, h.oldValue, ctx)}`}
          onClick={() => setRestoring(true)}
        >
          Restore
        </button>
      ) : null}
      {restore && restoring ? (
        <form
          className="form edit-form"
          aria-label="Restore the earlier value"
          onSubmit={(e) => {
            e.preventDefault();
            const reason = str(new FormData(e.currentTarget), "reason");
            void change.run(() => restore(reason)).then((ok) => ok && ctx.reload());
          }}
        >
          <ReasonField id={`${id}-reason`} label="Why restore it?" focus />
          <FormError error={change.error} />
          <div className="actions">
            <button type="submit" className="button secondary small" disabled={change.busy}>
              Restore {valueWords(h.field, h.oldValue, ctx)}
            </button>
            <button type="button" className="button link small" onClick={() => setRestoring(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
