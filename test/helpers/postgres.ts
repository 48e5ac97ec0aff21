/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp folder, a free port on 127.0.0.1,
 * removed afterwards. As root (CI), initdb and postgres run as the `postgres` system user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running throwaway cluster. */
export interface Cluster {
  url: string;
  stop(): void;
}

/** Finds the folder holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(base, v, "bin"));
  }
  candidates.push("/usr/local/bin", "/usr/bin");
  for (const dir of candidates) {
    if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  return null;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function asPostgresUser(cmd: string, args: string[]): string[] {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return isRoot ? ["runuser", "-u", "postgres", "--", cmd, ...args] : [cmd, ...args];
}

function run(argv: string[]): void {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd as string, args, { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
}

/** Starts a new cluster and returns its URL; call stop() to remove it. */
export async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  const dir = mkdtempSync(join(tmpdir(), "throughline-pg-"));
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, "data");
  const port = await freePort();
  run(
    asPostgresUser(join(bin, "initdb"), [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-sync",
    ]),
  );
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(asPostgresUser(join(bin, "pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "start"]));
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      const [cmd, ...args] = asPostgresUser(join(bin, "pg_ctl"), [
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]);
      spawnSync(cmd as string, args);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
