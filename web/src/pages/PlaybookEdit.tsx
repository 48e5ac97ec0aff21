/**
 * Writing a new playbook or saving a new version of one, with a live preview: the server renders
 * the text once typing pauses, with the same renderer as a saved playbook.
 */
import { type FormEvent, useId, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { type ApiError, api, type Playbook } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { RenderedMarkdown } from "../components/RenderedMarkdown.js";
import { ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { asApiError, useLoad } from "../lib/useLoad.js";
import { useSettled } from "../lib/useSettled.js";

/** How long typing must pause before the preview is rendered again. */
const PREVIEW_PAUSE_MS = 300;

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

/** The server's rendering of `body`, asked for once typing pauses; the saved text needs no request. */
function usePreview(body: string, saved: Playbook | null) {
  const settled = useSettled(body, PREVIEW_PAUSE_MS);
  return useLoad(async () => {
    if (settled.trim() === "") return "";
    if (saved && settled === saved.body) return saved.html;
    return (await api.playbooks.preview({ body: settled })).html;
  }, [settled]);
}

function Editor({ playbook }: { playbook: Playbook | null }) {
  const id = useId();
  const navigate = useNavigate();
  const [title, setTitle] = useState(playbook?.title ?? "");
  const [body, setBody] = useState(playbook?.body ?? "");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const preview = usePreview(body, playbook);

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
              # headings, - lists, - [ ] tasks, | tables |, **bold**, [links](https://example.com). Scripts
              and other unsafe HTML are left out.
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
          {body.trim() === "" ? (
            <p className="muted">The preview appears as you write.</p>
          ) : preview.state === "ready" ? (
            <RenderedMarkdown html={preview.data} />
          ) : preview.state === "error" && preview.error.missing ? (
            <Unavailable what="The preview" />
          ) : preview.state === "error" ? (
            <ErrorNotice error={preview.error} retry={preview.reload} title="The preview failed" />
          ) : null}
        </section>
      </div>
    </section>
  );
}
