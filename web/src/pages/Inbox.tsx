/**
 * My inbox: the notices people and the system sent me (a delegation needs me, a goal I follow
 * changed and why, a commitment I witness was kept or missed), newest first.
 */
import { useState } from "react";
import { Link } from "react-router";
import { type ApiError, api, type Notice } from "../api/client.js";
import { INBOX_CHANGED, usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { asApiError, optional, useLoad } from "../lib/useLoad.js";

function linkOf(n: Notice): string | null {
  if (n.type.startsWith("delegation.")) return "/";
  const goalId = n.payload.goalId ?? (n.subjectType === "goal" ? n.subjectId : undefined);
  return typeof goalId === "number" ? `/goals/${goalId}` : null;
}

/** The inbox page. */
export default function InboxPage() {
  usePageTitle("Inbox");
  const load = useLoad(() => optional(api.inbox.list({ limit: 100 })), []);
  const [error, setError] = useState<ApiError | null>(null);

  async function markAll() {
    setError(null);
    try {
      await api.inbox.read();
      window.dispatchEvent(new Event(INBOX_CHANGED));
      load.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const items = load.data?.items ?? [];
  const unread = items.filter((n) => n.readAt === null).length;
  return (
    <section className="page narrow" aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">Inbox</h1>
        {unread > 0 ? (
          <button type="button" className="button secondary small" onClick={() => void markAll()}>
            Mark all as read
          </button>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {load.state === "loading" ? <Loading what="Loading your inbox" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" && load.data === null ? <Unavailable what="The inbox" /> : null}
      {load.state === "ready" && load.data !== null && items.length === 0 ? (
        <Empty title="Nothing here yet">
          <p>When someone delegates to you, answers you, or a goal you follow changes, it shows up here.</p>
        </Empty>
      ) : null}
      {items.length > 0 ? (
        <ul className="card-list" data-testid="notices">
          {items.map((n) => {
            const to = linkOf(n);
            return (
              <li key={n.id} className="card">
                <p>
                  {n.readAt === null ? <span className="tag tag-warn">New</span> : null} {n.message}
                </p>
                <p className="muted small">
                  {fullDay(n.createdAt)}
                  {to ? (
                    <>
                      {" · "}
                      <Link to={to}>{to === "/" ? "Open my week" : "Open the goal"}</Link>
                    </>
                  ) : null}
                </p>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
