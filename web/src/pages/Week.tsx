/**
 * My week: the steps due this week across my goals, the check-ins due, this week's wins, and the
 * weekly question when nothing is planned. A stalled goal in micro-goal mode shows its one step only.
 */
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import {
  type ApiError,
  api,
  type Goal,
  type GoalStatusView,
  type Step,
  type WeekGoal,
} from "../api/client.js";
import { useSession } from "../api/session.js";
import { DelegationsCard } from "../components/Delegations.js";
import { usePageTitle } from "../components/Layout.js";
import { BackOnTrack, MicroGoal } from "../components/MicroGoal.js";
import { Empty, ErrorNotice, Loading } from "../components/States.js";
import { StepItem } from "../components/StepItem.js";
import { WinsList } from "../components/Wins.js";
import { shortDay } from "../lib/dates.js";
import { answeredWeek, weekData } from "../lib/prefetch.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

interface GoalWeek {
  goal: Goal;
  status: GoalStatusView | null;
  lastCheckin: { date: string } | null;
  checkinDue: string;
}

/**
 * A goal's status as the status view the micro-goal card reads, from My week's summary (the one
 * step or prompt it shows is the summary's `nextStep`).
 */
function statusViewOf(g: WeekGoal, asOf: string): GoalStatusView {
  const s = g.status;
  return {
    goalId: g.goal.id,
    title: g.goal.title,
    asOf,
    progress: s.progress,
    expected: s.expected,
    pace: s.pace,
    bufferDays: null,
    forecastDate: null,
    stalled: s.stalled,
    stallReasons: s.stallReasons,
    mode: s.mode,
    modeSince: null,
    microStepsDone: 0,
    nextSteps: s.nextStep ? [s.nextStep] : [],
    leaderPrompt: null,
    lastMovement: null,
  };
}

/**
 * My week in one request (GET /api/week), whatever the number of goals: the route started it
 * while this page's code loaded (lib/prefetch.ts), and a reload asks again.
 */
async function loadWeek() {
  return shapeWeek(await weekData());
}

/** My week's answer as the page uses it. */
function shapeWeek(week: Awaited<ReturnType<typeof weekData>>) {
  const names = new Map(week.people.map((p) => [p.id, p.name]));
  const perGoal: GoalWeek[] = week.goals.map((g) => ({
    goal: g.goal,
    status: statusViewOf(g, week.asOf),
    lastCheckin: g.lastCheckin,
    checkinDue: g.checkinDue,
  }));
  const delegations = [...week.delegations.askedOfMe, ...week.delegations.askedByMe];
  return { week, perGoal, wins: { items: week.wins }, delegations, names };
}

/** My week. */
export default function WeekPage() {
  usePageTitle("My week");
  const load = useLoad(loadWeek, [], () => {
    const week = answeredWeek();
    return week && { data: shapeWeek(week.data), forget: week.forget };
  });

  return (
    <section className="page" aria-labelledby="week-title">
      <div className="page-head">
        <h1 id="week-title">My week</h1>
        {load.data ? (
          <p className="muted">
            {shortDay(load.data.week.from)} – {shortDay(load.data.week.to)}
          </p>
        ) : null}
      </div>
      {load.state === "loading" ? <Loading what="Loading your week" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" ? <WeekBody data={load.data} reload={load.reload} /> : null}
    </section>
  );
}

function WeekBody({ data, reload }: { data: Awaited<ReturnType<typeof loadWeek>>; reload: () => void }) {
  const { week, perGoal, wins } = data;
  const { session } = useSession();
  const titles = new Map(perGoal.map((g) => [g.goal.id, g.goal.title]));
  const micro = perGoal.filter((g) => g.status?.mode === "micro-goal");
  const microIds = new Set(micro.map((g) => g.goal.id));
  // A step accepted from someone stands in "Asked of me" (with its own Done) until it is done.
  const me = session?.user.id ?? 0;
  const askedIds = new Set(
    data.delegations.filter((d) => d.assigneeId === me && d.state === "accepted").map((d) => d.stepId),
  );
  const steps = week.steps.filter((s) => !microIds.has(s.goalId) && !askedIds.has(s.id));
  const checkinsDue = perGoal.filter((g) => g.checkinDue <= week.to);
  const nothingPlanned = steps.length === 0 && micro.length === 0 && askedIds.size === 0;
  const onlyAsked = steps.length === 0 && micro.length === 0 && askedIds.size > 0;

  return (
    <div className="grid-2">
      <div className="stack">
        <DelegationsCard items={data.delegations} me={me} names={data.names} onChanged={reload} />
        <section className="card" aria-labelledby="steps-title">
          <h2 id="steps-title">Steps due this week</h2>
          <BackOnTrack />
          {nothingPlanned ? (
            <OneSmallStep
              goals={perGoal.map((g) => g.goal)}
              weekEnd={week.to}
              prompt={week.prompt}
              onAdded={reload}
            />
          ) : (
            <>
              {micro.map((g) => {
                const next = (g.status as GoalStatusView).nextSteps[0];
                return (
                  <MicroGoal
                    key={g.goal.id}
                    goalId={g.goal.id}
                    goalTitle={g.goal.title}
                    step={next && "id" in next ? (next as Step) : null}
                    prompt={next && "prompt" in next ? next.prompt : null}
                    canComplete
                    canWrite={g.goal.ownerId === session?.user.id || session?.local === true}
                    linkGoal
                    onChanged={reload}
                  />
                );
              })}
              {onlyAsked ? <p className="muted">Nothing else is due this week.</p> : null}
              {steps.length > 0 ? (
                <ul className="steps">
                  {steps.map((s) => (
                    <StepItem key={s.id} step={s} goalTitle={titles.get(s.goalId)} onChanged={reload} />
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </section>
      </div>
      <div className="stack">
        <section className="card" aria-labelledby="checkins-title">
          <h2 id="checkins-title">Check-ins due</h2>
          {checkinsDue.length === 0 ? (
            <p className="muted">No check-ins due this week.</p>
          ) : (
            <ul className="plain-list">
              {checkinsDue.map((g) => (
                <li key={g.goal.id} className="row-between nowrap">
                  <span>
                    <Link to={`/goals/${g.goal.id}`}>{g.goal.title}</Link>
                    <span className="muted small">
                      {" "}
                      · {g.lastCheckin ? `last on ${shortDay(g.lastCheckin.date)}` : "no check-in yet"}
                    </span>
                  </span>
                  <Link className="button secondary small" to={`/goals/${g.goal.id}/check-in`}>
                    Check in<span className="visually-hidden"> on {g.goal.title}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="wins-title">
          <h2 id="wins-title">This week's wins</h2>
          {wins.items.length === 0 ? (
            <p className="muted">No wins yet this week. Finish one small step and it shows up here.</p>
          ) : (
            <WinsList items={wins.items} />
          )}
        </section>
      </div>
    </div>
  );
}

function OneSmallStep({
  goals,
  weekEnd,
  prompt,
  onAdded,
}: {
  goals: Goal[];
  weekEnd: string;
  prompt: string | null;
  onAdded: () => void;
}) {
  const ids = { goal: useId(), text: useId() };
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api.goals.addStep(Number(form.get("goal")), {
        text: String(form.get("text") ?? ""),
        dueDate: weekEnd,
      });
      onAdded();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  if (goals.length === 0) {
    return (
      <Empty title="What is one small step you can take this week?">
        <p>You have no active goals yet. Start with a plan: a why, a measure, and a first small step.</p>
        <Link className="button primary" to="/plan">
          Build a plan
        </Link>
      </Empty>
    );
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <p className="prompt">{prompt ?? "What is one small step you can take this week?"}</p>
      <div className="field">
        <label htmlFor={ids.goal}>For the goal</label>
        <select id={ids.goal} name="goal">
          {goals.map((g) => (
            <option key={g.id} value={g.id}>
              {g.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.text}>One small step, done by {shortDay(weekEnd)}</label>
        <input
          id={ids.text}
          name="text"
          required
          maxLength={500}
          placeholder="Email Raj the sponsorship deck"
        />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? "Adding…" : "Add the step"}
      </button>
    </form>
  );
}
