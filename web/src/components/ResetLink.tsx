/**
 * The workspace owner's "Create a reset link" for someone who forgot their password (issue 16,
 * defect 8), for servers that send no email: a single-use link that expires, shown once.
 */
import { useState } from "react";
import { type ApiError, accountsApi } from "../api/client.js";
import { asApiError } from "../lib/useLoad.js";
import { ErrorNotice } from "./States.js";

/** The button beside a person, then the link to hand them. */
export function ResetLinkAction({ userId, name }: { userId: number; name: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);

  async function make() {
    setBusy(true);
    setError(null);
    try {
      const r = await accountsApi.resetLink(userId);
      setLink({ url: `${window.location.origin}${r.path}`, expiresAt: r.expiresAt });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="reset-link">
      <button type="button" className="button secondary small" disabled={busy} onClick={() => void make()}>
        {busy ? "Making…" : "Create a reset link"}
        <span className="visually-hidden"> for {name}</span>
      </button>
      {link ? (
        <div className="notice" role="status">
          <p>
            Give this link to {name} yourself (not by a shared channel). It works once, until{" "}
            {new Date(link.expiresAt).toLocaleString()}:
          </p>
          <code className="token" data-testid="reset-link">
            {link.url}
          </code>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} title="No reset link was made" /> : null}
    </div>
  );
}
