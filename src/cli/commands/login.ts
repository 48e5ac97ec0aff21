/**
 * `throughline login <url>`, `logout` and `whoami`: point the CLI at a Throughline server with an
 * API token, and back at the local database. The token is stored in the CLI's config file (mode
 * 0600) and never printed; the password is only sent to sign in and is never stored.
 */
import { hostname } from "node:os";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import { configPath, type Login, readLogin, removeLogin, writeLogin } from "../backend/config.js";
import type { SessionInfo } from "../backend/remote.js";
import { type GlobalOptions, output } from "../context.js";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The HTTP client, loaded when a login command runs rather than whenever the program is built. */
async function http() {
  const [{ answerOf, serverClient }, { loginClient }] = await Promise.all([
    import("../backend/http.js"),
    import("../backend/remote.js"),
  ]);
  return { answerOf, serverClient, loginClient };
}

/**
 * The server's base address from what was typed: a scheme is added when missing (http for this
 * machine, https elsewhere), a trailing slash is dropped, and anything that is not an address is
 * refused with how to fix it.
 */
export function serverUrl(raw: string): string {
  const text = raw.trim();
  const bad = () =>
    new AppError(
      400,
      "invalid_url",
      `'${raw}' is not a server address. Use e.g. https://throughline.example.com or http://localhost:3000.`,
    );
  if (text === "") throw bad();
  let u: URL;
  try {
    const host = text.split(/[/:]/)[0] ?? "";
    u = new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${LOCAL_HOSTS.has(host) ? "http" : "https"}://${text}`,
    );
  } catch {
    throw bad();
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.search || u.hash || u.username) throw bad();
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Asks for a line on the terminal without echoing it (for the password). */
async function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new AppError(400, "cancelled", "Login cancelled; nothing was stored."));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** The email and password to sign in with, from the options, stdin or the terminal. */
async function credentials(o: {
  email?: string;
  passwordStdin?: boolean;
}): Promise<{ email: string; password: string }> {
  const tty = process.stdin.isTTY === true;
  let email = o.email?.trim();
  if (!email) {
    if (!tty || o.passwordStdin) {
      throw new AppError(
        400,
        "email_required",
        "Give --email (with --password-stdin to pipe the password), or --token with an API token.",
      );
    }
    email = await askLine("Email: ");
  }
  let password: string;
  if (o.passwordStdin) {
    // Only the line break that ends the piped text is dropped: a password may hold spaces.
    password = (await readAllStdin()).replace(/\r?\n$/, "");
  } else if (tty) {
    password = await askHidden("Password: ");
  } else {
    throw new AppError(
      400,
      "password_required",
      "No password: pipe it with --password-stdin, run at a terminal to be asked, or use --token.",
    );
  }
  if (password === "")
    throw new AppError(400, "password_required", "The password is empty. Give the account's password.");
  return { email, password };
}

/** Signs in with email and password and creates an API token for this machine; ends the session. */
async function tokenFromPassword(
  url: string,
  email: string,
  password: string,
): Promise<{ token: string; tokenId: number }> {
  const { answerOf, serverClient } = await http();
  const api = serverClient(url, { unreachableHint: "Check the address." });
  const signIn = await api.POST("/api/auth/sign-in", { body: { email, password } });
  const signedIn = await answerOf(url, Promise.resolve(signIn));
  const cookie = signIn.response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] as string)
    .find((c) => c.startsWith("tl_session="));
  if (!cookie || typeof signedIn.csrfToken !== "string") {
    throw new AppError(
      400,
      "not_a_throughline_server",
      `${url} signed in without a session: is it a Throughline server?`,
    );
  }
  const headers = { cookie, "x-csrf-token": signedIn.csrfToken };
  try {
    const created = await answerOf(
      url,
      api.POST("/api/tokens", {
        headers,
        body: { name: `throughline CLI on ${hostname()}`.slice(0, 100) },
      }),
    );
    return { token: created.token, tokenId: created.id };
  } finally {
    // The session was only needed to make the token.
    await api.POST("/api/auth/sign-out", { headers }).catch(() => undefined);
  }
}

/** The token's id among my tokens, matched by its prefix; null when none or several match. */
async function tokenIdOf(login: Login): Promise<number | null> {
  const { answerOf, loginClient } = await http();
  const { items } = await answerOf(login.url, loginClient(login, "").GET("/api/tokens"));
  const mine = items.filter((t) => t.revokedAt === null && t.prefix === login.token.slice(0, 7));
  return mine.length === 1 ? (mine[0]?.id ?? null) : null;
}

/** Who a token belongs to, checked with the server; a refused token fails with the server's reason. */
async function sessionOf(url: string, token: string, hint: string): Promise<SessionInfo> {
  const { answerOf, serverClient } = await http();
  const api = serverClient(url, { headers: { authorization: `Bearer ${token}` }, unreachableHint: hint });
  return answerOf(url, api.GET("/api/auth/session"));
}

/** Revokes a login's token on its server; says what happened, never throws. */
async function revoke(login: Login): Promise<{ revoked: boolean; note: string }> {
  const bySettings = `revoke it on ${login.url} under Settings, API tokens`;
  try {
    const { answerOf, loginClient } = await http();
    const id = login.tokenId ?? (await tokenIdOf(login));
    if (id === null) return { revoked: false, note: `Could not tell which token to revoke: ${bySettings}.` };
    await answerOf(
      login.url,
      loginClient(login, "").DELETE("/api/tokens/{id}", { params: { path: { id } } }),
    );
    return { revoked: true, note: "The token was revoked on the server." };
  } catch (e) {
    if (e instanceof AppError && e.status === 401) {
      return { revoked: false, note: "The token was already revoked on the server." };
    }
    const why = e instanceof Error ? e.message.trim().replace(/\.$/, "") : String(e);
    return { revoked: false, note: `The token was not revoked (${why}): ${bySettings}.` };
  }
}

function accountText(me: SessionInfo): string {
  return `${me.user.name}${me.user.email ? ` <${me.user.email}>` : ""}, workspace ${me.workspace.name}`;
}

/** Registers `login`, `logout` and `whoami`. */
export function registerLoginCommand(program: Command): void {
  program
    .command("login")
    .description("run the commands against a Throughline server: sign in and store an API token")
    .argument("<url>", "the server's address, e.g. https://throughline.example.com")
    .option("--email <email>", "the account's email (asked for on a terminal)")
    .option("--password-stdin", "read the password from stdin (else it is asked for, without echo)")
    .option("--token <token>", "use an existing API token instead of signing in (or set THROUGHLINE_TOKEN)")
    .action(
      async (
        rawUrl: string,
        o: { email?: string; passwordStdin?: boolean; token?: string },
        cmd: Command,
      ) => {
        const json = cmd.optsWithGlobals<GlobalOptions>().json === true;
        const url = serverUrl(rawUrl);
        if (url.startsWith("http://") && !LOCAL_HOSTS.has(new URL(url).hostname)) {
          process.stderr.write(
            `Warning: ${url} is not HTTPS, so the password and token travel unencrypted.\n`,
          );
        }
        const given = (o.token ?? process.env.THROUGHLINE_TOKEN)?.trim();
        let token: string;
        let tokenId: number | null;
        if (given) {
          token = given;
          tokenId = null;
        } else {
          const { email, password } = await credentials(o);
          ({ token, tokenId } = await tokenFromPassword(url, email, password));
        }
        const me = await sessionOf(url, token, "Check the address.");
        const login: Login = { url, token, email: me.user.email, tokenId };
        if (login.tokenId === null) login.tokenId = await tokenIdOf(login).catch(() => null);
        const previous = (() => {
          try {
            return readLogin();
          } catch {
            return null;
          }
        })();
        const path = writeLogin(login);
        // A login replaced by another would leave its token working on the server.
        if (previous && previous.token !== token) {
          const old = await revoke(previous);
          if (!old.revoked) process.stderr.write(`Previous login: ${old.note}\n`);
        }
        output(
          { json },
          { url, user: me.user, workspace: me.workspace, tokenId: login.tokenId, config: path },
          () =>
            `Logged in to ${url} as ${accountText(me)}.\nCommands now run against this server (--db <file> works locally for one command); \`throughline logout\` returns to local mode.`,
        );
      },
    );

  program
    .command("logout")
    .description("revoke the stored API token and return to the local database")
    .option(
      "--everywhere",
      "also end every session and revoke every API token of the account on the server (after a lost device or a leaked password)",
    )
    .action(async (o: { everywhere?: boolean }, cmd: Command) => {
      const json = cmd.optsWithGlobals<GlobalOptions>().json === true;
      let login: Login | null;
      try {
        login = readLogin();
      } catch {
        login = null;
      }
      if (!login) {
        const removed = removeLogin();
        output({ json }, { loggedOut: removed, revoked: false }, () =>
          removed
            ? `Removed the unusable login from ${configPath()}. The CLI works on the local database.`
            : "Not logged in: the CLI already works on the local database.",
        );
        return;
      }
      if (o.everywhere) {
        // Accounts (issue 16, defect 8): a failure here exits non-zero and keeps the login to retry.
        const { answerOf, loginClient } = await http();
        const ended = await answerOf(
          login.url,
          loginClient(login, "").POST("/api/auth/sign-out-everywhere", { body: { tokens: true } }),
        );
        removeLogin();
        output({ json }, { loggedOut: true, url: login.url, ...ended }, () =>
          [
            `Signed out everywhere on ${login.url}: ${ended.sessionsEnded} ${ended.sessionsEnded === 1 ? "session" : "sessions"} ended, ${ended.tokensRevoked} API ${ended.tokensRevoked === 1 ? "token" : "tokens"} revoked (this one included).`,
            "Commands now work on the local database.",
          ].join("\n"),
        );
        return;
      }
      const result = await revoke(login);
      removeLogin();
      output({ json }, { loggedOut: true, url: login.url, revoked: result.revoked }, () =>
        [
          `Logged out of ${login.url}${result.revoked ? "" : " on this machine"}. ${result.note}`,
          "Commands now work on the local database.",
        ].join("\n"),
      );
    });

  program
    .command("whoami")
    .description("where commands run: the local database, or a server and the account on it")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const login = opts.db ? null : readLogin();
      if (!login) {
        const where =
          opts.db ??
          process.env.THROUGHLINE_DB ??
          (process.env.DATABASE_URL ? "DATABASE_URL" : "./data/throughline.db");
        output(
          { json: opts.json === true },
          { mode: "local", database: where },
          () => `Local mode: commands work on ${where}.`,
        );
        return;
      }
      const me = await sessionOf(
        login.url,
        login.token,
        "Check the address or run `throughline logout` to work locally.",
      );
      output(
        { json: opts.json === true },
        { mode: "remote", url: login.url, user: me.user, workspace: me.workspace, teams: me.teams },
        () => `Logged in to ${login.url} as ${accountText(me)}.`,
      );
    });
}
