/**
 * "Forgot password?" on the sign-in page (issue 16, defect 8): asks for the email and shows the
 * server's answer, which is the same sentence whether or not the address has an account (by email
 * when the server sends email, else: ask the workspace owner for a reset link).
 */
import { type FormEvent, useId, useState } from "react";
import { type ApiError, accountsApi } from "../api/client.js";
import { asApiError } from "../lib/useLoad.js";
import { ErrorNotice } from "./States.js";

/** The form, then the answer; `back` returns to signing in. */
export function ForgotPassword({ back }: { back: () => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      setAnswer((await accountsApi.forgotPassword({ email })).message);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)}>
      <p>Type the email you sign in with. You choose a new password from a link that works once.</p>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
      </div>
      {answer ? (
        <div className="notice" role="status" data-testid="forgot-answer">
          <p>{answer}</p>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} title="Could not ask for a reset link" /> : null}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Working…" : answer ? "Send again" : "Reset my password"}
        </button>
        <button type="button" className="button link" onClick={back}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
