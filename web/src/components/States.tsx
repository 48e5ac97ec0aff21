/** The loading, empty and error states every page uses, so none of them is ever blank. */
import type { ReactNode } from "react";
import type { ApiError } from "../api/client.js";

/** A quiet "loading" line, announced to screen readers. */
export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {what}…
    </p>
  );
}

/** An API error with its message (a sentence that says what to do, never the code) and a retry button. */
export function ErrorNotice({
  error,
  retry,
  title = "That did not work",
}: {
  error: ApiError | Error;
  retry?: () => void;
  title?: string;
}) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{error.message}</p>
      {retry ? (
        <button type="button" className="button secondary" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A friendly empty state with what to do next. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** A feature the server does not offer yet (the route answered 404). */
export function Unavailable({ what, children }: { what: string; children?: ReactNode }) {
  return (
    <div className="state state-unavailable" role="note">
      <p className="state-title">{what} is not available on this server yet</p>
      {children ?? <p className="muted">Update the server to a version that has it, then reload.</p>}
    </div>
  );
}
