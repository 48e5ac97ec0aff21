/**
 * A small progress bar on stderr for long imports: redrawn in place on a terminal, a line at each
 * quarter otherwise (so logs show that a long run is moving). Nothing for a few hundred items.
 */

/** Items below which no progress is shown: such an import finishes at once. */
export const PROGRESS_THRESHOLD = 300;

/** Where the bar is drawn: stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A progress listener and how to end the bar. */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

/** A bar labelled `label`; `enabled: false` (from --no-progress) makes it silent. */
export function progressBar(
  label: string,
  opts: { stream?: ProgressStream; enabled?: boolean; now?: () => number } = {},
): ProgressBar {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => Date.now());
  const fmt = (n: number) => n.toLocaleString("en-US");
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastQuarter = 0;
  let drawn = false;
  let state = { done: 0, total: 0 };
  const draw = () => {
    const { done, total } = state;
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const pct = Math.floor(ratio * 100);
    const counts = `${pct}% ${fmt(done)}/${fmt(total)}`;
    if (stream.isTTY) {
      const width = Math.max(10, Math.min(40, (stream.columns || 80) - label.length - counts.length - 6));
      const full = Math.round(ratio * width);
      stream.write(`\r${label} [${"#".repeat(full)}${"-".repeat(width - full)}] ${counts}`);
    } else {
      stream.write(`${label}: ${counts}\n`);
    }
    drawn = true;
  };
  return {
    update(done, total) {
      state = { done, total };
      if (opts.enabled === false || total <= PROGRESS_THRESHOLD) return;
      if (stream.isTTY) {
        const t = now();
        if (t - lastDraw >= 100 || done >= total) {
          lastDraw = t;
          draw();
        }
        return;
      }
      const quarter = Math.floor((done / total) * 4);
      if (quarter > lastQuarter && done > 0) {
        lastQuarter = quarter;
        draw();
      }
    },
    finish() {
      if (drawn && stream.isTTY) stream.write("\n");
      drawn = false;
    },
  };
}
