/**
 * The leader view: follow-through and its weekly trend per person, stalled goals, missed check-ins,
 * goals at risk, obstacles hit, recent wins, and the alignment tree with the goals that serve no
 * objective, all from one answer (GET /api/teams/{id}/overview). Leaders invite people here; the
 * workspace owner creates teams. Only the team's shared goals appear, never a private one.
 */
import { type FormEvent, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type ApiError, api, type Invitation, type Team, type TeamOverview } from "../api/client.js";
import { useSession } from "../api/session.js";
import { usePageTitle } from "../components/Layout.js";
import { ListCard } from "../components/ListCard.js";
import { ResetLinkAction } from "../components/ResetLink.js";
import { Empty, ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { TeamDelegations } from "../components/TeamDelegations.js";
import { WinsList } from "../components/Wins.js";
import { percent, shortDay } from "../lib/dates.js";
import { asApiError, optional, useLoad } from "../lib/useLoad.js";
import {
  checkinGap,
  dayInWords,
  days,
  paceInWords,
  progressAgainstPace,
  stallReasonsInWords,
  todayIn,
} from "../lib/words.js";

const WEEKS = 4;

/** The team view. */
export default function TeamPage() {
  usePageTitle("Team");
  const { session, refresh } = useSession();
  const [params, setParams] = useSearchParams();
  const teams = useLoad(() => optional(api.teams.list()), []);
  const isOwner = session?.user.workspaceRole === "owner";

  const list = teams.data?.items ?? [];
  const wanted = Number(params.get("team"));
  const mine = new Map((session?.teams ?? []).map((t) => [t.id, t.role]));
  const team =
    list.find((t) => t.id === wanted) ??
    list.find((t) => mine.get(t.id) === "leader" || mine.get(t.id) === "owner") ??
    list[0];
  function created(id: number) {
    setParams({ team: String(id) });
    teams.reload();
    void refresh();
  }
  const canManage = team !== undefined && (isOwner || ["owner", "leader"].includes(mine.get(team.id) ?? ""));

  return (
    <section className="page" aria-labelledby="team-title">
      <div className="page-head">
        <div>
          <h1 id="team-title">{team ? `Team: ${team.name}` : "Team"}</h1>
          <p className="muted">Follow-through at a glance, over the last {WEEKS} weeks.</p>
        </div>
        {list.length > 1 && team ? (
          <TeamPicker teams={list} value={team.id} onChange={(id) => setParams({ team: String(id) })} />
        ) : null}
      </div>
      {teams.state === "loading" ? <Loading what="Loading your teams" /> : null}
      {teams.state === "error" ? <ErrorNotice error={teams.error} retry={teams.reload} /> : null}
      {teams.state === "ready" && teams.data === null ? <Unavailable what="Teams" /> : null}
      {teams.state === "ready" && teams.data !== null && !team ? (
        <div className="stack">
          <Empty title="You are not in a team yet">
            <p>
              {isOwner
                ? "Create a team, then invite the people you lead: their follow-through shows up here."
                : "When a leader invites you to their team, it shows up here."}
            </p>
          </Empty>
          {isOwner ? <CreateTeam onCreated={created} /> : null}
        </div>
      ) : null}
      {team ? (
        <div className="stack">
          <Overview key={team.id} teamId={team.id} />
          <TeamDelegations key={`delegations-${team.id}`} teamId={team.id} />
          <div className="grid-2">
            <Members team={team} resetFor={isOwner ? (session?.user.id ?? null) : null} />
            {canManage ? <Invite team={team} /> : null}
          </div>
          {isOwner ? <CreateTeam onCreated={created} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function TeamPicker({
  teams,
  value,
  onChange,
}: {
  teams: Team[];
  value: number;
  onChange: (id: number) => void;
}) {
  const id = useId();
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>Show the team</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Overview({ teamId }: { teamId: number }) {
  const load = useLoad(() => optional(api.teams.overview(teamId, { weeks: WEEKS })), [teamId]);
  if (load.state === "loading") return <Loading what="Loading the team view" />;
  if (load.state === "error") return <ErrorNotice error={load.error} retry={load.reload} />;
  if (load.data === null) return <Unavailable what="The team view" />;
  return <OverviewBody o={load.data} />;
}

const CONFIDENCE_WORDS: Record<string, string> = {
  "on-track": "on track",
  "at-risk": "at risk",
  "off-track": "off track",
};

function OverviewBody({ o }: { o: TeamOverview }) {
  const today = todayIn(useSession().session?.timeZone);
  return (
    <div className="stack">
      <div className="grid-3">
        <section className="card stat" aria-labelledby="rate-title">
          <h2 id="rate-title">Follow-through</h2>
          <p className="stat-number">{percent(o.followThroughRate)}</p>
          <p className="muted small">
            {o.kept} kept · {o.missed} missed · {o.pending} pending
          </p>
        </section>
        <section className="card stat" aria-labelledby="stalled-count">
          <h2 id="stalled-count">Stalled</h2>
          <p className="stat-number">{o.stalled.length}</p>
          <p className="muted small">goals behind pace or silent</p>
        </section>
        <section className="card stat" aria-labelledby="risk-count">
          <h2 id="risk-count">At risk</h2>
          <p className="stat-number">{o.atRisk.length}</p>
          <p className="muted small">behind pace or low confidence</p>
        </section>
      </div>

      <section className="card" aria-labelledby="people-title">
        <h2 id="people-title">Follow-through per person</h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
        <section className="table-scroll" aria-label="Follow-through per person, scrollable" tabIndex={0}>
          <table className="table" data-testid="people">
            <caption className="visually-hidden">
              Follow-through rate per person, {shortDay(o.from)} to {shortDay(o.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Rate</th>
                <th scope="col">Trend</th>
                <th scope="col">Kept</th>
                <th scope="col">Missed</th>
                <th scope="col">Goals</th>
              </tr>
            </thead>
            <tbody>
              {o.people.map((p) => (
                <tr key={p.userId}>
                  <th scope="row">
                    {p.name} <span className="muted small">{p.role}</span>
                  </th>
                  <td>{percent(p.followThroughRate)}</td>
                  <td>
                    <Trend weeks={p.trend} />
                  </td>
                  <td>{p.kept}</td>
                  <td>{p.missed}</td>
                  <td>{p.activeGoals}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>

      <div className="grid-2">
        <ListCard title="Stalled goals" items={o.stalled} empty="Nothing is stalled.">
          {(s) => (
            <li key={s.goalId}>
              <Link to={`/goals/${s.goalId}`}>{s.title}</Link>{" "}
              <span className="muted small">
                · {s.ownerName ?? "someone"} · {stallReasonsInWords(s.reasons)}
              </span>
              {s.mode === "micro-goal" ? <span className="tag">micro-goal mode</span> : null}
              {s.leaderPrompt ? <p className="small">{s.leaderPrompt}</p> : null}
            </li>
          )}
        </ListCard>

        <ListCard title="Missed check-ins" items={o.missedCheckins} empty="Every goal checked in on time.">
          {(g) => (
            <li key={g.goalId}>
              <Link to={`/goals/${g.goalId}`}>{g.title}</Link>{" "}
              <span className="muted small">
                · {g.ownerName ?? "someone"} ·{" "}
                {g.lastCheckin
                  ? checkinGap(g.lastCheckin, g.cadenceDays, g.lastCheckin, today)
                  : `No check-in yet; the first was due ${dayInWords(g.dueOn, today)} (every ${days(g.cadenceDays)} planned)`}
              </span>
            </li>
          )}
        </ListCard>

        <ListCard title="Goals at risk" items={o.atRisk} empty="No goal is behind or reported at risk.">
          {(g) => (
            <li key={g.goalId}>
              <Link to={`/goals/${g.goalId}`}>{g.title}</Link>{" "}
              <span className="muted small">
                · {g.ownerName ?? "someone"} · {progressAgainstPace(g.progress, g.expected)} (
                {paceInWords(g.pace)})
                {g.confidence ? ` · said ${CONFIDENCE_WORDS[g.confidence] ?? g.confidence}` : ""}
              </span>
            </li>
          )}
        </ListCard>

        <ListCard title="Obstacles hit" items={o.obstacles} empty="No obstacles reported.">
          {(b) => (
            <li key={b.barrierId}>
              <strong>{b.obstacle}</strong>{" "}
              <span className="muted small">
                · <Link to={`/goals/${b.goalId}`}>{b.title}</Link>
                {b.hitOn ? ` · hit ${dayInWords(b.hitOn, today)}` : ""}
              </span>
              <p className="small">Plan B: {b.planB}</p>
            </li>
          )}
        </ListCard>
      </div>

      <section className="card" aria-labelledby="teamwins-title">
        <h2 id="teamwins-title">Recent wins</h2>
        {o.wins.length === 0 ? (
          <p className="muted">No wins in these {o.weeks} weeks yet.</p>
        ) : (
          <WinsList items={o.wins.slice(0, 10)} />
        )}
      </section>

      <AlignmentTree alignment={o.alignment} />
    </div>
  );
}

/** A person's weekly rates as small bars, with the numbers for screen readers. */
function Trend({ weeks }: { weeks: TeamOverview["people"][number]["trend"] }) {
  const label = weeks
    .map(
      (w) =>
        `week of ${shortDay(w.weekStart)}: ${w.followThroughRate === null ? "nothing due" : percent(w.followThroughRate)}`,
    )
    .join("; ");
  return (
    <span className="trend" role="img" aria-label={label}>
      {weeks.map((w) => (
        <span
          key={w.weekStart}
          className={w.followThroughRate === null ? "trend-bar trend-none" : "trend-bar"}
          style={{ height: `${Math.max(8, Math.round((w.followThroughRate ?? 0) * 100))}%` }}
        />
      ))}
    </span>
  );
}

function AlignmentTree({ alignment }: { alignment: TeamOverview["alignment"] }) {
  type Node = TeamOverview["alignment"]["goals"][number];
  const ids = new Set(alignment.goals.map((g) => g.goalId));
  const children = new Map<number, Node[]>();
  for (const g of alignment.goals) {
    if (g.parentId !== null && ids.has(g.parentId))
      children.set(g.parentId, [...(children.get(g.parentId) ?? []), g]);
  }
  const orphans = new Set(alignment.orphans);
  const roots = alignment.goals.filter(
    (g) => (g.parentId === null || !ids.has(g.parentId)) && !orphans.has(g.goalId),
  );

  function branch(g: Node) {
    const kids = children.get(g.goalId) ?? [];
    return (
      <li key={g.goalId}>
        <Link to={`/goals/${g.goalId}`}>{g.title}</Link>{" "}
        <span className="muted small">
          {g.ownerName ?? ""} · {percent(g.progress)} done
        </span>
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
          {roots.length === 0 ? (
            <p className="muted">No goal is linked to an objective yet.</p>
          ) : (
            <ul className="tree">{roots.map(branch)}</ul>
          )}
        </div>
        <div>
          <h3 className="subhead">Goals that serve no objective</h3>
          {orphans.size === 0 ? (
            <p className="muted">Every goal is aligned.</p>
          ) : (
            <ul className="plain-list" data-testid="orphans">
              {alignment.goals
                .filter((g) => orphans.has(g.goalId))
                .map((g) => (
                  <li key={g.goalId} className="orphan">
                    <span className="tag tag-warn">Orphan</span>{" "}
                    <Link to={`/goals/${g.goalId}`}>{g.title}</Link>{" "}
                    <span className="muted small">· {g.ownerName ?? ""}</span>
                  </li>
                ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

function Members({ team, resetFor }: { team: Team; resetFor: number | null }) {
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">People in {team.name}</h2>
      <ul className="plain-list">
        {team.members.map((m) => (
          <li key={m.id}>
            {m.name} <span className="tag">{m.role}</span>
            {/* The workspace owner's reset link for someone else (issue 16, defect 8). */}
            {resetFor !== null && m.id !== resetFor ? <ResetLinkAction userId={m.id} name={m.name} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Invite({ team }: { team: Team }) {
  const id = useId();
  const [made, setMade] = useState<Invitation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const inv = await api.teams.invite({
        teamId: team.id,
        role: form.get("role") === "leader" ? "leader" : "member",
        ...(email ? { email } : {}),
      });
      setMade(inv);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const link = made ? `${window.location.origin}${made.path}` : null;
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Invite someone</h2>
      <p className="muted small">A single-use link to join {team.name}; it expires in 7 days.</p>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-email`}>Their email (optional)</label>
          <input id={`${id}-email`} name="email" type="email" autoComplete="off" />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} name="role" defaultValue="member">
            <option value="member">member</option>
            <option value="leader">leader</option>
          </select>
        </div>
        {error ? <ErrorNotice error={error} /> : null}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Making the link…" : "Make an invitation link"}
          </button>
        </div>
      </form>
      {link ? (
        <div className="notice" role="status">
          <p>Send this link; it works once:</p>
          <code className="token" data-testid="invite-link">
            {link}
          </code>
        </div>
      ) : null}
    </section>
  );
}

function CreateTeam({ onCreated }: { onCreated: (id: number) => void }) {
  const id = useId();
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    setError(null);
    try {
      const t = await api.teams.create({ name });
      onCreated(t.id);
    } catch (err) {
      setError(asApiError(err));
    }
  }
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Create a team</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Team name</label>
          <input id={`${id}-name`} name="name" required maxLength={100} />
        </div>
        <button type="submit" className="button secondary small">
          Create the team
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
