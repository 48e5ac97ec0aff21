/**
 * How `npm start` runs the server, read from package.json's start script: the benchmark starts the
 * server with the same node flags, so it measures what production runs (docs/deploy.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The node flags before the server's entry point in a command such as
 * `node --heap-growing-percent=100 dist/server/main.js`, or null when the command does not run it.
 */
export function serverFlagsOf(command: string): string[] | null {
  const m = /\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.js\b/.exec(command);
  return m ? (m[1] ?? "").split(/\s+/).filter(Boolean) : null;
}

/** The node flags `npm start` gives the server (package.json in `root`). */
export function startFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const flags = serverFlagsOf(pkg.scripts?.start ?? "");
  if (!flags)
    throw new Error(
      "package.json's start script does not run `node [flags] dist/server/main.js`: update bench/server-command.ts so the benchmark starts the server as npm start does.",
    );
  return flags;
}
