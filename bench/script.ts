/**
 * What the bench scripts share: reading a flag, opening the store they were pointed at, timing
 * named phases, and starting `main` when the file is run as a program (not when imported).
 */
import { pathToFileURL } from "node:url";
import { openAndMigrate, type Store } from "../src/store/db.js";

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The store `--postgres URL` names, else the SQLite file `--db FILE` (or `file`). */
export function openBenchStore(file = ""): Promise<Store> {
  const pgUrl = arg("postgres", "");
  return openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", file) });
}

/** Times named phases over several runs; `print` gives each one's median and maximum. */
export function phaseTimer() {
  const phases = new Map<string, number[]>();
  const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await f();
    const list = phases.get(name) ?? [];
    list.push(performance.now() - t);
    phases.set(name, list);
    return r;
  };
  const print = (): void => {
    for (const [name, ms] of phases) {
      const s = [...ms].sort((a, b) => a - b);
      const med = s[Math.floor(s.length / 2)] as number;
      const max = s[s.length - 1] as number;
      console.log(
        `  ${name.padEnd(40)} median ${med.toFixed(1).padStart(7)} ms  max ${max.toFixed(1).padStart(7)} ms`,
      );
    }
  };
  return { time, print };
}

/** Runs `main` when `moduleUrl` is the file node was started with; a failure prints its message and exits 1. */
export function runAsProgram(moduleUrl: string, main: () => Promise<void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
