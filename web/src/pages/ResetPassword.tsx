/**
 * Choosing a new password from a reset link (issue 16, defect 8): /reset-password#<token>, from
 * the email or from the workspace owner. The token rides in the fragment, so it never reaches a
 * server log or a Referer header; the page takes it out of the address bar once read.
 */
import { type FormEvent, useEffect, useId, useState } from "react";
import { useNavigate } from "react-router";
import { type ApiError, accountsApi, setCsrfToken } from "../api/client.js";
import { useSession } from "../api/session.js";
import { usePageTitle } from "../components/Layout.js";
import { ErrorNotice } from "../components/States.js";
import { asApiError } from "../lib/useLoad.js";

/** The reset page. */
export default function ResetPasswordPage() {
  usePageTitle("Choose a new password");
  const id = useId();
  const navigate = useNavigate();
  const { session, refresh } = useSession();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, "")));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    setError(null);
    if (password !== String(form.get("confirm") ?? "")) {
      setError(new Error("The two passwords differ. Type the same one twice."));
      return;
    }
    setBusy(true);
    try {
      await accountsApi.resetPassword({ token, password });
      setDone(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function toSignIn() {
    // Every session of the account ended with the reset, this browser's too if it had one.
    setCsrfToken(null);
    if (session) await refresh();
    navigate("/sign-in", { replace: true });
  }

  return (
    <main id="main" className="main narrow auth-page">
      <p className="brand-line" aria-hidden="true">
        Throughline
      </p>
      <h1>Choose a new password</h1>
      {done ? (
        <div className="card stack">
          <p role="status">
            Your password is set, and every device signed in to your account was signed out.
          </p>
          <div className="actions">
            <button type="button" className="button primary" onClick={() => void toSignIn()}>
              Sign in with the new password
            </button>
          </div>
        </div>
      ) : !token ? (
        <ErrorNotice
          error={
            new Error("This link is incomplete. Open the whole link from the email, or ask for a new one.")
          }
          title="No reset link"
        />
      ) : (
        <form className="card form" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor={`${id}-password`}>New password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              maxLength={200}
              required
              aria-describedby={`${id}-hint`}
            />
            <p className="hint" id={`${id}-hint`}>
              At least 10 characters; a few unrelated words are easy to remember and hard to guess.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-confirm`}>New password again</label>
            <input id={`${id}-confirm`} name="confirm" type="password" autoComplete="new-password" required />
          </div>
          {error ? <ErrorNotice error={error} title="The password was not changed" /> : null}
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Saving…" : "Set the new password"}
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
