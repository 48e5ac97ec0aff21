/**
 * Import: bring plans from Taskwarrior, Trello, Todoist or Asana. Importing the same file again
 * adds nothing. Afterwards the coach says how many imported steps are outcomes or vague, and
 * lists the worst ones so they can be rewritten as concrete actions.
 */
import { useId, useState } from "react";
import { Link } from "react-router";
import { type ApiError, api, type ImportOutcome } from "../api/client.js";
import { usePageTitle } from "../components/Layout.js";
import { ErrorNotice } from "../components/States.js";
import { asApiError } from "../lib/useLoad.js";
import { CsvImport } from "./import/CsvImport.js";

const SOURCES = [
  { value: "taskwarrior", label: "Taskwarrior (task export JSON)" },
  { value: "trello", label: "Trello (board JSON export)" },
  { value: "todoist", label: "Todoist (CSV template)" },
  { value: "asana", label: "Asana (CSV export)" },
] as const;

/** The import page. */
export default function ImportPage() {
  usePageTitle("Import");
  const id = useId();
  const [source, setSource] = useState<string>("taskwarrior");
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportOutcome | null>(null);

  async function submit() {
    setError(null);
    setResult(null);
    if (!file) {
      setError(asApiError(new Error("Choose the exported file first.")));
      return;
    }
    setBusy(true);
    try {
      setResult(await api.imports.run(source, file, name.trim() || undefined));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>Import</h1>
        <p className="muted">
          Projects, boards and lists become goals; tasks and cards become steps. Importing the same file again
          adds nothing.
        </p>
      </div>
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={`${id}-source`}>From</label>
        <select id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)}>
          {SOURCES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-file`}>The exported file</label>
        <input id={`${id}-file`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <label htmlFor={`${id}-name`}>Goal title when the file names none (Todoist, Asana; optional)</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={300} />
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
      </form>
      {error && <ErrorNotice error={error} title="The file was not imported" />}
      {result && (
        <div className="card stack" aria-live="polite">
          <h2>Imported</h2>
          <p>
            {result.goals.created} new goals ({result.goals.existing} already here), {result.steps.created}{" "}
            new steps ({result.steps.existing} already here).
          </p>
          {result.goalIds.length > 0 && (
            <ul>
              {result.goalIds.map((g) => (
                <li key={g}>
                  <Link to={`/goals/${g}`}>Goal #{g}</Link>
                </li>
              ))}
            </ul>
          )}
          {result.fields.length > 0 && (
            <>
              <h3>What became of each field</h3>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
              <section className="table-scroll" aria-label="Fields, scrollable" tabIndex={0}>
                <table className="table field-report">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Became</th>
                      <th scope="col">Kept</th>
                      <th scope="col">Mapped</th>
                      <th scope="col">Left out</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.fields.map((f) => (
                      <tr key={f.source}>
                        <th scope="row">{f.source}</th>
                        <td data-label="Became">{f.to ?? "—"}</td>
                        <td data-label="Kept">{f.kept}</td>
                        <td data-label="Mapped">{f.mapped}</td>
                        <td data-label="Left out">{f.leftOut}</td>
                        <td data-label="Why">{f.why ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </>
          )}
          <h3>The coach on the new steps</h3>
          <p>
            Of {result.coach.checked} steps checked, {result.coach.outcomes} are outcomes rather than actions,{" "}
            {result.coach.vague} use a vague verb, and {result.coach.tooBig} are too big for one sitting.
          </p>
          {result.coach.worst.length > 0 && (
            <ol>
              {result.coach.worst.map((w) => (
                <li key={w.stepId}>
                  <Link to={`/goals/${w.goalId}`}>{w.text}</Link>
                  <ul>
                    {w.findings.map((f) => (
                      <li key={f.code}>
                        {f.message} {f.suggestion}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      <CsvImport />
    </section>
  );
}
