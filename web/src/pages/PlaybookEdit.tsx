/** Writing a new playbook or saving a new version of one, with a live preview. */
import { type FormEvent, useId, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { type ApiError, api, type Playbook } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { Markdown } from "../components/Markdown.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { asApiError, useLoad } from "../lib/useLoad.js";

/** The playbook editor (new when there is no id). */
export default function PlaybookEditPage() {
  const params = useParams();
  const id = params.id ? Number(params.id) : null;
  const load = useLoad(async () => (id === null ? null : api.playbooks.get(id)), [id]);
  usePageTitle(id === null ? "New playbook" : "Edit playbook");
  if (load.state === "loading") return <Loading what="Loading the playbook" />;
  if (load.state === "error")
    return (
      <section className="page">
        <h1>Edit playbook</h1>
        <ErrorNotice error={load.error} retry={load.reload} />
      </section>
    );
  return <Editor playbook={load.data} />;
}

function Editor({ playbook }: { playbook: Playbook | null }) {
  const id = useId();
  const navigate = useNavigate();
  const [title, setTitle] = useState(playbook?.title ?? "");
  const [body, setBody] = useState(playbook?.body ?? "");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = playbook
        ? await api.playbooks.update(playbook.id, { title, body, note: note || null })
        : await api.playbooks.create({ title, body });
      navigate(`/playbooks/${saved.id}`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{playbook ? `Edit: ${playbook.title}` : "New playbook"}</h1>
      <div className="grid-2">
        <form className="card form" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              maxLength={200}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-body`}>Text (Markdown)</label>
            <textarea
              id={`${id}-body`}
              className="editor"
              rows={16}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              aria-describedby={`${id}-body-hint`}
            />
            <p id={`${id}-body-hint`} className="hint">
              # headings, - lists, **bold**, [links](https://example.com). HTML is shown as text.
            </p>
          </div>
          {playbook ? (
            <div className="field">
              <label htmlFor={`${id}-note`}>What changed (kept in the history)</label>
              <input
                id={`${id}-note`}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                maxLength={500}
              />
            </div>
          ) : null}
          {error ? <ErrorNotice error={error} title="The playbook was not saved" /> : null}
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Saving…" : playbook ? "Save a new version" : "Create the playbook"}
            </button>
          </div>
        </form>
        <section className="card" aria-labelledby={`${id}-preview`}>
          <h2 id={`${id}-preview`}>Preview</h2>
          {body.trim() ? (
            <Markdown source={body} />
          ) : (
            <p className="muted">The preview appears as you write.</p>
          )}
        </section>
      </div>
    </section>
  );
}
