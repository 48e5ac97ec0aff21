/**
 * The CSV and OKR import on the Import page: choose a spreadsheet's CSV, see which column each
 * field comes from (and change it), a preview of the first rows as mapped with the coach's findings
 * per objective, then import with the same mapping and read the per-field report (what was kept,
 * mapped and left out) with links to the new goals. Nothing is written until "Import".
 */
import { useId, useState } from "react";
import { Link } from "react-router";
// The template itself (docs/templates/okr-import.csv), built into the app so its download is the
// documented file and cannot drift from a copy.
import template from "../../../../docs/templates/okr-import.csv?raw";
import { type ApiError, api, type OkrImportOutcome } from "../../api/client.js";
import { ErrorNotice } from "../../components/States.js";
import { asApiError } from "../../lib/useLoad.js";

/** The template as a link a browser downloads (a data: URL: the file is a few hundred bytes). */
const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(template)}`;

/** The fields a column can map to, in the template's order (docs/integrations.md, "CSV and OKR import"). */
const FIELDS = [
  {
    field: "title",
    column: "Objective",
    label: "Objective",
    about: "the goal's title; required on every row",
  },
  { field: "why", column: "Why", label: "Why", about: "why the objective matters" },
  { field: "kr", column: "Key result", label: "Key result", about: "a key result's title" },
  { field: "unit", column: "Unit", label: "Unit", about: "%, customers, $" },
  { field: "start", column: "Start", label: "Start value", about: "a number" },
  { field: "target", column: "Target", label: "Target value", about: "a number" },
  { field: "current", column: "Current", label: "Current value", about: "a number" },
  { field: "owner", column: "Owner", label: "Owner", about: "an email or a name of a person here" },
  { field: "due", column: "Due", label: "Due date", about: "YYYY-MM-DD" },
  { field: "checkinDate", column: "Check-in date", label: "Check-in date", about: "YYYY-MM-DD" },
  { field: "checkinValue", column: "Check-in value", label: "Check-in value", about: "a number" },
  { field: "checkinNote", column: "Check-in note", label: "Check-in note", about: "what was said that day" },
] as const;

/** The mapping as the route's `map` query: comma-separated field=Column pairs. */
function mapQuery(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([field, column]) => `${field}=${column}`)
    .join(",");
}

/** The CSV import: file, mapping and preview, then the import and its report. */
export function CsvImport() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  // The fields whose column the person chose; the others map by the template's column names.
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<OkrImportOutcome | null>(null);
  const [done, setDone] = useState<OkrImportOutcome | null>(null);
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  const [error, setError] = useState<{ which: "preview" | "import"; error: ApiError } | null>(null);

  async function send(which: "preview" | "import", f: File | null, map: Record<string, string>) {
    setError(null);
    if (!f) {
      setError({ which, error: asApiError(new Error("Choose the CSV file first.")) });
      return;
    }
    setBusy(which);
    try {
      const answer = await api.imports.csv(f, { map: mapQuery(map), preview: which === "preview" });
      if (which === "preview") {
        setPreview(answer);
        setDone(null);
      } else setDone(answer);
    } catch (e) {
      // A failed preview keeps the last mapping on screen, so a wrong choice can be changed back.
      setError({ which, error: asApiError(e) });
    } finally {
      setBusy(null);
    }
  }

  function choose(field: string, column: string) {
    const next = { ...chosen };
    if (column) next[field] = column;
    else delete next[field];
    setChosen(next);
    void send("preview", file, next);
  }

  const mapping = preview?.mapping ?? {};
  const mappedFields = FIELDS.filter((f) => mapping[f.field]);

  return (
    <section className="card stack csv-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Spreadsheets and OKR tools (CSV)</h2>
      <p className="muted">
        One row per check-in of a key result: rows with the same objective are one goal, rows with the same
        key result are one key result, and each check-in date and value becomes a dated check-in, so pace and
        forecast work from the first day. Nothing is written until you press Import.
      </p>
      <p>
        <a href={TEMPLATE_HREF} download="okr-import.csv" className="button secondary small">
          Download the template
        </a>{" "}
        <span className="muted small">okr-import.csv: the header row and two example objectives</span>
      </p>
      <details>
        <summary>The columns the template has</summary>
        <p>
          The template (also <code>docs/templates/okr-import.csv</code> in Throughline's documentation) has
          this header row:
        </p>
        <ul className="csv-columns">
          {FIELDS.map((f) => (
            <li key={f.field}>
              <strong>{f.column}</strong>: {f.about}
            </li>
          ))}
        </ul>
        <p>Columns named otherwise are matched to fields below, after you choose the file.</p>
      </details>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send("preview", file, chosen);
        }}
      >
        <label htmlFor={`${id}-file`}>The CSV file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setChosen({});
            setPreview(null);
            setDone(null);
            if (f) void send("preview", f, {});
          }}
        />
        <div>
          <button type="submit" className="button secondary" disabled={busy !== null}>
            {busy === "preview" ? "Reading the file…" : "Preview again"}
          </button>
        </div>
      </form>
      {error && (
        <ErrorNotice
          error={error.error}
          title={
            error.which === "import"
              ? "The file was not imported"
              : preview
                ? "The preview with this mapping failed; change the mapping or the file"
                : "The file could not be read"
          }
        />
      )}
      {preview && (
        <div className="stack" aria-live="polite">
          <h3>Which column holds each field</h3>
          <p className="muted">
            {preview.rows} rows, {preview.columns.length} columns. A field left without a column takes the
            column named as in the template, when the file has one.
          </p>
          <div className="csv-mapping">
            {FIELDS.map((f) => (
              <div key={f.field} className="csv-mapping-row">
                <label htmlFor={`${id}-map-${f.field}`}>{f.label}</label>
                <select
                  id={`${id}-map-${f.field}`}
                  value={chosen[f.field] ?? mapping[f.field] ?? ""}
                  disabled={busy !== null}
                  onChange={(e) => choose(f.field, e.target.value)}
                >
                  <option value="">No column</option>
                  {preview.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>

          <h3>The first rows as they will be read</h3>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <section className="table-scroll" aria-label="The first rows as mapped, scrollable" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {mappedFields.map((f) => (
                    <th key={f.field} scope="col">
                      {f.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((s) => (
                  <tr key={s.row}>
                    <td>{s.row}</td>
                    {mappedFields.map((f) => (
                      <td key={f.field}>{s.values[f.field] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <h3>The objectives, and what the coach says</h3>
          <ul className="csv-objectives">
            {preview.objectives.map((o) => (
              <li key={`${o.row}-${o.title}`}>
                <strong>{o.title}</strong>{" "}
                <span className="muted">
                  (row {o.row}): {o.keyResults} key {o.keyResults === 1 ? "result" : "results"}, {o.checkins}{" "}
                  {o.checkins === 1 ? "check-in" : "check-ins"}
                  {o.owner
                    ? `, owner ${o.ownerMatch ? o.ownerMatch.name : `${o.owner} (nobody here by that name)`}`
                    : ""}
                  {o.existing ? "; imported before, left as it is" : ""}
                </span>
                {o.findings.length > 0 ? (
                  <ul className="findings" aria-label={`Coach findings on ${o.title}`}>
                    {o.findings.map((f) => (
                      <li key={f.code} className="finding" data-code={f.code}>
                        <span className="finding-message">{f.message}</span>
                        {f.suggestion ? (
                          <span className="finding-suggestion">Try: {f.suggestion}</span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">The coach has nothing to add.</p>
                )}
              </li>
            ))}
          </ul>
          {preview.owners.unmatched.length > 0 && (
            <p>
              Owners nobody here matches (the goals are not shared with them):{" "}
              {preview.owners.unmatched.join(", ")}.
            </p>
          )}
          <div>
            <button
              type="button"
              className="button primary"
              disabled={busy !== null || error?.which === "preview"}
              onClick={() => void send("import", file, chosen)}
            >
              {busy === "import" ? "Importing…" : "Import"}
            </button>
          </div>
        </div>
      )}
      {done && <CsvReport outcome={done} />}
    </section>
  );
}

/** What the import did: the counts, links to the goals and the per-field report. */
function CsvReport({ outcome }: { outcome: OkrImportOutcome }) {
  const paired = outcome.goalIds.length === outcome.objectives.length;
  return (
    <div className="stack" aria-live="polite">
      <h3>Imported</h3>
      <p>
        {outcome.created.goals} new {outcome.created.goals === 1 ? "goal" : "goals"} ({outcome.existing.goals}{" "}
        already here), {outcome.created.keyResults} key results and {outcome.created.checkins} check-ins.
      </p>
      {outcome.goalIds.length > 0 && (
        <ul>
          {outcome.goalIds.map((g, i) => (
            <li key={g}>
              <Link to={`/goals/${g}`}>{paired ? outcome.objectives[i]?.title : `Goal #${g}`}</Link>
            </li>
          ))}
        </ul>
      )}
      <h4>What happened to each column</h4>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="table-scroll" aria-label="The per-field report, scrollable" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Became</th>
              <th scope="col">Kept</th>
              <th scope="col">Mapped</th>
              <th scope="col">Left out</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {outcome.report.map((r) => (
              <tr key={`${r.source}-${r.to ?? ""}`}>
                <td>{r.source}</td>
                <td>{r.to ?? "nothing"}</td>
                <td>{r.kept}</td>
                <td>{r.mapped}</td>
                <td>{r.leftOut}</td>
                <td>{r.why ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
