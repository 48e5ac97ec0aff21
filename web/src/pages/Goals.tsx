/**
 * Goals I can see, each active one with its progress, pace and a stalled marker at a glance, from
 * one request (GET /api/goals?include=status). `?archived=only` lists the archived ones instead.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type ApiError, api, type GoalListItem, type GoalSummary } from "../api/client.js";
import { useSession } from "../api/session.js";
import { usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading } from "../components/States.js";
import { fullDay, percent } from "../lib/dates.js";
import { asApiError, useLoad } from "../lib/useLoad.js";
import { dayInWords, paceInWords, progressAgainstPace, stallReasonsInWords, todayIn } from "../lib/words.js";

const STATUS_WORDS: Record<string, string> = {
  draft: "Draft",
  active: "Active",
  done: "Done",
  dropped: "Dropped",
  archived: "Archived",
};

/** A goal's progress bar with the pace mark, then pace and stall in words. */
function GoalGlance({ s }: { s: GoalSummary }) {
  const today = todayIn(useSession().session?.timeZone);
  const fill = Math.max(0, Math.min(1, s.progress));
  return (
    <div className="goal-row-status">
      <span
        className="meter"
        role="img"
        aria-label={progressAgainstPace(s.progress, s.expected)}
        title={progressAgainstPace(s.progress, s.expected)}
      >
        <span className="meter-fill" style={{ width: `${fill * 100}%` }} />
        {s.expected !== null ? (
          <span
            className="meter-mark"
            style={{ left: `calc(${Math.max(0, Math.min(1, s.expected)) * 100}% - 1px)` }}
          />
        ) : null}
      </span>
      <span className="small">
        <strong>{percent(s.progress)}</strong> done
      </span>
      {s.stalled ? (
        <span className="tag tag-warn" title={stallReasonsInWords(s.stallReasons)}>
          Stalled{s.mode === "micro-goal" ? ": one small step at a time" : ""}
        </span>
      ) : (
        <span className={`tag ${s.pace === "behind" ? "tag-warn" : "tag-good"}`}>{paceInWords(s.pace)}</span>
      )}
      <span className="small muted">
        {s.stalled ? `${stallReasonsInWords(s.stallReasons)} · ` : ""}
        {s.lastCheckin ? `last check-in ${dayInWords(s.lastCheckin.date, today)}` : "no check-in yet"}
      </span>
    </div>
  );
}

/** The goals list. */
export default function GoalsPage() {
  const [search] = useSearchParams();
  const archived = search.get("archived") === "only";
  return <GoalsList key={String(archived)} archived={archived} />;
}

/** The current goals, or the archived ones; a fresh list (and cursor) for each. */
function GoalsList({ archived }: { archived: boolean }) {
  usePageTitle(archived ? "Archived goals" : "Goals");
  const query = archived
    ? ({ limit: 100, include: "status", archived: "only" } as const)
    : ({ limit: 100, include: "status" } as const);
  const load = useLoad(() => api.goals.list(query), [archived]);
  const [more, setMore] = useState<GoalListItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const next = cursor === undefined ? load.data?.nextCursor : cursor;
  const goals = [...(load.data?.items ?? []), ...more];

  return (
    <section className="page" aria-labelledby="goals-title">
      <div className="page-head">
        <h1 id="goals-title">{archived ? "Archived goals" : "Goals"}</h1>
        {archived ? (
          <Link className="button" to="/goals">
            Back to current goals
          </Link>
        ) : (
          <>
            <Link className="button primary" to="/plan">
              Build a plan
            </Link>
            <Link className="button" to="/import">
              Import from another tool
            </Link>
            <Link className="button link" to="/goals?archived=only">
              Archived goals
            </Link>
          </>
        )}
      </div>
      {archived ? (
        <p className="muted">
          Done and dropped goals you put away. They still count in every report; open one to take it out of
          the archive.
        </p>
      ) : null}
      {load.state === "loading" ? <Loading what="Loading goals" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" && goals.length === 0 && archived ? (
        <Empty title="Nothing archived">
          <p>A goal that is done or dropped can be archived from its page.</p>
        </Empty>
      ) : null}
      {load.state === "ready" && goals.length === 0 && !archived ? (
        <Empty title="No goals yet">
          <p>A goal here carries its why, a measure, small steps and a Plan B.</p>
          <Link className="button primary" to="/plan">
            Build your first plan
          </Link>
        </Empty>
      ) : null}
      {goals.length > 0 ? (
        <ul className="card-list">
          {goals.map((g) => (
            <li key={g.id} className="card goal-row">
              <div>
                <h2 className="h3">
                  <Link to={`/goals/${g.id}`}>{g.title}</Link>
                </h2>
                {g.why ? <p className="muted small clamp">{g.why}</p> : null}
                {g.summary ? <GoalGlance s={g.summary} /> : null}
              </div>
              <div className="goal-row-meta">
                <span className="tag">{STATUS_WORDS[g.status] ?? g.status}</span>
                <span className="small muted">{g.dueDate ? `Due ${fullDay(g.dueDate)}` : "No due date"}</span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {next ? (
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            api.goals
              .list({ ...query, cursor: next })
              .then((p) => {
                setMore([...more, ...p.items]);
                setCursor(p.nextCursor);
              })
              .catch((e: unknown) => setError(asApiError(e)))
          }
        >
          Show more
        </button>
      ) : null}
    </section>
  );
}
