/**
 * The verdict of a paired A/B latency comparison (issue 17, sched22): the scheduler off (A) and on
 * (B) measured in many short windows, each "on" window adjacent in time to an "off" one (the order
 * alternating), so the machine's drift falls on both windows of a pair alike. Each pair gives one
 * ratio of p99s (B ÷ A); the estimate is the median of those ratios and its uncertainty a
 * percentile bootstrap interval of that median. The target holds ("met") when the whole interval
 * is at or below the limit, fails ("missed") when the whole interval is above it, and otherwise the
 * run did not decide it — the interval says by how much.
 *
 * Pure: no I/O, no clock; the bootstrap's random numbers come from a seeded generator, so the
 * same samples always give the same interval.
 */

/** What a paired comparison concluded. */
export type Decision = "met" | "missed" | "not decided";

/** The paired ratios of one comparison, their median, its bootstrap interval and the verdict. */
export interface PairedVerdict {
  /** Each pair's p99 ratio (B ÷ A), in the order run; a pair whose A window had no answer is left out. */
  ratios: number[];
  /** The median of `ratios` (in log space: swapping A and B gives exactly its reciprocal). */
  median: number;
  /** The bootstrap interval of the median at `level` (e.g. 0.9: the 5th to the 95th percentile). */
  low: number;
  high: number;
  level: number;
  /** The largest ratio that meets the target (1.10: within 10 %). */
  limit: number;
  decision: Decision;
}

/**
 * The fewest pairs that decide anything: a bootstrap interval of a median of four or five ratios
 * is little more than their range (a trial `--quick` run's four pairs of 1 s windows called the
 * coach's lint, which no tick touches, "missed" at load 10).
 */
export const MIN_PAIRS = 6;

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32), for a reproducible bootstrap. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The median of `xs` (the mean of the two middle values when their count is even); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The q-quantile of sorted `s`, interpolated linearly between ranks. */
function quantileSorted(s: readonly number[], q: number): number {
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/**
 * Each pair's ratio B ÷ A of two lists of window p99s of the same length (`a[i]` and `b[i]` ran next to
 * each other). A pair whose A window has no figure (0, no answer) is left out; a B window with no
 * answer counts as infinitely slow.
 */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!(x > 0)) continue;
    out.push(y > 0 ? y / x : Number.POSITIVE_INFINITY);
  }
  return out;
}

/**
 * The percentile bootstrap interval at `level` of the median of `ratios`, computed on their
 * logarithms (so the interval of B ÷ A is the reciprocal of that of A ÷ B).
 */
export function bootstrapMedian(
  ratios: readonly number[],
  o: { level?: number; resamples?: number; seed?: number } = {},
): { low: number; high: number } {
  const level = o.level ?? 0.9;
  const resamples = o.resamples ?? 4000;
  if (ratios.length === 0) return { low: Number.NaN, high: Number.NaN };
  const logs = ratios.map(Math.log);
  const random = seeded(o.seed ?? 17);
  const medians: number[] = [];
  const sample = new Array<number>(logs.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < logs.length; i++) sample[i] = logs[Math.floor(random() * logs.length)] as number;
    medians.push(median(sample));
  }
  medians.sort((a, b) => a - b);
  return {
    low: Math.exp(quantileSorted(medians, (1 - level) / 2)),
    high: Math.exp(quantileSorted(medians, 1 - (1 - level) / 2)),
  };
}

/**
 * The verdict on "B's p99 within `limit` of A's" from paired windows: "met" when the bootstrap
 * interval's upper bound is ≤ limit, "missed" when its lower bound is > limit, else "not decided".
 * Fewer than {@link MIN_PAIRS} pairs decide nothing.
 *
 * @example
 * pairedVerdict([10, 11, 10, 12, 9, 10], [10, 11, 10.2, 12, 9.1, 10]).decision; // "met"
 */
export function pairedVerdict(
  a: readonly number[],
  b: readonly number[],
  o: { limit?: number; level?: number; resamples?: number; seed?: number } = {},
): PairedVerdict {
  const limit = o.limit ?? 1.1;
  const level = o.level ?? 0.9;
  const ratios = pairRatios(a, b);
  const mid = Math.exp(median(ratios.map(Math.log)));
  const { low, high } = bootstrapMedian(ratios, { ...o, level });
  const decision: Decision =
    ratios.length < MIN_PAIRS || !Number.isFinite(low)
      ? "not decided"
      : high <= limit
        ? "met"
        : low > limit
          ? "missed"
          : "not decided";
  return { ratios, median: mid, low, high, level, limit, decision };
}

/** The verdict of several rows together: missed if any row missed, met if every row met. */
export function overall(decisions: readonly Decision[]): Decision | undefined {
  if (decisions.length === 0) return undefined;
  if (decisions.includes("missed")) return "missed";
  return decisions.every((d) => d === "met") ? "met" : "not decided";
}

/** The paired verdict on "A's req/s at least `min` of B's", e.g. the check-in against its floor. */
export interface ShareVerdict {
  /** Each pair's share A ÷ B (req/s), in the order run; a pair whose B window had no answer is left out. */
  shares: number[];
  /** The median of `shares` (in log space, as {@link pairedVerdict}). */
  median: number;
  /** Its bootstrap interval at `level`. */
  low: number;
  high: number;
  level: number;
  /** The smallest share that meets the target (0.6: at least 60 %). */
  min: number;
  decision: Decision;
}

/**
 * The verdict on "A's throughput is at least `min` of B's" from paired windows (floor24: the
 * product's check-in, A, against its hand-written floor, B, each pair's two windows next to each
 * other in time on the same file): "met" when the bootstrap interval of the median share is wholly
 * at or above `min`, "missed" when it is wholly below, else "not decided". Fewer than
 * {@link MIN_PAIRS} pairs decide nothing.
 *
 * @example
 * shareVerdict([900, 950, 910, 880, 920, 940], [1500, 1520, 1480, 1510, 1490, 1530]).decision; // "met"
 */
export function shareVerdict(
  a: readonly number[],
  b: readonly number[],
  o: { min?: number; level?: number; resamples?: number; seed?: number } = {},
): ShareVerdict {
  const min = o.min ?? 0.6;
  const level = o.level ?? 0.9;
  // A pair whose B window had no answer is left out; an A window without one counts as a share of
  // (almost) nothing, kept finite so the bootstrap's logarithms stay numbers.
  const shares: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (y > 0) shares.push(Math.max(x, 1e-9) / y);
  }
  const mid = Math.exp(median(shares.map(Math.log)));
  const { low, high } = bootstrapMedian(shares, { ...o, level });
  const decision: Decision =
    shares.length < MIN_PAIRS || !Number.isFinite(high)
      ? "not decided"
      : low >= min
        ? "met"
        : high < min
          ? "missed"
          : "not decided";
  return { shares, median: mid, low, high, level, min, decision };
}

/**
 * The warm-up each of two servers gets before the paired windows of one endpoint (sched25), so both
 * have served it for the same time when the first pair starts: each at least `min` s, and the one
 * that served it less before (`servedA`, `servedB`: seconds of that endpoint's load it already had)
 * as much more as it lacks. Up to sched22 both got the same warm-up, so the server kept from
 * "Server" (the scheduler off; 7 s of each endpoint there, and every A/A window of the check-in)
 * came to each pair warmer than the freshly started one it was compared with — the second server of
 * the A/A control and the server with the scheduler on alike: a lean against the fresh server, in
 * the A/B the same direction as a scheduler's cost.
 *
 * @example
 * matchedWarmUps(7, 0, 4); // { a: 4, b: 11 }
 */
export function matchedWarmUps(servedA: number, servedB: number, min: number): { a: number; b: number } {
  const a = Math.max(0, servedA);
  const b = Math.max(0, servedB);
  return { a: min + Math.max(0, b - a), b: min + Math.max(0, a - b) };
}

/**
 * The pairs' ratios split by which setting ran first in the pair (even pairs: A first; odd: B
 * first, as `measureInterleaved` alternates them) and by half of the run (sched25): the medians of
 * each part, to see whether an order or a drift over the run (one server warming, a vacuum) leans
 * the estimate. Descriptive only: the verdict stays {@link pairedVerdict}'s on all pairs.
 */
export function pairSplits(ratios: readonly number[]): {
  aFirst: number;
  bFirst: number;
  firstHalf: number;
  secondHalf: number;
} {
  const m = (xs: readonly number[]) => Math.exp(median(xs.map(Math.log)));
  const half = Math.floor(ratios.length / 2);
  return {
    aFirst: m(ratios.filter((_, i) => i % 2 === 0)),
    bFirst: m(ratios.filter((_, i) => i % 2 === 1)),
    firstHalf: m(ratios.slice(0, half)),
    secondHalf: m(ratios.slice(half)),
  };
}

// sched26: the ratio of pooled p99s, with a bootstrap that resamples pairs

/** sched26: pairs of the scheduler rows measured first and not judged (bench/run.ts `--burn-in`). */
export const SCHEDULER_BURN_IN = 0;
/** sched26: whether the scheduler rows divide each pair's answers by the pair's median first. */
export const SCHEDULER_NORMALISE = false;

/**
 * The nearest-rank `q`-quantile (as bench/run.ts's `quantile`: the ⌈q·N⌉-th smallest) of the union
 * of `windows`, window `w` counted `times[w]` times; each window sorted in DESCENDING order. Only the
 * top of the union is walked (about (1 − q)·N answers), so a bootstrap can afford thousands of them.
 * NaN when the union is empty.
 */
export function weightedQuantile(
  windows: readonly (readonly number[])[],
  times: readonly number[],
  q: number,
): number {
  let n = 0;
  for (let w = 0; w < windows.length; w++) n += (times[w] ?? 0) * (windows[w] as readonly number[]).length;
  if (n === 0) return Number.NaN;
  // The answer has (n − rank) answers at or above it, counting itself: walk down the top.
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  let above = n - rank + 1;
  const at = new Array<number>(windows.length).fill(0);
  for (;;) {
    let best = -1;
    let value = Number.NEGATIVE_INFINITY;
    for (let w = 0; w < windows.length; w++) {
      const c = times[w] ?? 0;
      const win = windows[w] as readonly number[];
      if (c > 0 && (at[w] as number) < win.length && (win[at[w] as number] as number) > value) {
        value = win[at[w] as number] as number;
        best = w;
      }
    }
    above -= times[best] as number;
    if (above <= 0) return value;
    at[best] = (at[best] as number) + 1;
  }
}

/** The pooled verdict of one comparison: the ratio of pooled p99s and its pair-bootstrap interval. */
export interface PooledVerdict {
  /** Pairs judged (after the burn-in; a pair whose "off" window had no answer is left out). */
  pairs: number;
  /** Pairs measured first and left out (a fresh process's first minute, sched25). */
  burnIn: number;
  /** The p99 of every "off" answer of the pairs judged, and of every "on" one (ms). */
  offP99: number;
  onP99: number;
  /** onP99 ÷ offP99: the estimate. */
  ratio: number;
  /** The percentile bootstrap interval of `ratio` at `level`, resampling whole pairs. */
  low: number;
  high: number;
  level: number;
  limit: number;
  decision: Decision;
}

/**
 * The verdict on "B's p99 within `limit` of A's" from the latencies of paired windows (sched26):
 * `a[i]` and `b[i]` are the answers (ms) of pair i's two windows, next to each other in time. The
 * estimate is the p99 of every B answer ÷ the p99 of every A answer — the target's own figure, the
 * setting's p99, from a hundred times more answers above it than one window's p99 rests on. Its
 * interval is a percentile bootstrap that draws whole PAIRS with replacement and pools the drawn
 * pairs' A windows and their B windows, so what drifts between pairs (the machine, a vacuum)
 * widens the interval but cannot lean it, and the dependence of the two windows of a pair is kept.
 * The first `burnIn` pairs are left out (both settings alike). "met" when the interval's upper bound
 * is ≤ limit, "missed" when its lower bound is > limit, else "not decided"; fewer than
 * {@link MIN_PAIRS} pairs decide nothing. A pair whose A window had no answer is left out; a B window
 * without one counts as many answers infinitely slow as its A window gave.
 *
 * @example
 * pooledVerdict(offWindows, onWindows).decision; // "met" | "missed" | "not decided"
 */
export function pooledVerdict(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  o: {
    limit?: number;
    level?: number;
    resamples?: number;
    seed?: number;
    burnIn?: number;
    q?: number;
    /** Divide both windows of each pair by the median of the pair's answers (the pair's drift). */
    normalise?: boolean;
  } = {},
): PooledVerdict {
  const limit = o.limit ?? 1.1;
  const level = o.level ?? 0.9;
  const q = o.q ?? 0.99;
  const burnIn = Math.max(0, o.burnIn ?? 0);
  const desc = (xs: readonly number[]) => [...xs].sort((x, y) => y - x);
  const A: number[][] = [];
  const B: number[][] = [];
  for (let i = burnIn; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as readonly number[];
    const y = b[i] as readonly number[];
    if (x.length === 0) continue;
    // The machine's drift between pairs, taken out alike from both windows of the pair (its scale
    // comes from both, so it cannot lean the ratio within the pair).
    const scale = o.normalise ? median([...x, ...y]) : 1;
    A.push(desc(x).map((v) => v / scale));
    // A window that answered nothing at all: as many answers infinitely slow as its partner gave.
    B.push(
      y.length ? desc(y).map((v) => v / scale) : new Array<number>(x.length).fill(Number.POSITIVE_INFINITY),
    );
  }
  const all = A.map(() => 1);
  const offP99 = weightedQuantile(A, all, q);
  const onP99 = weightedQuantile(B, all, q);
  const ratio = onP99 / offP99;
  let low = Number.NaN;
  let high = Number.NaN;
  if (A.length > 0) {
    const random = seeded(o.seed ?? 17);
    const resamples = o.resamples ?? 4000;
    const logs: number[] = [];
    const times = new Array<number>(A.length);
    for (let r = 0; r < resamples; r++) {
      times.fill(0);
      for (let i = 0; i < A.length; i++) {
        const k = Math.floor(random() * A.length);
        times[k] = (times[k] as number) + 1;
      }
      logs.push(Math.log(weightedQuantile(B, times, q) / weightedQuantile(A, times, q)));
    }
    logs.sort((x, y) => x - y);
    low = Math.exp(quantileSorted(logs, (1 - level) / 2));
    high = Math.exp(quantileSorted(logs, 1 - (1 - level) / 2));
  }
  const decision: Decision =
    A.length < MIN_PAIRS || !(low > 0)
      ? "not decided"
      : high <= limit
        ? "met"
        : low > limit
          ? "missed"
          : "not decided";
  return { pairs: A.length, burnIn, offP99, onP99, ratio, low, high, level, limit, decision };
}
