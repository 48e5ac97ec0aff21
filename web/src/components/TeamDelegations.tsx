/**
 * The team page's open delegations per person (issue 15): what each member was asked to do and
 * has not finished, with who asked, by when and where it stands. Only goals the reader may see.
 */
import { Link } from "react-router";
import { loopApi, type TeamDelegation } from "../api/client.js";
import { shortDay, todayIso } from "../lib/dates.js";
import { optional, useLoad } from "../lib/useLoad.js";
import { delegationWords } from "./Delegations.js";
import { ErrorNotice, Loading } from "./States.js";

/** Open delegations of a team's members, grouped by person. */
export function TeamDelegations({ teamId }: { teamId: number }) {
  const load = useLoad(() => optional(loopApi.teamDelegations(teamId)), [teamId]);
  if (load.state === "loading") return <Loading what="Loading open delegations" />;
  if (load.state === "error") return <ErrorNotice error={load.error} retry={load.reload} />;
  if (load.data === null) return null;
  const byPerson = new Map<number, { name: string; items: TeamDelegation[] }>();
  for (const d of load.data.items) {
    const p = byPerson.get(d.assigneeId) ?? { name: d.assigneeName, items: [] };
    p.items.push(d);
    byPerson.set(d.assigneeId, p);
  }
  const today = todayIso();
  return (
    <section className="card" aria-labelledby="team-delegations-title" data-testid="team-delegations">
      <h2 id="team-delegations-title">Open delegations</h2>
      {byPerson.size === 0 ? (
        <p className="muted">Nothing delegated is waiting. Delegate a step from a goal's page.</p>
      ) : (
        <ul className="plain-list">
          {[...byPerson].map(([personId, p]) => (
            <li key={personId}>
              <h3 className="subhead">
                {p.name} <span className="muted small">· {p.items.length} open</span>
              </h3>
              <ul className="plain-list">
                {p.items.map((d) => (
                  <li key={d.id} className="delegation">
                    <p>
                      <strong>{d.what}</strong>{" "}
                      <span className="muted small">
                        · asked by {d.delegatorName} · <Link to={`/goals/${d.goalId}`}>{d.goalTitle}</Link>
                      </span>
                    </p>
                    <p className="small">
                      <span className="tag">{delegationWords(d)}</span>{" "}
                      {d.dueDate ? (
                        <span className={d.dueDate < today ? "tag tag-warn" : "tag"}>
                          {d.dueDate < today ? "Overdue · " : "By "}
                          {shortDay(d.dueDate)}
                        </span>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
