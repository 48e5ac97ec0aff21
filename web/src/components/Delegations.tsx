/**
 * Delegations on My week: what I was asked to take on (accept, or ask to clarify) and the
 * questions people asked about what I delegated (answer them). The how is always the assignee's.
 */
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { type ApiError, api, type Delegation } from "../api/client.js";
import { shortDay, todayIso } from "../lib/dates.js";
import { asApiError } from "../lib/useLoad.js";
import { ErrorNotice } from "./States.js";

/** The delegator's answer to the assignee's question. */
export function AnswerForm({ delegation, onAnswered }: { delegation: Delegation; onAnswered: () => void }) {
  const id = useId();
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const answer = String(new FormData(e.currentTarget).get("answer") ?? "");
    setError(null);
    try {
      await api.delegations.answer(delegation.id, { answer });
      onAnswered();
    } catch (err) {
      setError(asApiError(err));
    }
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <div className="field field-wide">
        <label htmlFor={`${id}-answer`}>Your answer about “{delegation.what}”</label>
        <input id={`${id}-answer`} name="answer" required maxLength={2000} />
      </div>
      <button type="submit" className="button secondary small">
        Answer
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

function Incoming({ d, from, onChanged }: { d: Delegation; from: string; onChanged: () => void }) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="delegation">
      <p>
        <strong>{d.what}</strong>{" "}
        <span className="muted small">
          · from {from}
          {d.dueDate ? ` · by ${shortDay(d.dueDate)}` : ""} · check in every {d.cadenceDays} days
        </span>
      </p>
      {d.why ? <p className="small">Why: {d.why}</p> : null}
      <p className="small">Done looks like: {d.doneLooksLike}</p>
      <p className="small muted">{d.how}</p>
      {d.state === "clarification-asked" ? (
        <p className="small">
          You asked: {d.question} <span className="tag">waiting for an answer</span>
        </p>
      ) : d.answer ? (
        <p className="small">
          {from} answered: {d.answer}
        </p>
      ) : null}
      <p className="small">
        <Link to={`/goals/${d.goalId}`}>Open the goal</Link>
      </p>
      {d.state === "proposed" ? (
        <div className="actions">
          <button
            type="button"
            className="button primary small"
            disabled={busy}
            aria-label={`Accept: ${d.what}`}
            onClick={() => void run(() => api.delegations.accept(d.id))}
          >
            Accept
          </button>
          <button
            type="button"
            className="button secondary small"
            aria-expanded={asking}
            aria-label={`Ask to clarify: ${d.what}`}
            onClick={() => setAsking(!asking)}
          >
            Ask to clarify
          </button>
        </div>
      ) : null}
      {asking && d.state === "proposed" ? (
        <form
          className="inline-form"
          onSubmit={(e: FormEvent<HTMLFormElement>) => {
            e.preventDefault();
            const question = String(new FormData(e.currentTarget).get("question") ?? "");
            void run(() => api.delegations.clarify(d.id, { question })).then(() => setAsking(false));
          }}
        >
          <div className="field field-wide">
            <label htmlFor={`${id}-q`}>Your question</label>
            <input id={`${id}-q`} name="question" required maxLength={2000} />
          </div>
          <button type="submit" className="button secondary small" disabled={busy}>
            Send the question
          </button>
        </form>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}

/** Words for where a delegation stands, for either side. */
export function delegationWords(d: Delegation): string {
  if (d.done) return "Done";
  if (d.state === "accepted") return "Accepted";
  if (d.state === "clarification-asked") return "A question is waiting";
  return "Waiting for an answer";
}

/** An accepted delegation still to do: it stays on My week until its step is done. */
function Accepted({ d, from, onChanged }: { d: Delegation; from: string; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const overdue = d.dueDate !== null && d.dueDate < todayIso();
  async function markDone(stepId: number) {
    setBusy(true);
    setError(null);
    try {
      await api.steps.done(stepId);
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="delegation row-between">
      <div>
        <p>
          <strong>{d.what}</strong>{" "}
          <span className="muted small">
            · from {from}
            {d.dueDate ? ` · ${overdue ? "overdue since" : "by"} ${shortDay(d.dueDate)}` : ""}
          </span>
        </p>
        <p className="small">Done looks like: {d.doneLooksLike}</p>
        <p className="small">
          <Link to={`/goals/${d.goalId}`}>Open the goal</Link>
        </p>
        {error ? (
          <p className="inline-error" role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
      {d.stepId !== null ? (
        <button
          type="button"
          className="button secondary small"
          disabled={busy}
          aria-label={`Mark done: ${d.what}`}
          onClick={() => void markDone(d.stepId as number)}
        >
          {busy ? "Saving…" : "Done"}
        </button>
      ) : null}
    </li>
  );
}

/**
 * The delegations card of My week ("Asked of me"): what I was asked and have not answered, what I
 * accepted and have not finished (until its step is done, whatever its due date), the questions
 * about what I delegated, and what I asked of others that is still open. Nothing when all are empty.
 */
export function DelegationsCard({
  items,
  me,
  names,
  onChanged,
}: {
  items: Delegation[];
  me: number;
  names: Map<number, string>;
  onChanged: () => void;
}) {
  const open = items.filter((d) => d.open !== false);
  const incoming = open.filter((d) => d.assigneeId === me && d.state !== "accepted");
  const accepted = open.filter((d) => d.assigneeId === me && d.state === "accepted");
  const questions = open.filter((d) => d.delegatedBy === me && d.state === "clarification-asked");
  const waiting = open.filter((d) => d.delegatedBy === me && d.state !== "clarification-asked");
  if (incoming.length + accepted.length + questions.length + waiting.length === 0) return null;
  const nameOf = (id: number) => names.get(id) ?? "a teammate";
  return (
    <section className="card" aria-labelledby="delegations-title">
      <h2 id="delegations-title">Asked of me</h2>
      {incoming.length > 0 ? (
        <ul className="plain-list" data-testid="incoming-delegations">
          {incoming.map((d) => (
            <Incoming key={d.id} d={d} from={nameOf(d.delegatedBy)} onChanged={onChanged} />
          ))}
        </ul>
      ) : null}
      {accepted.length > 0 ? (
        <>
          <h3 className="subhead">Accepted, to do</h3>
          <ul className="plain-list" data-testid="accepted-delegations">
            {accepted.map((d) => (
              <Accepted key={d.id} d={d} from={nameOf(d.delegatedBy)} onChanged={onChanged} />
            ))}
          </ul>
        </>
      ) : null}
      {questions.length > 0 ? (
        <>
          <h3 className="subhead">Questions about what you delegated</h3>
          <ul className="plain-list" data-testid="delegation-questions">
            {questions.map((d) => (
              <li key={d.id} className="delegation">
                <p>
                  <strong>{nameOf(d.assigneeId)} asks</strong> about “{d.what}”: {d.question}
                </p>
                <AnswerForm delegation={d} onAnswered={onChanged} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {waiting.length > 0 ? (
        <>
          <h3 className="subhead">Asked by me</h3>
          <ul className="plain-list" data-testid="outgoing-delegations">
            {waiting.map((d) => (
              <li key={d.id} className="delegation">
                <p>
                  <strong>{d.what}</strong>{" "}
                  <span className="muted small">
                    · {nameOf(d.assigneeId)}
                    {d.dueDate ? ` · by ${shortDay(d.dueDate)}` : ""}
                  </span>{" "}
                  <span className="tag">{delegationWords(d)}</span>
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
