/**
 * The CLI's own configuration file, which holds the login made by `throughline login`: the
 * server's address, the API token, and who it belongs to. It lives at $THROUGHLINE_CONFIG, else
 * $XDG_CONFIG_HOME/throughline/config.json, else ~/.config/throughline/config.json, and is written
 * with mode 0600 in a folder made with mode 0700, because the token acts as the person.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { AppError } from "../../app/errors.js";

/** A stored login: commands run against `url` with `token` until `throughline logout`. */
export interface Login {
  url: string;
  token: string;
  email: string | null;
  /** The token's id on the server, to revoke it at logout; null when it could not be told. */
  tokenId: number | null;
}

type Env = Record<string, string | undefined>;

/** The config file's path for this environment. */
export function configPath(env: Env = process.env): string {
  if (env.THROUGHLINE_CONFIG) return env.THROUGHLINE_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "throughline", "config.json");
}

function readConfig(path: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new AppError(400, "config_unreadable", `Cannot read ${path}: ${(e as Error).message}.`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Reported below with how to fix it.
  }
  throw new AppError(
    400,
    "config_invalid",
    `${path} is not a JSON object. Fix it, or delete it and run \`throughline login <url>\` again.`,
  );
}

/** The stored login, or null in local mode (no file, or a file without a login). */
export function readLogin(env: Env = process.env): Login | null {
  const path = configPath(env);
  const c = readConfig(path);
  if (c === null || (c.url === undefined && c.token === undefined)) return null;
  if (typeof c.url !== "string" || typeof c.token !== "string" || c.token === "") {
    throw new AppError(
      400,
      "config_invalid",
      `The login in ${path} lacks its url or token. Run \`throughline login <url>\` again, or \`throughline logout\`.`,
    );
  }
  return {
    url: c.url,
    token: c.token,
    email: typeof c.email === "string" ? c.email : null,
    tokenId: typeof c.tokenId === "number" ? c.tokenId : null,
  };
}

function writeConfig(path: string, value: Record<string, unknown>): void {
  // Only folders made here get 0700; an existing folder named by THROUGHLINE_CONFIG is left alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: "w" });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new AppError(400, "config_unwritable", `Cannot write ${path}: ${(e as Error).message}.`);
  }
}

/** Stores a login (replacing any other), keeping other settings in the file. Returns the path. */
export function writeLogin(login: Login, env: Env = process.env): string {
  const path = configPath(env);
  let current: Record<string, unknown> = {};
  try {
    current = readConfig(path) ?? {};
  } catch {
    // A broken file is replaced by a good one: logging in again is how to fix it.
  }
  writeConfig(path, { ...current, ...login });
  return path;
}

/** Removes the stored login; deletes the file when nothing else is in it. True if there was one. */
export function removeLogin(env: Env = process.env): boolean {
  const path = configPath(env);
  let current: Record<string, unknown> | null;
  try {
    current = readConfig(path);
  } catch {
    // Unreadable or broken: the login in it cannot be used, so removing the file is the fix.
    rmSync(path, { force: true });
    return true;
  }
  if (current === null) return false;
  const had = current.url !== undefined || current.token !== undefined;
  const { url: _u, token: _t, email: _e, tokenId: _i, ...rest } = current;
  if (Object.keys(rest).length === 0) rmSync(path, { force: true });
  else writeConfig(path, rest);
  return had;
}
