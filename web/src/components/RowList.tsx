/**
 * An editable list of rows inside a form: each row's fields side by side with a button that removes
 * the row, and a button under the list that adds a blank one. The plan builder's key results,
 * steps, resources and barriers are each one of these.
 */
import type { ReactNode } from "react";

/** A row the list can tell apart from the others while rows come and go. */
export interface Row {
  key: number;
}

/**
 * The rows, with the fields of each from `fields` and the add and remove buttons; while the list is
 * empty, `fillFrom` offers to start it from lines written earlier, one row a line.
 */
export function RowList<T extends Row>({
  rows,
  onChange,
  blank,
  addLabel,
  removeLabel,
  fields,
  fillFrom,
}: {
  rows: T[];
  onChange: (rows: T[]) => void;
  /** A new row: empty for the add button, or holding one line of `fillFrom`. */
  blank: (line?: string) => T;
  addLabel: string;
  /** The remove button's accessible name for the row numbered `n` (from 1). */
  removeLabel: (n: number) => string;
  /** The fields of one row, numbered `n` (from 1); `set` changes some of its values. */
  fields: (row: T, set: (patch: Partial<T>) => void, n: number) => ReactNode;
  fillFrom?: { label: string; lines: string[] };
}) {
  return (
    <>
      {rows.length === 0 && fillFrom && fillFrom.lines.length > 0 ? (
        <button
          type="button"
          className="button secondary small"
          onClick={() => onChange(fillFrom.lines.map((line) => blank(line)))}
        >
          {fillFrom.label}
        </button>
      ) : null}
      {rows.map((row, i) => (
        <div className="row-fields" key={row.key}>
          {fields(row, (patch) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))), i + 1)}
          <RemoveButton label={removeLabel(i + 1)} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
        </div>
      ))}
      <button type="button" className="button secondary small" onClick={() => onChange([...rows, blank()])}>
        {addLabel}
      </button>
    </>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="button icon" aria-label={label} title={label} onClick={onClick}>
      <span aria-hidden="true">×</span>
    </button>
  );
}
