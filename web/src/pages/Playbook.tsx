/** One playbook, as the server rendered its Markdown. */
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
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
