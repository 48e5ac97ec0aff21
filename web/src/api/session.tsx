/**
 * Who is signed in. Loads /api/auth/session once; a server without accounts (the route 404s) is
 * treated as signed in as the local owner. A 401 anywhere sends the person to sign in.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { answeredSession, sessionData } from "../lib/prefetch.js";
import { ApiError, api, type Session, setCsrfToken, setUnauthenticatedHandler } from "./client.js";

/** The session state the app shares. */
export interface SessionState {
  status: "loading" | "signed-in" | "signed-out" | "error";
  session: Session | null;
  error: ApiError | null;
  /** Reads the session again (after signing in or up). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const LOCAL_SESSION: Session = {
  user: { id: 0, name: "Local owner", email: null, workspaceRole: "owner", values: [] },
  workspace: { id: 0, name: "This machine" },
  teams: [],
  // A server without accounts has no settings answer for the session: the machine's zone.
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  csrfToken: null,
  needsSetup: false,
  local: true,
};

const SessionContext = createContext<SessionState | null>(null);

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  // Signed in from the first render when the session's first check has already answered (issue 17).
  const [first] = useState(() => {
    const answered = answeredSession();
    if (answered) setCsrfToken(answered.csrfToken);
    return answered;
  });
  const [status, setStatus] = useState<SessionState["status"]>(first ? "signed-in" : "loading");
  const [session, setSession] = useState<Session | null>(first ?? null);
  const [error, setError] = useState<ApiError | null>(null);

  const refresh = useCallback(async () => {
    try {
      // The first check takes the one main.tsx started with the page (lib/prefetch.ts).
      const s = await sessionData();
      setCsrfToken(s.csrfToken);
      setSession(s);
      setStatus("signed-in");
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        setCsrfToken(null);
        setSession(LOCAL_SESSION);
        setStatus("signed-in");
      } else if (e instanceof ApiError && e.status === 401) {
        setCsrfToken(null);
        setSession(null);
        setStatus("signed-out");
      } else {
        setError(e instanceof ApiError ? e : new ApiError(0, "client_error", String(e)));
        setStatus("error");
      }
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.auth.signOut();
    } finally {
      setCsrfToken(null);
      setSession(null);
      setStatus("signed-out");
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first answer is read once
  useEffect(() => {
    if (!first) void refresh();
    setUnauthenticatedHandler(() => {
      setSession(null);
      setStatus("signed-out");
    });
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const value = useMemo(
    () => ({ status, session, error, refresh, signOut }),
    [status, session, error, refresh, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession must be used inside <SessionProvider>.");
  return s;
}
