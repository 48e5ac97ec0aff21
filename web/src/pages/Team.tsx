/**
 * The leader view: follow-through per person, stalled goals, missed check-ins, goals at risk,
 * obstacles hit, recent wins, and the alignment tree with the goals that serve no objective.
 * Built from /api/report and the goals' plans and statuses; what the server does not offer yet is
 * shown as unavailable rather than hidden.
 */
import { Link } from "react-router";
import { api, type Goal, type GoalStatusView, type Plan } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { WinsList } from "../components/Wins.js";
import { addDaysIso, fullDay, percent, todayIso } from "../lib/dates.js";
import { optional, useLoad } from "../lib/useLoad.js";

/** How many goals the view reads in detail (plan and status) at most. */
const DETAIL_LIMIT = 60;

async function loadTeam() {
  const [report, goals] = await Promise.all([
    optional(api.report({ weeks: 4 })),
    api.goals.list({ status: "active", limit: 200 }),
  ]);
  const detailed = await Promise.all(
    goals.items.slice(0, DETAIL_LIMIT).map(async (goal) => {
      const [plan, status] = await Promise.all([
        api.goals.plan(goal.id),
        optional(api.goals.status(goal.id)),
      ]);
      return { goal, plan, status };
    }),
  );
  return { report, goals: goals.items, detailed };
}

interface Detail {
  goal: Goal;
  plan: Plan;
  status: GoalStatusView | null;
}

/** The team view. */
export default function TeamPage() {
  usePageTitle("Team");
  const load = useLoad(loadTeam, []);
  return (
    <section className="page" aria-labelledby="team-title">
      <div className="page-head">
        <h1 id="team-title">Team</h1>
        <p className="muted">Follow-through at a glance, over the last four weeks.</p>
      </div>
      {load.state === "loading" ? <Loading what="Loading the team view" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" ? <TeamBody {...load.data} /> : null}
    </section>
  );
}

function TeamBody({ report, goals, detailed }: Awaited<ReturnType<typeof loadTeam>>) {
  const today = todayIso();
  const names = new Map((report?.byUser ?? []).map((u) => [u.userId, u.name ?? `Person ${u.userId}`]));
  const missed = detailed.filter((d) => {
    const last = d.plan.checkins.at(-1)?.date ?? d.goal.startDate;
    return addDaysIso(last, d.goal.cadenceDays) < today;
  });
  const atRisk = detailed.filter((d) => {
    const conf = d.plan.checkins.at(-1)?.confidence;
    return d.status?.pace === "behind" || conf === "at-risk" || conf === "off-track";
  });
  const obstacles = detailed.flatMap((d) =>
    d.plan.barriers.filter((b) => b.status === "hit").map((b) => ({ d, b })),
  );

  if (goals.length === 0 && !report) {
    return (
      <Empty title="Nothing to lead yet">
        <p>When people on your team have active goals, their follow-through shows up here.</p>
      </Empty>
    );
  }

  return (
    <div className="stack">
      <div className="grid-3">
        <section className="card stat" aria-labelledby="rate-title">
          <h2 id="rate-title">Follow-through</h2>
          {report ? (
            <>
              <p className="stat-number">{percent(report.followThroughRate)}</p>
              <p className="muted small">
                {report.kept} kept · {report.missed} missed · {report.pending} pending
              </p>
            </>
          ) : (
            <Unavailable what="The follow-through report" />
          )}
        </section>
        <section className="card stat" aria-labelledby="stalled-count">
          <h2 id="stalled-count">Stalled</h2>
          <p className="stat-number">{report ? report.stalled.length : "–"}</p>
          <p className="muted small">goals behind pace or silent</p>
        </section>
        <section className="card stat" aria-labelledby="risk-count">
          <h2 id="risk-count">At risk</h2>
          <p className="stat-number">{atRisk.length}</p>
          <p className="muted small">behind pace or low confidence</p>
        </section>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="people-title">
          <h2 id="people-title">Follow-through per person</h2>
          {!report ? (
            <Unavailable what="Per-person follow-through" />
          ) : report.byUser.length === 0 ? (
            <p className="muted">Nothing was due in these four weeks.</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">Follow-through rate per person</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Rate</th>
                  <th scope="col">Kept</th>
                  <th scope="col">Missed</th>
                </tr>
              </thead>
              <tbody>
                {report.byUser.map((u) => (
                  <tr key={u.userId}>
                    <th scope="row">{u.name ?? `Person ${u.userId}`}</th>
                    <td>{percent(u.followThroughRate)}</td>
                    <td>{u.kept}</td>
                    <td>{u.missed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section className="card" aria-labelledby="stalled-title">
          <h2 id="stalled-title">Stalled goals</h2>
          {!report ? (
            <Unavailable what="Stall detection" />
          ) : report.stalled.length === 0 ? (
            <p className="muted">Nothing is stalled.</p>
          ) : (
            <ul className="plain-list">
              {report.stalled.map((s) => (
                <li key={s.goalId}>
                  <Link to={`/goals/${s.goalId}`}>{s.title}</Link>{" "}
                  <span className="muted small">
                    · {names.get(s.ownerId) ?? `Person ${s.ownerId}`} · {s.reasons.join(", ")}
                  </span>
                  {s.mode === "micro-goal" ? <span className="tag">micro-goal mode</span> : null}
                  {s.leaderPrompt ? <p className="small">{s.leaderPrompt}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="missed-title">
          <h2 id="missed-title">Missed check-ins</h2>
          {missed.length === 0 ? (
            <p className="muted">Every goal checked in on time.</p>
          ) : (
            <ul className="plain-list">
              {missed.map((d) => (
                <li key={d.goal.id}>
                  <Link to={`/goals/${d.goal.id}`}>{d.goal.title}</Link>{" "}
                  <span className="muted small">
                    ·{" "}
                    {d.plan.checkins.at(-1)
                      ? `last ${fullDay(d.plan.checkins.at(-1)?.date)}`
                      : "never checked in"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="risk-title">
          <h2 id="risk-title">Goals at risk</h2>
          {atRisk.length === 0 ? (
            <p className="muted">No goal is behind or reported at risk.</p>
          ) : (
            <ul className="plain-list">
              {atRisk.map((d) => (
                <li key={d.goal.id}>
                  <Link to={`/goals/${d.goal.id}`}>{d.goal.title}</Link>{" "}
                  <span className="muted small">
                    · {d.status ? `${percent(d.status.progress)} done, ${d.status.pace}` : ""}
                    {d.plan.checkins.at(-1)?.confidence
                      ? ` · said ${d.plan.checkins.at(-1)?.confidence}`
                      : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="obstacles-title">
          <h2 id="obstacles-title">Obstacles hit</h2>
          {obstacles.length === 0 ? (
            <p className="muted">No obstacles reported.</p>
          ) : (
            <ul className="plain-list">
              {obstacles.map(({ d, b }) => (
                <li key={b.id}>
                  <strong>{b.obstacle}</strong>{" "}
                  <span className="muted small">
                    · <Link to={`/goals/${d.goal.id}`}>{d.goal.title}</Link>
                  </span>
                  <p className="small">Plan B: {b.planB}</p>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="teamwins-title">
          <h2 id="teamwins-title">Recent wins</h2>
          {!report ? (
            <Unavailable what="The wins feed" />
          ) : report.wins.length === 0 ? (
            <p className="muted">No wins in these four weeks yet.</p>
          ) : (
            <WinsList items={report.wins.slice(0, 10)} />
          )}
        </section>
      </div>

      <AlignmentTree goals={goals} detailed={detailed} />
    </div>
  );
}

function AlignmentTree({ goals, detailed }: { goals: Goal[]; detailed: Detail[] }) {
  const children = new Map<number, Goal[]>();
  const ids = new Set(goals.map((g) => g.id));
  for (const g of goals) {
    if (g.parentId !== null && ids.has(g.parentId)) {
      children.set(g.parentId, [...(children.get(g.parentId) ?? []), g]);
    }
  }
  const roots = goals.filter((g) => g.parentId === null || !ids.has(g.parentId));
  const objectives = roots.filter((g) => children.has(g.id));
  const orphans = roots.filter((g) => !children.has(g.id));
  const progress = new Map(detailed.map((d) => [d.goal.id, d.status?.progress ?? null]));

  function branch(g: Goal) {
    const kids = children.get(g.id) ?? [];
    return (
      <li key={g.id}>
        <Link to={`/goals/${g.id}`}>{g.title}</Link>{" "}
        {progress.get(g.id) != null ? (
          <span className="muted small">{percent(progress.get(g.id))}</span>
        ) : null}
        {kids.length > 0 ? <ul>{kids.map(branch)}</ul> : null}
      </li>
    );
  }

  return (
    <section className="card" aria-labelledby="align-title">
      <h2 id="align-title">Alignment</h2>
      <div className="grid-2">
        <div>
          <h3 className="subhead">Objectives and the goals that serve them</h3>
          {objectives.length === 0 ? (
            <p className="muted">No goal is linked to a parent objective yet.</p>
          ) : (
            <ul className="tree">{objectives.map(branch)}</ul>
          )}
        </div>
        <div>
          <h3 className="subhead">Goals that serve no objective</h3>
          {orphans.length === 0 ? (
            <p className="muted">Every goal is aligned.</p>
          ) : (
            <ul className="plain-list" data-testid="orphans">
              {orphans.map((g) => (
                <li key={g.id}>
                  <Link to={`/goals/${g.id}`}>{g.title}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
