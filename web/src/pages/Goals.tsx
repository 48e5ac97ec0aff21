/** Goals I can see, with their due day and status. */
import { useState } from "react";
import { Link } from "react-router";
import { type ApiError, api, type Goal } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

/** The goals list. */
export default function GoalsPage() {
  usePageTitle("Goals");
  const load = useLoad(() => api.goals.list({ limit: 100 }), []);
  const [more, setMore] = useState<Goal[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const next = cursor === undefined ? load.data?.nextCursor : cursor;
  const goals = [...(load.data?.items ?? []), ...more];

  return (
    <section className="page" aria-labelledby="goals-title">
      <div className="page-head">
        <h1 id="goals-title">Goals</h1>
        <Link className="button primary" to="/plan">
          Build a plan
        </Link>
        <Link className="button" to="/import">
          Import from another tool
        </Link>
      </div>
      {load.state === "loading" ? <Loading what="Loading goals" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" && goals.length === 0 ? (
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
              </div>
              <div className="goal-row-meta">
                <span className={`tag ${g.status === "active" ? "tag-good" : ""}`}>{g.status}</span>
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
              .list({ limit: 100, cursor: next })
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
