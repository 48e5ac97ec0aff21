/**
 * One playbook, as the server rendered its Markdown, with what a plan started from it gets: its key
 * results, each step with the key result it serves, its Plan Bs, and the "(KR …)" endings that stay
 * words (the server reads the Markdown; the page only shows it).
 */
import { Link, useParams } from "react-router";
import { api, type Playbook } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { RenderedMarkdown } from "../components/RenderedMarkdown.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { useLoad } from "../lib/useLoad.js";

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
