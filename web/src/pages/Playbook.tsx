/**
 * One playbook, as the server rendered its Markdown, with what a plan started from it gets: its key
 * results, each step with the key result it serves, its Plan Bs, and the "(KR …)" endings that stay
 * words (the server reads the Markdown; the page only shows it), and a form to start that plan.
 */
import { type FormEvent, useId, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { type ApiError, api, type Playbook } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { RenderedMarkdown } from "../components/RenderedMarkdown.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

/** Reading a playbook. */
export default function PlaybookPage() {
  const id = Number(useParams().id);
  const load = useLoad(() => api.playbooks.get(id), [id]);
  usePageTitle(load.data?.title ?? "Playbook");
  if (load.state === "loading") return <Loading what="Loading the playbook" />;
  if (load.state === "error")
    return (
      <section className="page">
        <h1>Playbook</h1>
        <ErrorNotice error={load.error} retry={load.reload} />
      </section>
    );
  const p = load.data;
  return (
    <article className="page narrow" aria-labelledby="playbook-title">
      <p className="eyebrow">
        <Link to="/playbooks">Playbooks</Link> · version {p.version} · updated {fullDay(p.updatedAt)}
      </p>
      <div className="page-head">
        <h1 id="playbook-title">{p.title}</h1>
        <div className="actions">
          <Link className="button secondary" to={`/playbooks/${p.id}/history`}>
            History
          </Link>
          <Link className="button primary" to={`/playbooks/${p.id}/edit`}>
            Edit
          </Link>
        </div>
      </div>
      <PlanTemplate template={p.template} />
      <StartPlan playbook={p} />
      <div className="card">
        {p.body.trim() ? (
          <RenderedMarkdown html={p.html} />
        ) : (
          <p className="muted">This playbook is empty.</p>
        )}
      </div>
    </article>
  );
}

/** What a plan started from the playbook gets, read by the server from its Markdown. */
function PlanTemplate({ template: t }: { template: Playbook["template"] }) {
  if (t.keyResults.length === 0 && t.steps.length === 0 && t.barriers.length === 0) return null;
  const unit = (u: string | null) => (u ? ` ${u}` : "");
  return (
    <section className="card playbook-template" aria-labelledby="template-title">
      <h2 id="template-title">A plan from this playbook gets</h2>
      {t.keyResults.length > 0 ? (
        <>
          <h3>Key results</h3>
          <ol className="template-krs">
            {t.keyResults.map((k) => (
              <li key={k.title}>
                <strong>{k.title}</strong>: from {k.startValue} to {k.targetValue}
                {unit(k.unit)}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {t.steps.length > 0 ? (
        <>
          <h3>Steps</h3>
          <ul className="template-steps">
            {t.steps.map((s, i) => {
              const kr = s.keyResult === null ? undefined : t.keyResults[s.keyResult - 1];
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: steps are read in order and may repeat.
                <li key={i}>
                  <span>{s.text}</span>
                  {kr ? (
                    <span className="tag tag-good" title={`Serves key result ${s.keyResult}`}>
                      serves KR {s.keyResult} · {kr.title}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {t.barriers.length > 0 ? (
        <>
          <h3>Plan B</h3>
          <ul className="template-barriers">
            {t.barriers.map((b) => (
              <li key={b.planB}>{b.planB}</li>
            ))}
          </ul>
        </>
      ) : null}
      {t.notes.length > 0 ? (
        <div className="notice" role="note" aria-label="Kept as words">
          {t.notes.map((n) => (
            <p key={n.step}>{n.message}</p>
          ))}
        </div>
      ) : null}
    </section>
  );
}

/** What the goal page is told when it opens on a plan just started from a playbook. */
export interface StartedFromPlaybook {
  playbookId: number;
  playbookTitle: string;
  warnings: { code: string; message: string; suggestion?: string | null }[];
}

/**
 * Starts a plan from the playbook: the goal's title (the playbook's unless changed), an optional due
 * date and who can see it. The server writes the goal, key results, steps and Plan Bs, and the page
 * opens the goal, carrying the server's warnings there so they are read.
 */
function StartPlan({ playbook }: { playbook: Playbook }) {
  const id = useId();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(playbook.title.slice(0, 300));
  const [due, setDue] = useState("");
  const [visibility, setVisibility] = useState<"private" | "workspace">("private");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const plan = await api.playbooks.startPlan(playbook.id, {
        title: title.trim() || undefined,
        dueDate: due || undefined,
        visibility,
      });
      const state: StartedFromPlaybook = {
        playbookId: playbook.id,
        playbookTitle: playbook.title,
        warnings: plan.warnings,
      };
      navigate(`/goals/${plan.goal.id}`, { state: { startedFromPlaybook: state } });
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }
  if (!open) {
    return (
      <div className="start-plan-open">
        <button type="button" className="button primary" onClick={() => setOpen(true)}>
          Start a plan from this playbook
        </button>
      </div>
    );
  }
  return (
    <form className="card start-plan" aria-labelledby={`${id}-title`} onSubmit={(e) => void start(e)}>
      <h2 id={`${id}-title`}>Start a plan from this playbook</h2>
      <p className="muted small">
        The new goal gets the key results, steps and Plan Bs above, and links back to this playbook.
      </p>
      <div className="field">
        <label htmlFor={`${id}-goal`}>Goal title</label>
        <input
          id={`${id}-goal`}
          value={title}
          maxLength={300}
          required
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div className="row-fields">
        <div className="field field-narrow">
          <label htmlFor={`${id}-due`}>Due date</label>
          <input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-visibility`}>Who can see it</label>
          <select
            id={`${id}-visibility`}
            value={visibility}
            onChange={(e) => setVisibility(e.target.value === "workspace" ? "workspace" : "private")}
          >
            <option value="private">Only me (and people I share it with)</option>
            <option value="workspace">Everyone in the workspace</option>
          </select>
        </div>
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Starting…" : "Start the plan"}
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
