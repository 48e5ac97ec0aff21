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

const THINGS: Record<string, string> = {
  goal: "This goal",
  step: "This step",
  checkin: "This check-in",
  team: "This team",
  playbook: "This playbook",
  webhook: "This webhook",
  channel: "This channel",
  delegation: "This delegation",
  commitment: "This commitment",
};

/**
 * What an error means to a person, as a sentence that says what to do: the API's own message where
 * it is written for people, a plainer one where it speaks of ids, routes or codes. Never a code.
 */
export function errorSentence(error: ApiError | Error): string {
  const e = error as Partial<ApiError> & Error;
  const code = e.code ?? "";
  const status = e.status ?? 0;
  if (code === "network_error") {
    return "The server could not be reached. Check your connection and that the server is running, then try again.";
  }
  if (status === 401) return "Your session has ended. Sign in again to carry on.";
  if (code === "route_not_found") {
    return "This part of Throughline is not available on this server yet. Ask whoever runs it to update it.";
  }
  if (status === 404 && code.endsWith("_not_found") && code !== "channel_not_found") {
    const thing = THINGS[code.replace(/_not_found$/, "")] ?? "This item";
    return `${thing} does not exist, or it is not shared with you. Go back and open it from its list.`;
  }
  if (status >= 500) {
    return "Something went wrong on the server. Try again in a moment; if it keeps happening, tell whoever runs this server.";
  }
  const text = (e.message || "That did not work. Try again.").trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Whether trying the same request again may work: not for a refusal, a missing thing or bad input. */
function retryable(error: ApiError | Error): boolean {
  const status = (error as Partial<ApiError>).status ?? 0;
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** An API error as a sentence that says what to do, with a retry button when trying again may help. */
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
      <p>{errorSentence(error)}</p>
      {retry && retryable(error) ? (
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
