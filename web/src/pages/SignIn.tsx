/**
 * First run and sign-in. On a fresh server the first account becomes the owner; an invitation link
 * (/join/<token>, as the API hands it out, or ?invite=<token>) lands here to create an account in the inviting workspace.
 */
import { type FormEvent, useId, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { ApiError, api, setCsrfToken } from "../api/client.js";
import { useSession } from "../api/session.js";
import { ForgotPassword } from "../components/ForgotPassword.js";
import { usePageTitle } from "../components/Layout.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { nextPathOf } from "../lib/next-path.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

type Mode = "setup" | "invite" | "sign-in" | "sign-up" | "forgot";

function inviteTokenOf(pathname: string, search: string): string | null {
  const m = /^\/(?:join|invite)\/([^/]+)/.exec(pathname);
  if (m?.[1]) return decodeURIComponent(m[1]);
  return new URLSearchParams(search).get("invite");
}

/** The sign-in page (also first run and invitations). */
export default function SignInPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const invite = inviteTokenOf(location.pathname, location.search);
  const setup = useLoad(async () => {
    const [state, invitation] = await Promise.all([
      api.auth.setup().catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return { needsSetup: false };
        throw e;
      }),
      invite ? api.auth.invitation(invite) : null,
    ]);
    return { ...state, invitation };
  }, [invite]);
  const invitation = setup.data?.invitation ?? null;
  const [chosen, setChosen] = useState<Mode | null>(null);
  const mode: Mode = invite ? "invite" : setup.data?.needsSetup ? "setup" : (chosen ?? "sign-in");
  const title =
    mode === "setup"
      ? "Create the owner account"
      : mode === "invite"
        ? "Join your team"
        : mode === "sign-up"
          ? "Create an account"
          : mode === "forgot"
            ? "Reset your password"
            : "Sign in";
  usePageTitle(title);

  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const ids = { name: useId(), email: useId(), password: useId() };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const r =
        mode === "sign-in"
          ? await api.auth.signIn({ email, password })
          : await api.auth.signUp({ email, password, name, ...(invite ? { inviteToken: invite } : {}) });
      setCsrfToken(r.csrfToken);
      // Back to the page opened (an email's deep link), hash kept: lib/next-path.ts.
      const next = nextPathOf(location.pathname, location.search, location.hash, window.location.origin);
      await refresh();
      navigate(next, { replace: true });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="main narrow auth-page">
      <p className="brand-line" aria-hidden="true">
        Throughline
      </p>
      <h1>{title}</h1>
      {mode === "setup" ? (
        <p className="lead">
          This server is new. The first account becomes the owner of the workspace; you can invite your team
          afterwards.
        </p>
      ) : mode === "invite" ? (
        <p className="lead">
          You were invited to{" "}
          {invitation ? <strong>{invitation.workspace}</strong> : "a Throughline workspace"}
          {invitation ? ` as ${invitation.role}` : ""}. Create your account to join it.
        </p>
      ) : (
        <p className="lead">Plans people carry out, and a measure of whether they do.</p>
      )}
      {setup.state === "loading" ? <Loading what="Checking this server" /> : null}
      {setup.state === "error" ? <ErrorNotice error={setup.error} retry={setup.reload} /> : null}
      {setup.state === "ready" && mode === "forgot" ? (
        <ForgotPassword back={() => setChosen("sign-in")} />
      ) : null}
      {setup.state === "ready" && mode !== "forgot" ? (
        <form
          className="card form"
          onSubmit={(e) => void submit(e)}
          aria-describedby={error ? "auth-error" : undefined}
        >
          {mode !== "sign-in" ? (
            <div className="field">
              <label htmlFor={ids.name}>Your name</label>
              <input id={ids.name} name="name" autoComplete="name" required maxLength={200} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={ids.email}>Email</label>
            <input
              id={ids.email}
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={invitation?.email ?? undefined}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>Password</label>
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              minLength={mode === "sign-in" ? undefined : 12}
              required
            />
            {mode !== "sign-in" ? (
              <p className="hint">
                At least 12 characters and hard to guess: a few unrelated words work well.
              </p>
            ) : null}
          </div>
          {error ? (
            <div id="auth-error">
              <ErrorNotice
                error={error}
                title={mode === "sign-in" ? "Could not sign in" : "Could not create the account"}
              />
            </div>
          ) : null}
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Working…" : mode === "sign-in" ? "Sign in" : "Create account"}
            </button>
            {mode === "sign-in" ? (
              <button type="button" className="button link" onClick={() => setChosen("forgot")}>
                Forgot password?
              </button>
            ) : null}
            {mode === "sign-in" ? (
              <button type="button" className="button link" onClick={() => setChosen("sign-up")}>
                I have no account yet
              </button>
            ) : mode === "sign-up" ? (
              <button type="button" className="button link" onClick={() => setChosen("sign-in")}>
                I already have an account
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </main>
  );
}
