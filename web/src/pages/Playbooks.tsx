/** Playbooks: the team's shared how-to documents. */
import { Link } from "react-router";
import { api } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { useLoad } from "../lib/useLoad.js";

/** The playbook list. */
export default function PlaybooksPage() {
  usePageTitle("Playbooks");
  const load = useLoad(() => api.playbooks.list(), []);
  return (
    <section className="page" aria-labelledby="pb-title">
      <div className="page-head">
        <h1 id="pb-title">Playbooks</h1>
        <Link className="button primary" to="/playbooks/new">
          Write a playbook
        </Link>
      </div>
      {load.state === "loading" ? <Loading what="Loading playbooks" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" && load.data.items.length === 0 ? (
        <Empty title="No playbooks yet">
          <p>Write down how your team does something well, so the next plan can start from it.</p>
        </Empty>
      ) : null}
      {load.state === "ready" && load.data.items.length > 0 ? (
        <ul className="card-list">
          {load.data.items.map((p) => (
            <li key={p.id} className="card goal-row">
              <h2 className="h3">
                <Link to={`/playbooks/${p.id}`}>{p.title}</Link>
              </h2>
              <span className="muted small">
                Version {p.version} · updated {fullDay(p.updatedAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
