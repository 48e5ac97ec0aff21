/** Every version of a playbook, newest first, each readable. */
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { RenderedMarkdown } from "../components/RenderedMarkdown.js";
import { ErrorNotice, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { useLoad } from "../lib/useLoad.js";

/** The playbook history page. */
export default function PlaybookHistoryPage() {
  const id = Number(useParams().id);
  const load = useLoad(async () => {
    const [playbook, versions] = await Promise.all([api.playbooks.get(id), api.playbooks.versions(id)]);
    return { playbook, versions: versions.items };
  }, [id]);
  usePageTitle(load.data ? `History: ${load.data.playbook.title}` : "Playbook history");
  if (load.state === "loading") return <Loading what="Loading the history" />;
  if (load.state === "error")
    return (
      <section className="page">
        <h1>Playbook history</h1>
        <ErrorNotice error={load.error} retry={load.reload} />
      </section>
    );
  const { playbook, versions } = load.data;
  return (
    <section className="page narrow" aria-labelledby="pbh-title">
      <p className="eyebrow">
        <Link to={`/playbooks/${playbook.id}`}>{playbook.title}</Link>
      </p>
      <h1 id="pbh-title">History</h1>
      <ol className="stack plain-list">
        {[...versions].reverse().map((v) => (
          <li key={v.version} className="card">
            <details>
              <summary>
                <strong>Version {v.version}</strong> · {fullDay(v.createdAt)}
                {v.note ? ` · ${v.note}` : ""}
              </summary>
              <RenderedMarkdown html={v.html} />
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
