/** The frame of every signed-in page: skip link, header with navigation, and the main region. */
import { type ReactNode, useEffect, useRef, useState } from "react";
import { NavLink, useLocation } from "react-router";
import { api } from "../api/client.js";
import { useSession } from "../api/session.js";
import { pageDataSettled } from "../lib/prefetch.js";
import { managesIntegrations } from "../lib/roles.js";

/** Fired on window when notices were read, so the header's count updates. */
export const INBOX_CHANGED = "throughline:inbox-changed";

/** The number of my unread notices, read again on each navigation; null when unknown. */
function useUnread(enabled: boolean, path: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    window.addEventListener(INBOX_CHANGED, bump);
    return () => window.removeEventListener(INBOX_CHANGED, bump);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on navigation and on INBOX_CHANGED
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    // Asked once the page's own data is here: it must not queue before it (lib/prefetch.ts).
    pageDataSettled()
      .then(() => (live ? api.inbox.list({ unread: true, limit: 100 }) : Promise.reject(new Error("left"))))
      .then(
        (r) => live && setCount(r.items.length),
        () => live && setCount(null),
      );
    return () => {
      live = false;
    };
  }, [enabled, path, tick]);
  return count;
}

const NAV = [
  { to: "/", label: "My week", end: true },
  { to: "/plan", label: "Plan", end: false },
  { to: "/goals", label: "Goals", end: false },
  { to: "/team", label: "Team", end: false },
  { to: "/playbooks", label: "Playbooks", end: false },
  { to: "/settings", label: "Settings", end: false },
];
/** Shown to workspace owners and team owners and leaders only: nobody else can act there. */
const INTEGRATIONS = { to: "/integrations", label: "Integrations", end: false };

/** Sets the document title for a page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Throughline` : "Throughline";
  }, [title]);
}

/** The page frame. After a navigation, focus moves to the main region so keyboard users start there. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const unread = useUnread(Boolean(session && !session.local), location.pathname);
  const nav = managesIntegrations(session) ? [...NAV, INTEGRATIONS] : NAV;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <NavLink to="/" className="brand" aria-label="Throughline, my week">
            <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <path
                d="M7 20c4-8 9-8 18-10"
                stroke="#f7f5f0"
                strokeWidth="3"
                fill="none"
                strokeLinecap="round"
              />
              <circle cx="25" cy="10" r="2.5" fill="#f7f5f0" />
            </svg>
            <span>Throughline</span>
          </NavLink>
          <nav aria-label="Main" className="main-nav">
            <ul>
              {nav.map((n) => (
                <li key={n.to}>
                  <NavLink to={n.to} end={n.end}>
                    {n.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            {session && !session.local ? (
              <>
                <NavLink to="/inbox" className="inbox-link">
                  Inbox
                  {unread ? (
                    <>
                      {" "}
                      <span className="badge">{unread > 99 ? "99+" : unread}</span>
                      <span className="visually-hidden"> unread</span>
                    </>
                  ) : null}
                </NavLink>
                <span className="muted small">{session.user.name}</span>
                <button type="button" className="button link" onClick={() => void signOut()}>
                  Sign out
                </button>
              </>
            ) : (
              <span className="muted small" title="This server has no accounts yet">
                Local owner
              </span>
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="main">
        {children}
      </main>
    </>
  );
}
