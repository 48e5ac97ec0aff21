/**
 * The settings page's account cards (issue 16, defect 8): change my password (with the current
 * one; my other devices are signed out) and sign out everywhere (optionally revoking API tokens).
 */
import { type FormEvent, useId, useState } from "react";
import { type ApiError, accountsApi, setCsrfToken } from "../api/client.js";
import { useSession } from "../api/session.js";
import { asApiError } from "../lib/useLoad.js";
import { ErrorNotice } from "./States.js";

/** "Change password": current password, new password twice. */
export function ChangePasswordCard() {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [mismatch, setMismatch] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const form = new FormData(el);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    setError(null);
    setDone(null);
    setMismatch(newPassword !== String(form.get("confirmPassword") ?? ""));
    if (newPassword !== String(form.get("confirmPassword") ?? "")) return;
    setBusy(true);
    try {
      const r = await accountsApi.changePassword({ currentPassword, newPassword });
      setDone(r.sessionsEnded);
      el.reset();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Change password</h2>
      <p className="muted small">You stay signed in here; every other device is signed out.</p>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input
            id={`${id}-current`}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>New password</label>
          <input
            id={`${id}-new`}
            name="newPassword"
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
          <input
            id={`${id}-confirm`}
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch || undefined}
          />
        </div>
        {mismatch ? (
          <ErrorNotice
            error={new Error("The two new passwords differ. Type the same one twice.")}
            title="The password was not changed"
          />
        ) : null}
        {error ? <ErrorNotice error={error} title="The password was not changed" /> : null}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
          {done !== null ? (
            <span role="status" className="small">
              Password changed.{" "}
              {done === 0
                ? "No other device was signed in."
                : `${done} other ${done === 1 ? "session was" : "sessions were"} signed out.`}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/** "Sign out everywhere": every session, this one included; API tokens too when ticked. */
export function SignOutEverywhereCard() {
  const id = useId();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const tokens = new FormData(e.currentTarget).get("tokens") === "on";
    setBusy(true);
    setError(null);
    try {
      await accountsApi.signOutEverywhere({ tokens });
      setCsrfToken(null);
      await refresh();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sign out everywhere</h2>
      <p className="muted small">
        Ends every session of yours, on every device and this one. Use it after signing in on a computer that
        is not yours, or when you think someone else is signed in as you.
      </p>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="check">
          <input type="checkbox" name="tokens" /> Also revoke my API tokens (the command line and integrations
          must log in again)
        </label>
        {error ? <ErrorNotice error={error} /> : null}
        <div className="actions">
          <button type="submit" className="button secondary" disabled={busy}>
            {busy ? "Signing out…" : "Sign out everywhere"}
          </button>
        </div>
      </form>
    </section>
  );
}
