/**
 * The plan builder: a pause first (what success looks like, likely roadblocks, who can help), then
 * the four moves — why and values; the goal and its key results; micro-steps with their owners;
 * resources and people; barriers with Plan B. The coach reads the goal and every step as they are
 * typed (debounced) and the plan score rises as its findings are fixed.
 *
 * The pause's roadblocks and helpers become the first barriers and resources as they are typed.
 * The draft is kept in this browser (localStorage) and offered back when the person returns. Only
 * "Save the plan" saves (Enter in a field never does), with one request: POST /api/plans, one
 * transaction on the server, so a refusal stores nothing and everything typed stays here.
 *
 * At /goals/:id/finish it is the editor of an unfinished plan (an imported goal, say): the goal's
 * fields are prefilled, its parts listed, and saving sends only the changes and the new parts
 * (POST /api/goals/{id}/plan, one transaction too).
 */
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { achievableAndRelevant } from "../../../src/core/coach/smart.js";
import {
  ApiError,
  api,
  type Finding,
  type LintItem,
  type Plan,
  plansApi,
  type ResourceKind,
} from "../api/client.js";
import { useSession } from "../api/session.js";
import { Findings } from "../components/Findings.js";
import { usePageTitle } from "../components/Layout.js";
import { RowList } from "../components/RowList.js";
import { ErrorNotice, Loading } from "../components/States.js";
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
  /** The owner's user id; "" for the person making the plan. */
  ownerId: string;
  /**
   * The key result it serves (issue 18): "new:KEY" for a key result typed above, "id:ID" for one
   * the goal already has, "" (or missing, in an older draft) for none.
   */
  kr?: string;
}
interface ResourceRow {
  key: number;
  kind: ResourceKind;
  name: string;
  ask: string;
  /** Made from a line of the pause's "Who can help?", and kept in step with it until edited. */
  fromPause?: boolean;
}
interface BarrierRow {
  key: number;
  obstacle: string;
  planB: string;
  likelihood: "low" | "medium" | "high";
  /** Made from a line of the pause's "Likely roadblocks", and kept in step with it until edited. */
  fromPause?: boolean;
}

type Priority = "low" | "medium" | "high" | "critical";

/** Everything the builder holds: what is saved, and what the draft keeps. */
interface Form {
  success: string;
  roadblocks: string;
  helpers: string;
  why: string;
  values: string;
  title: string;
  dueDate: string;
  priority: Priority;
  /** "private", "workspace" or "team:<id>". */
  visibility: string;
  parentId: string;
  /** Finishing a plan: why the due date or priority changes (the history keeps it). */
  reason: string;
  krs: KrRow[];
  steps: StepRow[];
  resources: ResourceRow[];
  barriers: BarrierRow[];
}

let nextKey = 1;
const key = () => nextKey++;
const blankKr = (): KrRow => ({ key: key(), title: "", from: "", to: "", unit: "" });
const blankStep = (): StepRow => ({ key: key(), text: "", dueDate: "", estimate: "", ownerId: "", kr: "" });
const blankResource = (name = ""): ResourceRow => ({ key: key(), kind: "person", name, ask: "" });
const blankBarrier = (obstacle = ""): BarrierRow => ({
  key: key(),
  obstacle,
  planB: "",
  likelihood: "medium",
});

function blankForm(): Form {
  return {
    success: "",
    roadblocks: "",
    helpers: "",
    why: "",
    values: "",
    title: "",
    dueDate: "",
    priority: "medium",
    visibility: "private",
    parentId: "",
    reason: "",
    krs: [blankKr()],
    steps: [blankStep()],
    resources: [],
    barriers: [],
  };
}

function visibilityOf(goal: Plan["goal"]): string {
  return goal.visibility === "team" && goal.teamId !== null ? `team:${goal.teamId}` : goal.visibility;
}

/** The builder prefilled with what a goal already has; its parts are listed, new ones are added. */
function formOf(plan: Plan): Form {
  const g = plan.goal;
  return {
    ...blankForm(),
    success: g.successLooksLike ?? "",
    why: g.why ?? "",
    values: g.values.join(", "),
    title: g.title,
    dueDate: g.dueDate ?? "",
    priority: g.priority,
    visibility: visibilityOf(g),
    parentId: g.parentId === null ? "" : String(g.parentId),
    krs: plan.keyResults.length === 0 ? [blankKr()] : [],
  };
}

/** The form's content without the rows' keys, to tell a form that holds something from a blank one. */
function contentOf(form: Form): string {
  return JSON.stringify(form, (k, v) => (k === "key" ? undefined : v));
}

/**
 * Rows kept in step with the lines of a pause answer: one row a line (first), then the rows the
 * person added or edited. A row made from a line keeps what else was typed in it.
 */
function syncFromPause<T extends { key: number; fromPause?: boolean }>(
  rows: T[],
  ls: string[],
  make: (line: string) => T,
  withLine: (row: T, line: string) => T,
): T[] {
  const fromPause = rows.filter((r) => r.fromPause);
  const own = rows.filter((r) => !r.fromPause);
  const made = ls.map((line, i) => {
    const old = fromPause[i];
    return old ? withLine(old, line) : { ...make(line), fromPause: true };
  });
  return [...made, ...own];
}

/** A draft kept in this browser. */
interface Draft {
  savedAt: string;
  form: Form;
}

function readDraft(storageKey: string): Draft | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft;
    if (typeof d.savedAt !== "string" || typeof d.form !== "object" || d.form === null) return null;
    // Rows restored keep their keys; new ones must not reuse them.
    const keys = [...d.form.krs, ...d.form.steps, ...d.form.resources, ...d.form.barriers].map((r) => r.key);
    nextKey = Math.max(nextKey, ...keys.map((k) => k + 1));
    return { savedAt: d.savedAt, form: { ...blankForm(), ...d.form } };
  } catch {
    return null;
  }
}

/** When a draft was kept, in words: "today at 14:05", or "Friday 3 December at 14:05". */
function whenKept(iso: string): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (d.toDateString() === new Date().toDateString()) return `today at ${time}`;
  return `${d.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" })} at ${time}`;
}

/** Enter in a one-line field moves on; it never submits the plan (only the Save button does). */
function keepEnterFromSubmitting(e: KeyboardEvent<HTMLFormElement>) {
  const t = e.target;
  if (e.key === "Enter" && t instanceof HTMLInputElement && !["submit", "button"].includes(t.type)) {
    e.preventDefault();
  }
}

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
  | { state: "ready"; goal: LintItem | null; steps: Map<string, LintItem>; planBs: Map<string, LintItem> }
  | { state: "unavailable" }
  | { state: "error"; error: ApiError };

/** Reads the goal, steps and Plan Bs with the coach, 500 ms after typing stops. */
function useCoach(title: string, stepTexts: string[], planBTexts: string[]): CoachState {
  const [coach, setCoach] = useState<CoachState>({ state: "idle" });
  const stepsKey = stepTexts.join("\u0001");
  const planBsKey = planBTexts.join("\u0001");
  useEffect(() => {
    const texts = stepsKey.split("\u0001").filter((t) => t.trim() !== "");
    const planBs = planBsKey.split("\u0001").filter((t) => t.trim() !== "");
    if (title.trim() === "" && texts.length === 0 && planBs.length === 0) {
      setCoach({ state: "idle" });
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      setCoach((c) => (c.state === "ready" ? c : { state: "checking" }));
      try {
        const now = todayIso();
        const [goal, steps, plans] = await Promise.all([
          title.trim() ? api.coach.lint({ texts: [title], as: "goal", now }, ctl.signal) : null,
          texts.length ? api.coach.lint({ texts, as: "step", now }, ctl.signal) : null,
          planBs.length ? api.coach.lint({ texts: planBs, as: "planB", now }, ctl.signal) : null,
        ]);
        const byText = (asked: string[], items: LintItem[] = []) =>
          new Map(items.map((item, i) => [asked[i] ?? item.text, item]));
        setCoach({
          state: "ready",
          goal: goal?.items[0] ?? null,
          steps: byText(texts, steps?.items),
          planBs: byText(planBs, plans?.items),
        });
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
  }, [title, stepsKey, planBsKey]);
  return coach;
}

function lines(s: string): string[] {
  return s
    .split("\n")
    .map((l) => l.replace(/^[-*•]\s*/, "").trim())
    .filter(Boolean);
}

/** The plan builder page: a new plan at /plan, or finishing a goal's plan at /goals/:id/finish. */
export default function PlanBuilderPage() {
  const params = useParams();
  const goalId = params.id ? Number(params.id) : null;
  usePageTitle(goalId === null ? "Plan builder" : "Finish the plan");
  const plan = useLoad(() => (goalId === null ? Promise.resolve(null) : api.goals.plan(goalId)), [goalId]);
  if (goalId === null) return <Builder existing={null} />;
  if (plan.state === "loading") return <Loading what="Loading the plan" />;
  if (plan.state === "error")
    return (
      <section className="page">
        <h1>Finish the plan</h1>
        <ErrorNotice error={plan.error} retry={plan.reload} />
      </section>
    );
  return plan.data ? <Builder key={goalId} existing={plan.data} /> : null;
}

function Builder({ existing }: { existing: Plan | null }) {
  const navigate = useNavigate();
  const id = useId();
  const { session } = useSession();
  const me = session && !session.local ? session.user : null;
  const storageKey = `throughline:plan-draft:${session?.user.id ?? "local"}:${existing?.goal.id ?? "new"}`;
  const initial = useRef<Form>(existing ? formOf(existing) : blankForm());
  const [draft, setDraft] = useState<Draft | null>(() => readDraft(storageKey));
  const [form, setForm] = useState<Form>(initial.current);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const saved = useRef(false);
  const objectives = useLoad(() => api.goals.list({ status: "active", limit: 200 }).then((p) => p.items), []);
  const teams = useLoad(() => (me ? api.teams.list().then((r) => r.items) : Promise.resolve([])), [me?.id]);

  // Keep the draft in this browser as it is typed (not while the old one is being offered back).
  const keepDraft = useRef((_: Form) => {});
  keepDraft.current = (f: Form) => {
    // The plan may have been saved since this was scheduled (the page stays while the next loads).
    if (saved.current) return;
    try {
      if (contentOf(f) === contentOf(initial.current)) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify({ savedAt: new Date().toISOString(), form: f }));
    } catch {
      // Storage full or blocked: the builder still works, only without a draft.
    }
  };
  const latest = useRef<Form | null>(null);
  latest.current = draft === null ? form : null;
  useEffect(() => {
    if (draft !== null || saved.current) return;
    const timer = setTimeout(() => keepDraft.current(form), 300);
    return () => clearTimeout(timer);
  }, [form, draft]);
  // Leaving the page within the pause still keeps what was typed last.
  useEffect(
    () => () => {
      if (latest.current) keepDraft.current(latest.current);
    },
    [],
  );

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const teamId = form.visibility.startsWith("team:") ? Number(form.visibility.slice(5)) : null;
  const members = (teams.data ?? []).find((t) => t.id === teamId)?.members ?? [];
  const ownerOptions = [
    { value: "", label: me ? `${me.name} (me)` : "Me" },
    ...members.filter((m) => m.id !== me?.id).map((m) => ({ value: String(m.id), label: m.name })),
  ];
  const setVisibility = (visibility: string) =>
    setForm((f) => {
      const tid = visibility.startsWith("team:") ? Number(visibility.slice(5)) : null;
      const ids = new Set(
        ((teams.data ?? []).find((t) => t.id === tid)?.members ?? []).map((m) => String(m.id)),
      );
      return {
        ...f,
        visibility,
        steps: f.steps.map((s) => (ids.has(s.ownerId) ? s : { ...s, ownerId: "" })),
      };
    });
  const setRoadblocks = (roadblocks: string) =>
    setForm((f) => ({
      ...f,
      roadblocks,
      barriers: syncFromPause(f.barriers, lines(roadblocks), blankBarrier, (b, obstacle) => ({
        ...b,
        obstacle,
      })),
    }));
  const setHelpers = (helpers: string) =>
    setForm((f) => ({
      ...f,
      helpers,
      resources: syncFromPause(f.resources, lines(helpers), blankResource, (r, name) => ({ ...r, name })),
    }));

  const stepTexts = form.steps.map((s) => s.text);
  const coach = useCoach(
    form.title,
    stepTexts,
    form.barriers.map((b) => b.planB),
  );
  const filledKrs = form.krs.filter((k) => k.title.trim() && k.from !== "" && k.to !== "");
  // A step picks the key result it serves
  const krOptions = [
    { value: "", label: "None" },
    ...(existing?.keyResults ?? [])
      .filter((k) => !k.retiredAt)
      .map((k) => ({ value: `id:${k.id}`, label: k.title })),
    ...filledKrs.map((k) => ({ value: `new:${k.key}`, label: k.title.trim() })),
  ];
  /** The step's key result as the API takes it: a position among the key results sent, or an id. */
  const krOfStep = (st: StepRow): { keyResult?: number; keyResultId?: number } => {
    if (!st.kr || !krOptions.some((o) => o.value === st.kr)) return {};
    if (st.kr.startsWith("id:")) return { keyResultId: Number(st.kr.slice(3)) };
    const at = filledKrs.findIndex((k) => `new:${k.key}` === st.kr);
    return at < 0 ? {} : { keyResult: at + 1 };
  };
  // --- end issue 18 (kr18) ---
  const filledSteps = form.steps.filter((s) => s.text.trim());
  const filledResources = form.resources.filter((r) => r.name.trim());
  const filledBarriers = form.barriers.filter((b) => b.obstacle.trim() && b.planB.trim());
  const had = {
    krs: existing?.keyResults.length ?? 0,
    steps: existing?.steps.filter((s) => s.status !== "dropped").length ?? 0,
    resources: existing?.resources.length ?? 0,
    barriers: existing?.barriers.filter((b) => b.planB.trim() !== "").length ?? 0,
  };

  const goalFindings =
    coach.state === "ready" && coach.goal
      ? relevantGoalFindings(coach.goal.findings, filledKrs.length + had.krs > 0, form.dueDate !== "")
      : [];
  const stepFindings = (s: StepRow) =>
    coach.state === "ready"
      ? relevantStepFindings(coach.steps.get(s.text)?.findings ?? [], s.dueDate !== "")
      : [];
  const planBFindings = (b: BarrierRow) =>
    coach.state === "ready" ? (coach.planBs.get(b.planB)?.findings ?? []) : [];

  // The checklist: what a complete plan has, plus the coach's verdict when the coach is available.
  const checks: { label: string; ok: boolean }[] = [
    { label: "Success is described", ok: form.success.trim() !== "" },
    { label: "The goal has a why", ok: form.why.trim() !== "" },
    { label: "A key result from X to Y", ok: filledKrs.length + had.krs > 0 },
    { label: "A due date", ok: form.dueDate !== "" },
    { label: "At least one micro-step", ok: filledSteps.length + had.steps > 0 },
    { label: "Someone or something that helps", ok: filledResources.length + had.resources > 0 },
    { label: "An obstacle with its Plan B", ok: filledBarriers.length + had.barriers > 0 },
  ];
  // SMART's R and A (src/core/coach/smart.ts, the same rules the server warns with). A is listed
  // only once it can be judged: a due date and at least one estimated step.
  checks.push({
    label: "Relevant: it has a why or serves a parent goal",
    ok: form.why.trim() !== "" || form.parentId !== "",
  });
  const estimates = [
    ...filledSteps.map((st) => (st.estimate ? Number(st.estimate) : null)),
    ...(existing?.steps ?? [])
      .filter((st) => st.status === "todo" || st.status === "doing")
      .map((st) => st.estimateMinutes),
  ];
  const achievable = form.dueDate
    ? achievableAndRelevant({ now: todayIso(), dueDate: form.dueDate, openStepEstimates: estimates })
    : null;
  if (achievable?.achievable != null) {
    checks.push({
      label: "Achievable: the steps' estimates fit in the working days before the due date",
      ok: achievable.achievable,
    });
  }
  if (coach.state === "ready") {
    checks.push({
      label: "The coach is happy with the goal",
      ok: form.title.trim() !== "" && goalFindings.length === 0,
    });
    checks.push({
      label: "The coach is happy with every step",
      ok: filledSteps.length + had.steps > 0 && filledSteps.every((s) => stepFindings(s).length === 0),
    });
    checks.push({
      label: "Every Plan B says if what happens, then what you do",
      ok:
        filledBarriers.length + had.barriers > 0 &&
        filledBarriers.every((b) => planBFindings(b).length === 0),
    });
  }
  const score = Math.round((100 * checks.filter((c) => c.ok).length) / checks.length);

  function parts() {
    return {
      keyResults: filledKrs.map((k) => ({
        title: k.title,
        startValue: Number(k.from),
        targetValue: Number(k.to),
        unit: k.unit || null,
      })),
      steps: filledSteps.map((st) => ({
        text: st.text,
        dueDate: st.dueDate || null,
        estimateMinutes: st.estimate ? Number(st.estimate) : null,
        ownerId: st.ownerId ? Number(st.ownerId) : (me?.id ?? null),
        ...krOfStep(st),
      })),
      barriers: filledBarriers.map((b) => ({
        obstacle: b.obstacle,
        planB: b.planB,
        likelihood: b.likelihood,
      })),
      resources: filledResources.map((r) => ({ kind: r.kind, name: r.name, ask: r.ask || null })),
    };
  }

  function goalFields() {
    const vis = form.visibility;
    return {
      title: form.title,
      why: form.why || null,
      values: form.values
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
      dueDate: form.dueDate || null,
      successLooksLike: form.success || null,
      priority: form.priority,
      ...(vis.startsWith("team:")
        ? { visibility: "team" as const, teamId: Number(vis.slice(5)) }
        : { visibility: vis === "workspace" ? ("workspace" as const) : ("private" as const) }),
      parentId: form.parentId ? Number(form.parentId) : null,
    };
  }

  /** Only what differs from the goal as it was loaded, so a finished plan's history stays honest. */
  function goalChanges(goal: Plan["goal"]) {
    const next = goalFields();
    const changes: Record<string, unknown> = {};
    if (next.title !== goal.title) changes.title = next.title;
    if (next.why !== goal.why) changes.why = next.why;
    if (next.successLooksLike !== goal.successLooksLike) changes.successLooksLike = next.successLooksLike;
    if (JSON.stringify(next.values) !== JSON.stringify(goal.values)) changes.values = next.values;
    if (next.dueDate !== goal.dueDate) changes.dueDate = next.dueDate;
    if (next.priority !== goal.priority) changes.priority = next.priority;
    if (form.visibility !== visibilityOf(goal)) {
      changes.visibility = next.visibility;
      changes.teamId = "teamId" in next ? next.teamId : null;
    }
    if (next.parentId !== goal.parentId) changes.parentId = next.parentId;
    if (Object.keys(changes).length > 0 && form.reason.trim()) changes.reason = form.reason.trim();
    return changes;
  }

  async function save() {
    setError(null);
    if (!form.title.trim()) {
      setError(new ApiError(400, "title_required", "The goal needs a title. Write it in move 2."));
      return;
    }
    setSaving(true);
    try {
      const goalId = existing
        ? (await plansApi.finish(existing.goal.id, { goal: goalChanges(existing.goal), ...parts() })).goal.id
        : (await plansApi.create({ goal: goalFields(), ...parts() })).goal.id;
      saved.current = true;
      try {
        localStorage.removeItem(storageKey);
      } catch {
        // Storage blocked: there was no draft to clear.
      }
      navigate(`/goals/${goalId}`);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(false);
    }
  }

  const heading = existing ? "Finish the plan" : "Build a plan";
  if (draft) {
    return (
      <section className="page" aria-labelledby={`${id}-title`}>
        <div className="page-head">
          <h1 id={`${id}-title`}>{heading}</h1>
        </div>
        <section className="card draft-offer" aria-labelledby={`${id}-draft`}>
          <h2 id={`${id}-draft`}>Unsaved draft</h2>
          <p>
            You have an unsaved draft from {whenKept(draft.savedAt)}
            {draft.form.title.trim() ? `: “${draft.form.title.trim()}”` : ""}. Continue where you left off, or
            start over?
          </p>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              onClick={() => {
                setForm(draft.form);
                setDraft(null);
              }}
            >
              Continue
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                try {
                  localStorage.removeItem(storageKey);
                } catch {
                  // Storage blocked: nothing to remove.
                }
                setForm(initial.current);
                setDraft(null);
              }}
            >
              Start over
            </button>
          </div>
        </section>
      </section>
    );
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>{heading}</h1>
        <p className="muted">
          {existing
            ? "What the goal already has is kept; add what is missing. The coach reads along as you type."
            : "Pause first. Then the four moves. The coach reads along as you type."}
        </p>
      </div>
      <div className="builder">
        <form
          id={`${id}-form`}
          className="stack builder-form"
          onKeyDown={keepEnterFromSubmitting}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Move n={0} title="Pause before acting">
            <TextArea
              label="What does success look like?"
              value={form.success}
              onChange={(success) => set({ success })}
              hint="Picture the day it is done: what is true then?"
            />
            <TextArea
              label="Likely roadblocks"
              value={form.roadblocks}
              onChange={setRoadblocks}
              hint="One per line. Each becomes an obstacle in move 5, to give a Plan B."
            />
            <TextArea
              label="Who can help?"
              value={form.helpers}
              onChange={setHelpers}
              hint="One person or tool per line. Each is added to move 4."
            />
          </Move>

          <Move n={1} title="Root it in values">
            <TextArea
              label="Why does this matter?"
              value={form.why}
              onChange={(why) => set({ why })}
              hint="The value it serves, the context, who benefits."
            />
            <TextInput
              label="Values it serves"
              value={form.values}
              onChange={(values) => set({ values })}
              hint="Separate with commas, e.g. growth, craft."
            />
          </Move>

          <Move n={2} title="The goal and its key results">
            <TextInput
              label="Goal"
              value={form.title}
              onChange={(title) => set({ title })}
              required
              findings={goalFindings}
              placeholder="Grow the newsletter from 1,200 to 2,000 subscribers"
            />
            <div className="row-fields">
              <TextInput
                label="Due date"
                type="date"
                value={form.dueDate}
                onChange={(dueDate) => set({ dueDate })}
              />
              <Choice
                label="Priority"
                value={form.priority}
                onChange={(priority) => set({ priority: priority as Priority })}
                options={["low", "medium", "high", "critical"].map((p) => ({ value: p, label: p }))}
              />
            </div>
            {existing &&
            ((existing.goal.dueDate !== null && form.dueDate !== existing.goal.dueDate) ||
              form.priority !== existing.goal.priority) ? (
              <TextInput
                label="Why the change (moving the due date or the priority needs a reason)"
                value={form.reason}
                onChange={(reason) => set({ reason })}
                hint="The goal's history keeps it, and the people following the goal are told."
              />
            ) : null}
            <div className="row-fields">
              <Choice
                label="Who can see it"
                value={form.visibility}
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
                value={form.parentId}
                onChange={(parentId) => set({ parentId })}
                options={[
                  { value: "", label: "None yet" },
                  ...(objectives.data ?? [])
                    .filter((g) => g.id !== existing?.goal.id)
                    .map((g) => ({ value: String(g.id), label: g.title })),
                ]}
              />
            </div>
            <h3 className="subhead">Key results</h3>
            <Existing
              label="Key results already in the plan"
              items={(existing?.keyResults ?? []).map((k) => ({
                id: k.id,
                text: `${k.title}: from ${k.startValue} to ${k.targetValue}${k.unit ? ` ${k.unit}` : ""}`,
              }))}
            />
            <RowList
              rows={form.krs}
              onChange={(krs) => set({ krs })}
              blank={blankKr}
              addLabel="Add a key result"
              removeLabel={(n) => `Remove key result ${n + had.krs}`}
              fields={(k, setRow, n) => (
                <>
                  <TextInput
                    label={`Key result ${n + had.krs}`}
                    value={k.title}
                    onChange={(title) => setRow({ title })}
                    placeholder="Subscribers"
                  />
                  <TextInput
                    label="From"
                    type="number"
                    value={k.from}
                    onChange={(from) => setRow({ from })}
                    narrow
                  />
                  <TextInput label="To" type="number" value={k.to} onChange={(to) => setRow({ to })} narrow />
                  <TextInput label="Unit" value={k.unit} onChange={(unit) => setRow({ unit })} narrow />
                </>
              )}
            />
          </Move>

          <Move n={3} title="Micro-steps">
            <p className="hint">
              Concrete actions, each small enough for one sitting, each with an owner. What is one small step
              you can take this week?
            </p>
            <Existing
              label="Steps already in the plan"
              items={(existing?.steps ?? [])
                .filter((s) => s.status !== "dropped")
                .map((s) => ({ id: s.id, text: `${s.text}${s.status === "done" ? " (done)" : ""}` }))}
            />
            <RowList
              rows={form.steps}
              onChange={(steps) => set({ steps })}
              blank={blankStep}
              addLabel="Add a step"
              removeLabel={(n) => `Remove step ${n + had.steps}`}
              fields={(st, setRow, n) => (
                <>
                  <TextInput
                    label={`Step ${n + had.steps}`}
                    value={st.text}
                    onChange={(text) => setRow({ text })}
                    findings={stepFindings(st)}
                    placeholder="Email Raj the sponsorship deck"
                    wide
                  />
                  <Choice
                    label="Owner"
                    value={ownerOptions.some((o) => o.value === st.ownerId) ? st.ownerId : ""}
                    onChange={(ownerId) => setRow({ ownerId })}
                    options={ownerOptions}
                    className="field-owner"
                  />
                  <TextInput
                    label="By"
                    type="date"
                    value={st.dueDate}
                    onChange={(dueDate) => setRow({ dueDate })}
                    narrow
                  />
                  <TextInput
                    label="Minutes"
                    type="number"
                    value={st.estimate}
                    onChange={(estimate) => setRow({ estimate })}
                    narrow
                  />
                  {krOptions.length > 1 ? (
                    <Choice
                      label="Key result"
                      value={krOptions.some((o) => o.value === st.kr) ? (st.kr ?? "") : ""}
                      onChange={(kr) => setRow({ kr })}
                      options={krOptions}
                      className="field-kr"
                    />
                  ) : null}
                </>
              )}
            />
          </Move>

          <Move n={4} title="Resources and people">
            <Existing
              label="People and tools already in the plan"
              items={(existing?.resources ?? []).map((r) => ({
                id: r.id,
                text: `${r.name}${r.ask ? `: ${r.ask}` : ""}`,
              }))}
            />
            <RowList
              rows={form.resources}
              onChange={(resources) => set({ resources })}
              blank={() => blankResource()}
              addLabel="Add a person or tool"
              removeLabel={(n) => `Remove resource ${n + had.resources}`}
              fields={(r, setRow, n) => (
                <>
                  <SelectInput
                    label="Kind"
                    value={r.kind}
                    options={["person", "tool", "system", "playbook", "other"]}
                    onChange={(kind) => setRow({ kind: kind as ResourceKind })}
                  />
                  <TextInput
                    label={`Who or what ${n + had.resources}`}
                    value={r.name}
                    onChange={(name) => setRow({ name, fromPause: false })}
                  />
                  <TextInput label="What to ask" value={r.ask} onChange={(ask) => setRow({ ask })} wide />
                </>
              )}
            />
          </Move>

          <Move n={5} title="Barriers and Plan B">
            <Existing
              label="Obstacles already in the plan"
              items={(existing?.barriers ?? []).map((b) => ({ id: b.id, text: `${b.obstacle}: ${b.planB}` }))}
            />
            <RowList
              rows={form.barriers}
              onChange={(barriers) => set({ barriers })}
              blank={() => blankBarrier()}
              addLabel="Add an obstacle"
              removeLabel={(n) => `Remove obstacle ${n + (existing?.barriers.length ?? 0)}`}
              fields={(b, setRow, n) => (
                <>
                  <TextInput
                    label={`Obstacle ${n + (existing?.barriers.length ?? 0)}`}
                    value={b.obstacle}
                    onChange={(obstacle) => setRow({ obstacle, fromPause: false })}
                  />
                  <TextInput
                    label="Plan B (if … then …)"
                    value={b.planB}
                    onChange={(planB) => setRow({ planB })}
                    findings={planBFindings(b)}
                    placeholder="If the approval slips past Friday, then I ask Dana to sign"
                    wide
                  />
                  <SelectInput
                    label="Likelihood"
                    value={b.likelihood}
                    options={["low", "medium", "high"]}
                    onChange={(likelihood) => setRow({ likelihood: likelihood as BarrierRow["likelihood"] })}
                  />
                </>
              )}
            />
          </Move>
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
            {achievable?.findings.map((f) => (
              <p key={f.code} className="small" data-testid={`smart-${f.code}`}>
                {f.message} {f.suggestion}
              </p>
            ))}
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
                <p className="inline-error">
                  The coach could not read the plan just now: {coach.error.message}
                </p>
              ) : null}
              {coach.state === "ready" ? (
                <p className="small" data-testid="coach-count">
                  {countFindings(goalFindings, filledSteps.map(stepFindings))}
                </p>
              ) : null}
            </div>
          </div>
        </aside>

        {/* After the coach in the page's order, so on a phone the coach is read before saving. */}
        <div className="builder-actions stack">
          {error ? (
            <div className="state state-error" role="alert" tabIndex={-1} ref={errorRef}>
              <p className="state-title">
                The plan was not saved. Nothing was stored, and what you typed is still here.
              </p>
              <p>{error.message}</p>
            </div>
          ) : null}
          <div className="actions">
            <button type="submit" form={`${id}-form`} className="button primary" disabled={saving}>
              {saving ? "Saving the plan…" : "Save the plan"}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}

/** What a plan being finished already has, listed above the rows for new ones. */
function Existing({ label, items }: { label: string; items: { id: number; text: string }[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <p className="hint">Already in the plan (change these on the goal page):</p>
      <ul className="existing-parts" aria-label={label}>
        {items.map((i) => (
          <li key={i.id}>{i.text}</li>
        ))}
      </ul>
    </>
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
  className,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
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
