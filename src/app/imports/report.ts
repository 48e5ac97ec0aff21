/**
 * The per-field report every import ends with: for each field of the source file, how many values
 * were kept as they were, mapped into a Throughline field (converted or matched), or left out,
 * and why. Parsers count as they read; the CLI, the API and the web import page show the same rows.
 */

/** What became of one field of the source file. */
export interface FieldReport {
  /** The field as the source names it: "recur", "Estimated time", "DURATION", "Objective". */
  source: string;
  /** Where it went in Throughline ("step.recurrence", "step.owner"), or null when it has no place. */
  to: string | null;
  /** Values carried as they were. */
  kept: number;
  /** Values converted or matched on the way (a duration to minutes, a name to a person). */
  mapped: number;
  /** Values not carried. */
  leftOut: number;
  /** Why some were left out, in a sentence a person understands; absent when none were. */
  why?: string;
}

/** Counts field outcomes while a file is read; `rows()` gives the report in first-seen order. */
export class FieldTally {
  private readonly byKey = new Map<string, FieldReport>();

  private row(source: string, to: string | null): FieldReport {
    let r = this.byKey.get(source);
    if (!r) {
      r = { source, to, kept: 0, mapped: 0, leftOut: 0 };
      this.byKey.set(source, r);
    }
    return r;
  }

  kept(source: string, to: string, n = 1): void {
    this.row(source, to).kept += n;
  }

  mapped(source: string, to: string, n = 1): void {
    this.row(source, to).mapped += n;
  }

  /** A value not carried; the first reason given for the field is the one reported. */
  leftOut(source: string, why: string, n = 1): void {
    const r = this.row(source, null);
    r.leftOut += n;
    r.why ??= why;
  }

  rows(): FieldReport[] {
    return [...this.byKey.values()];
  }
}
