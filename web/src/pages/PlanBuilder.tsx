/**
 * The plan builder: a pause first (what success looks like, likely roadblocks, who can help), then
 * the four moves — why and values; the goal and its key results; micro-steps; resources and
 * people; barriers with Plan B. The coach reads the goal and every step as they are typed
 * (debounced) and the plan score rises as its findings are fixed.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, api, type Finding, type LintItem, type ResourceKind } from "../api/client.js";
import { useSession } from "../api/session.js";
import { Findings } from "../components/Findings.js";
import { usePageTitle } from "../components/Layout.js";
import { RowList } from "../components/RowList.js";
import { ErrorNotice } from "../components/States.js";
import { todayIso } from "../lib/dates.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

interface KrRow {
  key: number;
  title: string;
  from: string;
  to: string;
  unit: string;
}
interface StepRow {
  key: number;
  text: string;
  dueDate: string;
  estimate: string;
}
interface ResourceRow {
  key: number;
  kind: ResourceKind;
  name: string;
  ask: string;
}
interface BarrierRow {
  key: number;
  obstacle: string;
  planB: string;
  likelihood: "low" | "medium" | "high";
}

let nextKey = 1;
const key = () => nextKey++;
const blankKr = (): KrRow => ({ key: key(), title: "", from: "", to: "", unit: "" });
const blankStep = (): StepRow => ({ key: key(), text: "", dueDate: "", estimate: "" });
const blankResource = (name = ""): ResourceRow => ({ key: key(), kind: "person", name, ask: "" });
const blankBarrier = (obstacle = ""): BarrierRow => ({
  key: key(),
  obstacle,
  planB: "",
  likelihood: "medium",
});

/** Findings the form's own fields already answer (the lint endpoint only sees the text). */
function relevantGoalFindings(findings: Finding[], hasKr: boolean, hasDue: boolean): Finding[] {
  return findings.filter(
    (f) => !(f.code === "not-measurable" && hasKr) && !(f.code === "no-due-date" && hasDue),
  );
}
function relevantStepFindings(findings: Finding[], hasDue: boolean): Finding[] {
  return findings.filter((f) => !(f.code === "no-due-date" && hasDue) && f.code !== "no-owner");
}

type CoachState =
  | { state: "idle" | "checking" }
  | { state: "ready"; goal: LintItem | null; steps: Map<string, LintItem> }
  | { state: "unavailable" }
  | { state: "error"; error: ApiError };

/** Reads the goal and steps with the coach, 500 ms after typing stops. */
function useCoach(title: string, stepTexts: string[]): CoachState {
  const [coach, setCoach] = useState<CoachState>({ state: "idle" });
  const stepsKey = stepTexts.join("\u0001");
  useEffect(() => {
    const texts = stepsKey.split("\u0001").filter((t) => t.trim() !== "");
    if (title.trim() === "" && texts.length === 0) {
      setCoach({ state: "idle" });
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      setCoach((c) => (c.state === "ready" ? c : { state: "checking" }));
      try {
        const now = todayIso();
        const [goal, steps] = await Promise.all([
          title.trim() ? api.coach.lint({ texts: [title], as: "goal", now }, ctl.signal) : null,
          texts.length ? api.coach.lint({ texts, as: "step", now }, ctl.signal) : null,
        ]);
        const map = new Map<string, LintItem>();
        for (const [i, item] of (steps?.items ?? []).entries()) map.set(texts[i] ?? item.text, item);
        setCoach({ state: "ready", goal: goal?.items[0] ?? null, steps: map });
      } catch (e) {
        if (e instanceof DOMException && e.name === "AbortError") return;
        if (e instanceof ApiError && e.missing) setCoach({ state: "unavailable" });
        else setCoach({ state: "error", error: asApiError(e) });
      }
    }, 500);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [title, stepsKey]);
  return coach;
}

function lines(s: string): string[] {
  return s
    .split("\n")
    .map((l) => l.replace(/^[-*•]\s*/, "").trim())
    .filter(Boolean);
}

/** The plan builder page. */
export default function PlanBuilderPage() {
  usePageTitle("Plan builder");
  const navigate = useNavigate();
  const id = useId();
  const [success, setSuccess] = useState("");
  const [roadblocks, setRoadblocks] = useState("");
  const [helpers, setHelpers] = useState("");
  const [why, setWhy] = useState("");
  const [values, setValues] = useState("");
  const [title, setTitle] = useState("");
  const [dueDate, setDueDate] = useState("");
  const { session } = useSession();
  const [visibility, setVisibility] = useState("private");
  const [parentId, setParentId] = useState("");
  const objectives = useLoad(() => api.goals.list({ status: "active", limit: 200 }).then((p) => p.items), []);
  const [krs, setKrs] = useState<KrRow[]>(() => [blankKr()]);
  const [steps, setSteps] = useState<StepRow[]>(() => [blankStep()]);
  const [resources, setResources] = useState<ResourceRow[]>([]);
  const [barriers, setBarriers] = useState<BarrierRow[]>([]);
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [savedGoalId, setSavedGoalId] = useState<number | null>(null);
  // The pieces already stored, so "Save the rest of the plan" after a failure never stores one twice.
  const savedPieces = useRef(new WeakSet<object>());

  const stepTexts = steps.map((s) => s.text);
  const coach = useCoach(title, stepTexts);
  const filledKrs = krs.filter((k) => k.title.trim() && k.from !== "" && k.to !== "");
  const filledSteps = steps.filter((s) => s.text.trim());
  const filledResources = resources.filter((r) => r.name.trim());
  const filledBarriers = barriers.filter((b) => b.obstacle.trim() && b.planB.trim());

  const goalFindings =
    coach.state === "ready" && coach.goal
      ? relevantGoalFindings(coach.goal.findings, filledKrs.length > 0, dueDate !== "")
      : [];
  const stepFindings = (s: StepRow) =>
    coach.state === "ready"
      ? relevantStepFindings(coach.steps.get(s.text)?.findings ?? [], s.dueDate !== "")
      : [];

  // The checklist: what a complete plan has, plus the coach's verdict when the coach is available.
  const checks: { label: string; ok: boolean }[] = [
    { label: "Success is described", ok: success.trim() !== "" },
    { label: "The goal has a why", ok: why.trim() !== "" },
    { label: "A key result from X to Y", ok: filledKrs.length > 0 },
    { label: "A due date", ok: dueDate !== "" },
    { label: "At least one micro-step", ok: filledSteps.length > 0 },
    { label: "Someone or something that helps", ok: filledResources.length > 0 },
    { label: "An obstacle with its Plan B", ok: filledBarriers.length > 0 },
  ];
  if (coach.state === "ready") {
    checks.push({
      label: "The coach is happy with the goal",
      ok: title.trim() !== "" && goalFindings.length === 0,
    });
    checks.push({
      label: "The coach is happy with every step",
      ok: filledSteps.length > 0 && filledSteps.every((s) => stepFindings(s).length === 0),
    });
  }
  const score = Math.round((100 * checks.filter((c) => c.ok).length) / checks.length);

  async function save() {
    setError(null);
    if (!title.trim()) {
      setError(new ApiError(400, "title_required", "The goal needs a title. Write it in move 2."));
      return;
    }
    try {
      let goalId = savedGoalId;
      if (goalId === null) {
        setSaving("Saving the goal");
        const goal = await api.goals.create({
          title,
          why: why || null,
          values: values
            .split(",")
            .map((v) => v.trim())
            .filter(Boolean),
          dueDate: dueDate || null,
          successLooksLike: success || null,
          ...(visibility.startsWith("team:")
            ? { visibility: "team" as const, teamId: Number(visibility.slice(5)) }
            : { visibility: visibility === "workspace" ? ("workspace" as const) : ("private" as const) }),
          ...(parentId ? { parentId: Number(parentId) } : {}),
        });
        goalId = goal.id;
        setSavedGoalId(goal.id);
      }
      const forGoal = goalId;
      // Each piece once: after a failure, "Save the rest of the plan" skips what is already stored.
      const saveEach = async <T extends object>(
        what: string,
        rows: T[],
        add: (row: T) => Promise<unknown>,
      ) => {
        setSaving(what);
        for (const row of rows) {
          if (savedPieces.current.has(row)) continue;
          await add(row);
          savedPieces.current.add(row);
        }
      };
      await saveEach("Saving key results", filledKrs, (k) =>
        api.goals.addKeyResult(forGoal, {
          title: k.title,
          startValue: Number(k.from),
          targetValue: Number(k.to),
          unit: k.unit || null,
        }),
      );
      await saveEach("Saving steps", filledSteps, (st) =>
        api.goals.addStep(forGoal, {
          text: st.text,
          dueDate: st.dueDate || null,
          estimateMinutes: st.estimate ? Number(st.estimate) : null,
        }),
      );
      await saveEach("Saving resources", filledResources, (r) =>
        api.goals.addResource(forGoal, { kind: r.kind, name: r.name, ask: r.ask || null }),
      );
      await saveEach("Saving barriers", filledBarriers, (b) =>
        api.goals.addBarrier(forGoal, { obstacle: b.obstacle, planB: b.planB, likelihood: b.likelihood }),
      );
      navigate(`/goals/${goalId}`);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(null);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>Build a plan</h1>
        <p className="muted">Pause first. Then the four moves. The coach reads along as you type.</p>
      </div>
      <div className="builder">
        <form
          className="stack builder-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Move n={0} title="Pause before acting">
            <TextArea
              label="What does success look like?"
              value={success}
              onChange={setSuccess}
              hint="Picture the day it is done: what is true then?"
            />
            <TextArea
              label="Likely roadblocks"
              value={roadblocks}
              onChange={setRoadblocks}
              hint="One per line."
            />
            <TextArea
              label="Who can help?"
              value={helpers}
              onChange={setHelpers}
              hint="One person or tool per line."
            />
          </Move>

          <Move n={1} title="Root it in values">
            <TextArea
              label="Why does this matter?"
              value={why}
              onChange={setWhy}
              hint="The value it serves, the context, who benefits."
            />
            <TextInput
              label="Values it serves"
              value={values}
              onChange={setValues}
              hint="Separate with commas, e.g. growth, craft."
            />
          </Move>

          <Move n={2} title="The goal and its key results">
            <TextInput
              label="Goal"
              value={title}
              onChange={setTitle}
              required
              findings={goalFindings}
              placeholder="Grow the newsletter from 1,200 to 2,000 subscribers"
            />
            <TextInput label="Due date" type="date" value={dueDate} onChange={setDueDate} />
            <div className="row-fields">
              <Choice
                label="Who can see it"
                value={visibility}
                onChange={setVisibility}
                options={[
                  { value: "private", label: "Only me (and people I share it with)" },
                  ...(session?.teams ?? []).map((t) => ({
                    value: `team:${t.id}`,
                    label: `My team: ${t.name}`,
                  })),
                  { value: "workspace", label: "Everyone in the workspace" },
                ]}
              />
              <Choice
                label="Serves the objective"
                value={parentId}
                onChange={setParentId}
                options={[
                  { value: "", label: "None yet" },
                  ...(objectives.data ?? []).map((g) => ({ value: String(g.id), label: g.title })),
                ]}
              />
            </div>
            <h3 className="subhead">Key results</h3>
            <RowList
              rows={krs}
              onChange={setKrs}
              blank={blankKr}
              addLabel="Add a key result"
              removeLabel={(n) => `Remove key result ${n}`}
              fields={(k, set, n) => (
                <>
                  <TextInput
                    label={`Key result ${n}`}
                    value={k.title}
                    onChange={(title) => set({ title })}
                    placeholder="Subscribers"
                  />
                  <TextInput
                    label="From"
                    type="number"
                    value={k.from}
                    onChange={(from) => set({ from })}
                    narrow
                  />
                  <TextInput label="To" type="number" value={k.to} onChange={(to) => set({ to })} narrow />
                  <TextInput label="Unit" value={k.unit} onChange={(unit) => set({ unit })} narrow />
                </>
              )}
            />
          </Move>

          <Move n={3} title="Micro-steps">
            <p className="hint">
              Concrete actions, each small enough for one sitting. What is one small step you can take this
              week?
            </p>
            <RowList
              rows={steps}
              onChange={setSteps}
              blank={blankStep}
              addLabel="Add a step"
              removeLabel={(n) => `Remove step ${n}`}
              fields={(st, set, n) => (
                <>
                  <TextInput
                    label={`Step ${n}`}
                    value={st.text}
                    onChange={(text) => set({ text })}
                    findings={stepFindings(st)}
                    placeholder="Email Raj the sponsorship deck"
                    wide
                  />
                  <TextInput
                    label="By"
                    type="date"
                    value={st.dueDate}
                    onChange={(dueDate) => set({ dueDate })}
                    narrow
                  />
                  <TextInput
                    label="Minutes"
                    type="number"
                    value={st.estimate}
                    onChange={(estimate) => set({ estimate })}
                    narrow
                  />
                </>
              )}
            />
          </Move>

          <Move n={4} title="Resources and people">
            <RowList
              rows={resources}
              onChange={setResources}
              blank={blankResource}
              fillFrom={{ label: "Use the helpers from the pause", lines: lines(helpers) }}
              addLabel="Add a person or tool"
              removeLabel={(n) => `Remove resource ${n}`}
              fields={(r, set, n) => (
                <>
                  <SelectInput
                    label="Kind"
                    value={r.kind}
                    options={["person", "tool", "system", "playbook", "other"]}
                    onChange={(kind) => set({ kind: kind as ResourceKind })}
                  />
                  <TextInput label={`Who or what ${n}`} value={r.name} onChange={(name) => set({ name })} />
                  <TextInput label="What to ask" value={r.ask} onChange={(ask) => set({ ask })} wide />
                </>
              )}
            />
          </Move>

          <Move n={5} title="Barriers and Plan B">
            <RowList
              rows={barriers}
              onChange={setBarriers}
              blank={blankBarrier}
              fillFrom={{ label: "Use the roadblocks from the pause", lines: lines(roadblocks) }}
              addLabel="Add an obstacle"
              removeLabel={(n) => `Remove obstacle ${n}`}
              fields={(b, set, n) => (
                <>
                  <TextInput
                    label={`Obstacle ${n}`}
                    value={b.obstacle}
                    onChange={(obstacle) => set({ obstacle })}
                  />
                  <TextInput
                    label="Plan B (if … then …)"
                    value={b.planB}
                    onChange={(planB) => set({ planB })}
                    placeholder="If the approval slips past Friday, then I ask Dana to sign"
                    wide
                  />
                  <SelectInput
                    label="Likelihood"
                    value={b.likelihood}
                    options={["low", "medium", "high"]}
                    onChange={(likelihood) => set({ likelihood: likelihood as BarrierRow["likelihood"] })}
                  />
                </>
              )}
            />
          </Move>

          {error ? (
            <ErrorNotice
              error={error}
              title={
                savedGoalId ? "The goal was saved, but part of the plan was not" : "The plan was not saved"
              }
            />
          ) : null}
          <div className="actions">
            <button type="submit" className="button primary" disabled={saving !== null}>
              {saving ? `${saving}…` : savedGoalId ? "Save the rest of the plan" : "Save the plan"}
            </button>
          </div>
        </form>

        <aside className="builder-aside" aria-label="Plan quality">
          <div className="card">
            <h2>Plan score</h2>
            <div className="score">
              <span className="score-number" data-testid="plan-score">
                {score}
              </span>
              <span className="muted">/ 100</span>
            </div>
            <meter
              className="score-meter"
              min={0}
              max={100}
              low={50}
              high={80}
              optimum={100}
              value={score}
              aria-label="Plan score"
            >
              {score}
            </meter>
            <ul className="checklist">
              {checks.map((c) => (
                <li key={c.label} className={c.ok ? "ok" : "todo"}>
                  <span aria-hidden="true">{c.ok ? "✓" : "○"}</span> {c.label}
                  <span className="visually-hidden">{c.ok ? " (done)" : " (to do)"}</span>
                </li>
              ))}
            </ul>
            <h3 className="subhead">Coach</h3>
            <div className="coach-status" aria-live="polite" data-coach-state={coach.state}>
              {coach.state === "idle" ? (
                <p className="muted small">Start typing the goal or a step.</p>
              ) : null}
              {coach.state === "checking" ? <p className="muted small">Reading…</p> : null}
              {coach.state === "unavailable" ? (
                <p className="muted small" data-testid="coach-unavailable">
                  The coach is not available on this server yet. The checklist still scores the plan.
                </p>
              ) : null}
              {coach.state === "error" ? (
                <p className="inline-error">The coach failed: {coach.error.message}</p>
              ) : null}
              {coach.state === "ready" ? (
                <p className="small" data-testid="coach-count">
                  {countFindings(goalFindings, filledSteps.map(stepFindings))}
                </p>
              ) : null}
            </div>
          </div>
        </aside>
      </div>
    </section>
  );
}

function countFindings(goal: Finding[], steps: Finding[][]): string {
  const n = goal.length + steps.reduce((a, s) => a + s.length, 0);
  return n === 0
    ? "No findings: the plan reads well."
    : `${n} finding${n === 1 ? "" : "s"} to look at, shown under the fields.`;
}

function TextInput({
  label,
  value,
  onChange,
  type = "text",
  hint,
  placeholder,
  required,
  findings,
  narrow,
  wide,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: "text" | "date" | "number";
  hint?: string;
  placeholder?: string;
  required?: boolean;
  findings?: Finding[];
  narrow?: boolean;
  wide?: boolean;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", findings ? `${id}-findings` : ""].filter(Boolean).join(" ");
  return (
    <div className={`field${narrow ? " field-narrow" : ""}${wide ? " field-wide" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        required={required}
        placeholder={placeholder}
        step={type === "number" ? "any" : undefined}
        aria-describedby={describedBy || undefined}
        aria-invalid={findings && findings.length > 0 ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {findings ? <Findings id={`${id}-findings`} findings={findings} /> : null}
    </div>
  );
}

function TextArea({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function SelectInput({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One move of the plan: a numbered card of fields. */
function Move({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <fieldset className="card move">
      <legend>
        <span className="move-number">{n}</span>
        {` ${title}`}
      </legend>
      {children}
    </fieldset>
  );
}
