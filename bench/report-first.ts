/**
 * The report's first reads of a day, many at once, in-process (issue 17, report17c): with the clock
 * moved to a new day (so every stored aggregate is stale, as on the first read of a morning), N
 * reads of `reportReplyFromRows` start together — the same leader N times, then leader and member
 * alternating — and this prints each read's latency, the wall time, how many goals' aggregates were
 * computed (`refreshReportRows` batches) and the process's peak RSS and heap while they ran. Then
 * the same N again on the same day (the answers kept). The peak RSS is the process's so far
 * (`maxRSS`): only the first scenario's is its own, so pick one with --only. It WRITES the
 * aggregates: give it a copy.
 *
 *   tsc -p bench/tsconfig.json && node --expose-gc dist/bench-build/bench/report-first.js --db COPY.db [--n 10] [--only "leader, 4 weeks, first"] [--postgres URL]
 */
import { type Actor, appContext } from "../src/app/context.js";
import { reportReplyFromRows, reportStats } from "../src/app/reports/report-rows.js";
import { openAndMigrate } from "../src/store/db.js";
import { readers } from "./report.js";
import { arg, runAsProgram } from "./script.js";

const DAY = 86_400_000;
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", "") });
  const n = Number(arg("n", "10"));
  // Days ahead of today the clock starts at (each scenario moves it one more day: cold again).
  let shift = Number(arg("shift", String(1 + Math.floor(Math.random() * 300))));
  try {
    const { leader, member } = await readers(store);
    const only = arg("only", "");
    const scenario = async (name: string, who: Actor[], weeks: number, newDay: boolean, tag?: string[]) => {
      if (newDay) shift++;
      if (!name.includes(only)) return;
      const at = Date.now() + shift * DAY;
      const ctx = appContext(store, () => new Date(at + (Date.now() % 1000)));
      (globalThis as { gc?: () => void }).gc?.();
      const before = reportStats(ctx);
      // The process's peak RSS so far (kB): on SQLite the reads never yield to a timer, so no sampler.
      const base = process.resourceUsage().maxRSS * 1024;
      const t0 = performance.now();
      const ms = await Promise.all(
        who.map(async (a, i) => {
          const t = performance.now();
          const r = await reportReplyFromRows(ctx, a, { weeks }, tag?.[i] ?? null);
          if (!r) throw new Error("no stored answer");
          return performance.now() - t;
        }),
      );
      const wall = performance.now() - t0;
      const peak = process.resourceUsage().maxRSS * 1024;
      const after = reportStats(ctx);
      ms.sort((a, b) => a - b);
      console.log(
        `${name.padEnd(58)} wall ${wall.toFixed(0).padStart(6)} ms  fastest ${(ms[0] ?? 0).toFixed(0).padStart(6)}  slowest ${(ms[ms.length - 1] ?? 0).toFixed(0).padStart(6)}  goals computed ${String(after.goalsRefreshed - before.goalsRefreshed).padStart(6)}  answers summed ${String(after.answersSummed - before.answersSummed).padStart(3)}  peak RSS ${mb(peak)} MB (+${mb(peak - base)})`,
      );
      return ctx;
    };
    const same = Array.from({ length: n }, () => leader);
    const mixed = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? leader : member));
    for (const weeks of [4, 12]) {
      await scenario(`${n} × leader, ${weeks} weeks, first of a new day`, same, weeks, true);
      await scenario(`${n} × leader, ${weeks} weeks, same day again (kept answer)`, same, weeks, false);
      await scenario(`${n} × leader/member, ${weeks} weeks, first of a new day`, mixed, weeks, true);
    }
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, main);
