/**
 * My inbox: the notices people and the system sent me (a delegation needs me, a goal I follow
 * changed and why, a commitment I witness was kept or missed), newest first.
 */
import { useState } from "react";
import { Link } from "react-router";
import { type ApiError, api, loopApi, type Notice } from "../api/client.js";
import { INBOX_CHANGED, usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { daysInWords, whenInWords } from "../lib/dates.js";
import { asApiError, optional, useLoad } from "../lib/useLoad.js";

/** The page a notice names: My week for what I must answer, else the goal it is about. */
function linkOf(n: Notice): string | null {
  if (["delegation.asked", "delegation.answered", "delegation.clarification-asked"].includes(n.type))
    return "/";
  const goalId = n.payload.goalId ?? (n.subjectType === "goal" ? n.subjectId : undefined);
  return typeof goalId === "number" ? `/goals/${goalId}` : null;
}

/** The inbox page. */
export default function InboxPage() {
  usePageTitle("Inbox");
  const load = useLoad(() => optional(api.inbox.list({ limit: 100 })), []);
  // The person's time zone (Settings), for "today at 14:05"; the browser's until it arrives.
  const zone = useLoad(() => optional(api.settings.get()).catch(() => null), []);
  const timeZone = zone.data?.timeZone ?? undefined;
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

  /** Opening what a notice names reads it. */
  async function opened(n: Notice) {
    if (n.readAt !== null) return;
    try {
      await loopApi.readNotice(n.id);
      window.dispatchEvent(new Event(INBOX_CHANGED));
    } catch {
      // Not being marked read is harmless: the notice stays "New" and can be marked by hand.
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
                  {n.readAt === null ? <span className="tag tag-warn">New</span> : null}{" "}
                  {daysInWords(n.message)}
                </p>
                <p className="muted small">
                  <time dateTime={n.createdAt}>{whenInWords(n.createdAt, timeZone)}</time>
                  {to ? (
                    <>
                      {" · "}
                      <Link to={to} onClick={() => void opened(n)}>
                        {to === "/" ? "Open my week" : "Open the goal"}
                      </Link>
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
